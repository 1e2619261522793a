import { BadRequestException, Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { BimPlusAuth, Principal } from '../../auth/auth.decorators';
import { ownUserId } from '../../auth/own-user-id';
import { UserPrincipal } from '../../auth/principal';
import { ErrorResponseDto, RETRY_AFTER } from '../../http/error-response.dto';
import { parseLastEventId } from './sse';
import { STREAM_CAP_RETRY_AFTER_SECONDS, UserStreamHub } from './user-stream.hub';

/** An event id: decimal digits (anything else is a 400). */
const LAST_EVENT_ID_SCHEMA = { type: 'string', pattern: '^[0-9]{1,15}$' } as const;

@ApiTags('user messages (v2)')
@Controller('v2/user/:userId/messages/stream')
export class UserStreamController {
  constructor(private readonly hub: UserStreamHub) {}

  // Rate limited like every API call (each open is a token lookup; EventSource reconnects every 2 s at most).
  @Get()
  @BimPlusAuth({ allowQueryToken: true })
  @ApiOperation({
    summary: 'Server-Sent Events: message (new), updated (flags changed) and deleted events for the caller',
    description:
      'Token as `Authorization: BimPlus <token>` or `?accessToken=` (EventSource cannot set headers). Each event id increases per user; ' +
      'reconnect with `Last-Event-ID` (EventSource does this itself) to replay what was missed. Comment lines are heartbeats.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Replay events after this id', schema: LAST_EVENT_ID_SCHEMA })
  @ApiQuery({ name: 'lastEventId', required: false, description: 'Same as Last-Event-ID, for clients that cannot set it', schema: LAST_EVENT_ID_SCHEMA })
  @ApiOkResponse({
    description:
      'An endless `text/event-stream`. Frames: `id: <n>` (increasing per user), `event: message|updated|deleted`, `data: <JSON>` — for ' +
      '`message` and `updated` the message as this user sees it (the UserMessageResponseDto schema), for `deleted` `{"id": "<message id>"}`. ' +
      'A frame with only an `id:` line moves the cursor past an event with nothing left to show; `:` lines are heartbeats.',
    content: { 'text/event-stream': { schema: { type: 'string', example: 'id: 7\nevent: deleted\ndata: {"id":"de96f4ae-79fd-4d83-99e9-07cec7a80906"}\n\n' } } },
  })
  @ApiForbiddenResponse({ description: "Another user's stream", type: ErrorResponseDto })
  @ApiTooManyRequestsResponse({
    description: `Rate limited, or the user already has SSE_MAX_STREAMS_PER_USER streams open on this instance (Retry-After: ${STREAM_CAP_RETRY_AFTER_SECONDS})`,
    type: ErrorResponseDto,
    headers: RETRY_AFTER,
  })
  @ApiServiceUnavailableResponse({ description: 'The database is unavailable, or this instance already holds SSE_MAX_STREAMS streams; try again after Retry-After seconds', type: ErrorResponseDto, headers: RETRY_AFTER })
  async stream(
    @Principal() caller: UserPrincipal,
    @Param('userId') userIdParam: string,
    @Headers('last-event-id') lastEventHeader: string | undefined,
    @Query('lastEventId') lastEventQuery: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const userId = ownUserId(caller, userIdParam);
    const lastEventId = parseLastEventId(lastEventHeader ?? lastEventQuery);
    if (Number.isNaN(lastEventId)) throw new BadRequestException('Last-Event-ID must be an event id');
    await this.hub.attach(userId, caller.tokenId, lastEventId, reply);
  }
}
