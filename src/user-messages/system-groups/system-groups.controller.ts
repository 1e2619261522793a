import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { BimPlusAuth, Principal } from '../../auth/auth.decorators';
import { UserPrincipal } from '../../auth/principal';
import { ErrorResponseDto } from '../../http/error-response.dto';
import { GuidParam } from '../../http/param.pipes';
import { DEFAULT_LIMIT, MAX_LIMIT, nextLink } from '../paging';
import { PAGE_LINK_HEADER } from '../paging.http';
import { CreateSystemGroupDto } from './dto/create-system-group.dto';
import { SystemGroupDetailsResponseDto, SystemGroupResponseDto } from './dto/system-group-response.dto';
import { parseCreateSystemGroupBody } from './system-group-body';
import { MAX_GROUP_CURSOR_LENGTH, SystemGroupsService } from './system-groups.service';

/** Bimplus messaging groups: the groups a v2 message can be addressed to. */
@ApiTags('messaging groups (v2)')
@BimPlusAuth()
@ApiBadRequestResponse({ type: ErrorResponseDto })
@Controller('v2/systemgroups')
export class SystemGroupsController {
  constructor(private readonly service: SystemGroupsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a messaging group (service users)', description: 'Input keys are matched case-insensitively; unknown keys are ignored.' })
  @ApiBody({ type: CreateSystemGroupDto })
  @ApiCreatedResponse({ type: SystemGroupDetailsResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The caller is not a service user' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Another group has the name (in any letter case), or the id is taken' })
  create(
    @Principal() caller: UserPrincipal,
    // A plain record for the global strict pipe; bound like the .NET service by parseCreateSystemGroupBody.
    @Body() body: Record<string, unknown>,
  ): Promise<SystemGroupDetailsResponseDto> {
    return this.service.create(caller, parseCreateSystemGroupBody(body));
  }

  @Get()
  @ApiOperation({
    summary: 'The messaging groups: all for a service user, the caller\'s own for a user',
    description: 'Ordered by name (case-insensitive). When more follow, `Link: <…>; rel="next"` points to the next page.',
  })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } })
  @ApiQuery({ name: 'cursor', required: false, description: "Opaque; take it from the previous page's Link header", schema: { type: 'string', maxLength: MAX_GROUP_CURSOR_LENGTH } })
  @ApiOkResponse({ type: SystemGroupResponseDto, isArray: true, headers: PAGE_LINK_HEADER })
  async list(
    @Principal() caller: UserPrincipal,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SystemGroupResponseDto[]> {
    const page = await this.service.list(caller, query);
    if (page.next) reply.header('Link', nextLink(reply.request.url.split('?')[0], { limit: query.limit as string | undefined }, page.next));
    return page.items;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One messaging group with its member ids' })
  @ApiOkResponse({ type: SystemGroupDetailsResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such group, or a user who is not a member' })
  get(@Principal() caller: UserPrincipal, @GuidParam('id') id: string): Promise<SystemGroupDetailsResponseDto> {
    return this.service.get(caller, id);
  }
}
