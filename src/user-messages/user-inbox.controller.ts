import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import { FastifyReply } from 'fastify';
import { BimPlusAuth, Principal } from '../auth/auth.decorators';
import { UserPrincipal } from '../auth/principal';
import { ErrorResponseDto } from '../http/error-response.dto';
import { GroupSentMessageResponseDto, MarkAllResultDto, UnreadCountDto, UserMessageResponseDto } from './dto/user-message-response.dto';
import { GROUP_SENT_PAGE, USER_MESSAGE_PAGE } from './dto/user-message.json-schema';
import { parsePageRequest } from './paging';
import { PAGE_LINK_HEADER, PAGED_LIST_DESCRIPTION, PagingQueries, sendPage } from './paging.http';
import { UserMessagesService } from './user-messages.service';
import { ReadChannel } from './user-messages.enums';

/** One user's own view: inbox, unread counts, mark all. The SSE stream under this path belongs to delivery. */
@ApiTags('user messages (v2)')
@BimPlusAuth()
@ApiParam({ name: 'userId', description: 'The caller\'s own user id, or `me`' })
@ApiBadRequestResponse({ type: ErrorResponseDto })
@ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Another user\'s id' })
@Controller('v2/user/:userId/messages')
export class UserInboxController {
  constructor(private readonly service: UserMessagesService) {}

  @Get()
  @RouteSchema(USER_MESSAGE_PAGE)
  @ApiOperation({ summary: 'The caller\'s inbox (messages received)', description: PAGED_LIST_DESCRIPTION })
  @PagingQueries()
  @ApiOkResponse({ type: UserMessageResponseDto, isArray: true, headers: PAGE_LINK_HEADER })
  async inbox(
    @Principal() caller: UserPrincipal,
    @Param('userId') userId: string,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserMessageResponseDto[]> {
    const page = await this.service.inbox(caller, userId, parsePageRequest(query));
    return sendPage(reply, page, { limit: query.limit as string | undefined });
  }

  @Get('sent')
  @RouteSchema(USER_MESSAGE_PAGE)
  @ApiOperation({ summary: 'The messages the caller sent, with the recipients\' flags (unread while any recipient has not read it)', description: PAGED_LIST_DESCRIPTION })
  @PagingQueries()
  @ApiOkResponse({ type: UserMessageResponseDto, isArray: true, headers: PAGE_LINK_HEADER })
  async sent(
    @Principal() caller: UserPrincipal,
    @Param('userId') userId: string,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserMessageResponseDto[]> {
    const page = await this.service.sent(caller, userId, parsePageRequest(query));
    return sendPage(reply, page, { limit: query.limit as string | undefined });
  }

  @Get('groupsent')
  @RouteSchema(GROUP_SENT_PAGE)
  @ApiOperation({ summary: 'The messages the caller sent to groups, each with its group', description: PAGED_LIST_DESCRIPTION })
  @PagingQueries()
  @ApiOkResponse({ type: GroupSentMessageResponseDto, isArray: true, headers: PAGE_LINK_HEADER })
  async groupSent(
    @Principal() caller: UserPrincipal,
    @Param('userId') userId: string,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserMessageResponseDto[]> {
    const page = await this.service.groupSent(caller, userId, parsePageRequest(query));
    return sendPage(reply, page, { limit: query.limit as string | undefined });
  }

  @Get('unreadcount')
  @ApiOperation({ summary: 'How many of the caller\'s messages are unread, per channel' })
  @ApiOkResponse({ type: UnreadCountDto })
  unreadCount(@Principal() caller: UserPrincipal, @Param('userId') userId: string): Promise<UnreadCountDto> {
    return this.service.unreadCount(caller, userId);
  }

  @Post('markallasreadbrowser')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark all of the caller\'s messages as read in the browser' })
  @ApiOkResponse({ type: MarkAllResultDto })
  markAllAsReadBrowser(@Principal() caller: UserPrincipal, @Param('userId') userId: string): Promise<MarkAllResultDto> {
    return this.service.markAllRead(caller, userId, ReadChannel.Browser);
  }

  @Post('markallasreademail')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark all of the caller\'s messages as read by e-mail' })
  @ApiOkResponse({ type: MarkAllResultDto })
  markAllAsReadEmail(@Principal() caller: UserPrincipal, @Param('userId') userId: string): Promise<MarkAllResultDto> {
    return this.service.markAllRead(caller, userId, ReadChannel.Email);
  }
}
