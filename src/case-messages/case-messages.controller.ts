import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CaseAuth, Principal } from '../auth/auth.decorators';
import { AccountPrincipal } from '../auth/principal';
import { ErrorResponseDto } from '../http/error-response.dto';
import { MAX_INT4 } from '../common/int-id';
import { MAX_CONFIRM_IDS } from './case-messages.constants';
import { CaseMessagesService } from './case-messages.service';
import { ConfirmIdsPipe } from './confirm-ids.pipe';
import { AccessTokenQueryDto, FeedQueryDto, ListCaseMessagesQueryDto } from './dto/case-message-query.dto';
import { CASE_MESSAGE_LIST, ONE_CASE_MESSAGE } from './dto/case-message.json-schema';
import { CaseMessageResponseDto, ConfirmResponseDto } from './dto/case-message-response.dto';
import { CreateCaseMessageDto } from './dto/create-case-message.dto';

const CASE_NOT_FOUND = { description: 'Case not found', type: ErrorResponseDto };
const NO_ACCESS = { description: 'No access: the caller is neither the partner nor the provider of the case', type: ErrorResponseDto };
const INVALID = { description: 'Invalid input; the message names the field', type: ErrorResponseDto };

@ApiTags('case-messages (v3)')
@CaseAuth()
@Controller('api/v3/case-messages')
export class CaseMessagesController {
  constructor(private readonly messages: CaseMessagesService) {}

  @Post('create')
  @HttpCode(200)
  @RouteSchema(ONE_CASE_MESSAGE)
  @ApiOperation({ summary: 'Add a message to a case (reply with parentMessageId); idempotent by externalId' })
  @ApiOkResponse({ type: CaseMessageResponseDto, description: 'The new message, or the stored one for a retry with the same externalId' })
  @ApiBadRequestResponse(INVALID)
  @ApiNotFoundResponse(CASE_NOT_FOUND)
  @ApiForbiddenResponse(NO_ACCESS)
  @ApiConflictResponse({ description: 'The externalId was used before with a different body', type: ErrorResponseDto })
  async create(@Principal() caller: AccountPrincipal, @Query() _query: AccessTokenQueryDto, @Body() dto: CreateCaseMessageDto): Promise<CaseMessageResponseDto> {
    return this.messages.create(caller, dto);
  }

  @Get()
  @RouteSchema(CASE_MESSAGE_LIST)
  @ApiOperation({ summary: 'All messages of a case, ordered by id' })
  @ApiOkResponse({ type: [CaseMessageResponseDto] })
  @ApiBadRequestResponse(INVALID)
  @ApiNotFoundResponse(CASE_NOT_FOUND)
  @ApiForbiddenResponse(NO_ACCESS)
  async list(@Principal() caller: AccountPrincipal, @Query() query: ListCaseMessagesQueryDto): Promise<CaseMessageResponseDto[]> {
    return this.messages.list(caller, query);
  }

  @Get('feed')
  @RouteSchema(CASE_MESSAGE_LIST)
  @ApiOperation({
    summary: 'Export feed: messages the other party (or the system) sent on any of your cases',
    description: 'Ordered by id; pass the last id you saw as the next afterId. Default limit 100, max 1000.',
  })
  @ApiOkResponse({ type: [CaseMessageResponseDto] })
  @ApiBadRequestResponse(INVALID)
  async feed(@Principal() caller: AccountPrincipal, @Query() query: FeedQueryDto): Promise<CaseMessageResponseDto[]> {
    return this.messages.feed(caller, query);
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm messages as delivered and read by the receiving side',
    description: 'Processes every id it can (no rollback); per-id failures are listed in `errors` in input order.',
  })
  @ApiBody({
    description: `1..${MAX_CONFIRM_IDS} message ids (not externalIds), each a JSON integer in 1..${MAX_INT4}`,
    schema: { type: 'array', items: { type: 'integer', minimum: 1, maximum: MAX_INT4 }, minItems: 1, maxItems: MAX_CONFIRM_IDS, example: [4377, 4378, 4379, 4380] },
  })
  @ApiOkResponse({ type: ConfirmResponseDto })
  @ApiBadRequestResponse({ description: 'Not an array of ids, e.g. "\\"value\\" at position 0 fails because [\\"0\\" must be a number]"', type: ErrorResponseDto })
  async confirm(@Principal() caller: AccountPrincipal, @Query() _query: AccessTokenQueryDto, @Body(ConfirmIdsPipe) ids: number[]): Promise<ConfirmResponseDto> {
    return this.messages.confirm(caller, ids);
  }
}
