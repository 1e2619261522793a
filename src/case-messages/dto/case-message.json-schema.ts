import { answersArrayOf, answersOne } from '../../http/response-schema';
import { CaseMessageResponseDto } from './case-message-response.dto';

/** Route schemas (`@RouteSchema`) of the endpoints that answer one message or an array of them. */
export const ONE_CASE_MESSAGE = answersOne(CaseMessageResponseDto);
export const CASE_MESSAGE_LIST = answersArrayOf(CaseMessageResponseDto);
