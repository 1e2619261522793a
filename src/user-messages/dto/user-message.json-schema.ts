import { answersArrayOf, answersOne } from '../../http/response-schema';
import { GroupSentMessageResponseDto, UserMessageResponseDto } from './user-message-response.dto';

/** Route schemas (`@RouteSchema`) of the endpoints that answer one message or a page of them. */
export const ONE_USER_MESSAGE = answersOne(UserMessageResponseDto);
export const CREATED_USER_MESSAGE = answersOne(UserMessageResponseDto, 201);
export const USER_MESSAGE_PAGE = answersArrayOf(UserMessageResponseDto);
export const GROUP_SENT_PAGE = answersArrayOf(GroupSentMessageResponseDto);
