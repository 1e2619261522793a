import { applyDecorators, Body, Controller, Delete, Get, Headers, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import { FastifyReply } from 'fastify';
import { BimPlusAuth, Principal } from '../auth/auth.decorators';
import { UserPrincipal } from '../auth/principal';
import { ErrorResponseDto } from '../http/error-response.dto';
import { GuidParam } from '../http/param.pipes';
import { CreateUserMessagePipe } from './create-user-message.pipe';
import { CreateUserMessageDto } from './dto/create-user-message.dto';
import { parseUpdateAdditionalDataBody, UpdateAdditionalDataDto } from './dto/update-additional-data.dto';
import { UserMessageResponseDto } from './dto/user-message-response.dto';
import { CREATED_USER_MESSAGE, ONE_USER_MESSAGE, USER_MESSAGE_PAGE } from './dto/user-message.json-schema';
import { parsePageRequest } from './paging';
import { PAGE_LINK_HEADER, PAGED_LIST_DESCRIPTION, PagingQueries, sendPage } from './paging.http';
import { MAX_IDEMPOTENCY_KEY_LENGTH, UserMessagesService } from './user-messages.service';
import { MAX_FILTER_LENGTH } from './filter/filter-parser';
import { ReadChannel } from './user-messages.enums';

@ApiTags('user messages (v2)')
@BimPlusAuth()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Malformed id, body, filter, limit or cursor' })
@Controller('v2/messages')
export class UserMessagesController {
  constructor(private readonly service: UserMessagesService) {}

  @Post()
  @RouteSchema(CREATED_USER_MESSAGE)
  @ApiOperation({ summary: 'Send a message to a user or a group', description: 'Input keys are matched case-insensitively; unknown keys, `id` and `timestamp` are ignored.' })
  @ApiBody({ type: CreateUserMessageDto })
  // Named as @Headers reads it, so this entry replaces the required one Nest would derive from it.
  @ApiHeader({
    name: 'idempotency-key',
    required: false,
    description: 'Per caller: a retry with the same key and body returns the first result',
    schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
  })
  @ApiCreatedResponse({ type: UserMessageResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Naming another sender needs the service role' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Idempotency-Key reused with a different body' })
  create(
    @Principal() caller: UserPrincipal,
    // Typed as a plain record so the global strict pipe lets it through; CreateUserMessagePipe binds it leniently.
    @Body(CreateUserMessagePipe) body: Record<string, unknown>,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<UserMessageResponseDto> {
    return this.service.create(caller, body as unknown as CreateUserMessageDto, idempotencyKey);
  }

  @Get()
  @RouteSchema(USER_MESSAGE_PAGE)
  @ApiOperation({ summary: 'Messages visible to the caller (received and sent), filtered', description: PAGED_LIST_DESCRIPTION })
  @ApiQuery({
    name: 'filter',
    required: false,
    description: 'Clauses `<property><operator><value>` joined by `&` (sent as `%26`), e.g. `unread=true%26source=IssueService`. See docs/user-messages.md.',
    schema: { type: 'string', maxLength: MAX_FILTER_LENGTH },
  })
  @PagingQueries()
  @ApiOkResponse({ type: UserMessageResponseDto, isArray: true, headers: PAGE_LINK_HEADER })
  async search(
    @Principal() caller: UserPrincipal,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserMessageResponseDto[]> {
    const page = await this.service.search(caller, query, parsePageRequest(query));
    return sendPage(reply, page, { filter: query.filter as string | undefined, limit: query.limit as string | undefined });
  }

  @Get(':id')
  @RouteSchema(ONE_USER_MESSAGE)
  @ApiOperation({ summary: 'One message, if the caller is a recipient or its sender' })
  @ApiOkResponse({ type: UserMessageResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Principal() caller: UserPrincipal, @GuidParam('id') id: string): Promise<UserMessageResponseDto> {
    return this.service.get(caller, id);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete: by a recipient from their inbox only; by the sender for everyone' })
  @ApiOkResponse({ description: 'Deleted (empty body)' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async delete(@Principal() caller: UserPrincipal, @GuidParam('id') id: string): Promise<void> {
    await this.service.delete(caller, id);
  }

  @Post(':id/markasreadbrowser')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark as read in the browser (the caller\'s own flag)' })
  @MarkResponses()
  markAsReadBrowser(@Principal() caller: UserPrincipal, @GuidParam('id') id: string): Promise<UserMessageResponseDto> {
    return this.service.mark(caller, id, ReadChannel.Browser, false);
  }

  @Post(':id/markasunreadbrowser')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark as unread in the browser (the caller\'s own flag)' })
  @MarkResponses()
  markAsUnreadBrowser(@Principal() caller: UserPrincipal, @GuidParam('id') id: string): Promise<UserMessageResponseDto> {
    return this.service.mark(caller, id, ReadChannel.Browser, true);
  }

  @Post(':id/markasreademail')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark as read by e-mail (the caller\'s own flag); sends nothing' })
  @MarkResponses()
  markAsReadEmail(@Principal() caller: UserPrincipal, @GuidParam('id') id: string): Promise<UserMessageResponseDto> {
    return this.service.mark(caller, id, ReadChannel.Email, false);
  }

  @Post(':id/markasunreademail')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark as unread by e-mail (the caller\'s own flag); does not re-send' })
  @MarkResponses()
  markAsUnreadEmail(@Principal() caller: UserPrincipal, @GuidParam('id') id: string): Promise<UserMessageResponseDto> {
    return this.service.mark(caller, id, ReadChannel.Email, true);
  }

  @Put(':id/updatedashboardadditionaldata')
  @RouteSchema(ONE_USER_MESSAGE)
  @ApiOperation({ summary: 'Replace the content of a dashboard message (its sender only); open streams of its recipients get `updated`' })
  @ApiBody({ type: UpdateAdditionalDataDto })
  @ApiOkResponse({ type: UserMessageResponseDto, description: 'The message as its sender sees it' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The caller is a recipient, not the sender' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  updateDashboardAdditionalData(
    @Principal() caller: UserPrincipal,
    @GuidParam('id') id: string,
    // A plain record for the global strict pipe; bound like the .NET service by parseUpdateAdditionalDataBody.
    @Body() body: Record<string, unknown>,
  ): Promise<UserMessageResponseDto> {
    return this.service.updateAdditionalData(caller, id, parseUpdateAdditionalDataBody(body));
  }
}

function MarkResponses() {
  return applyDecorators(
    RouteSchema(ONE_USER_MESSAGE),
    ApiOkResponse({ type: UserMessageResponseDto, description: 'The updated message' }),
    ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The caller is the sender but not a recipient' }),
    ApiNotFoundResponse({ type: ErrorResponseDto }),
  );
}
