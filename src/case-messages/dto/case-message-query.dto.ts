import { ApiHideProperty } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { BooleanField, GuidField, IntField, PageLimit } from '../../common/validation.decorators';
import { DEFAULT_FEED_PAGE_SIZE, MAX_PAGE_SIZE } from '../case-messages.constants';

/**
 * Query of every v3 route: only the token may ride along. Declared so the global pipe's
 * forbidNonWhitelisted turns any other parameter into a 400.
 */
export class AccessTokenQueryDto {
  // Documented once, as the `accessToken` security scheme (apiKey in query); as a parameter too, generated
  // clients would ask for the token twice.
  @ApiHideProperty()
  @IsOptional()
  @IsString()
  accessToken?: string;
}

/** Filters shared by the list and the feed. */
class PageQueryDto extends AccessTokenQueryDto {
  @IntField({ min: 0, fromQuery: true, optional: true, description: 'Only messages with a greater id (the last id seen)', example: 0 })
  afterId?: number;

  @BooleanField({ fromQuery: true, optional: true, description: 'Only messages not yet confirmed', example: true })
  unconfirmed?: boolean;
}

/** `GET /api/v3/case-messages?guid=…`: all messages of one case (limit defaults to all). */
export class ListCaseMessagesQueryDto extends PageQueryDto {
  @GuidField({ description: 'Guid of the case', example: '1e0abcb7-b94c-4072-a9c0-37072a1ef015' })
  guid: string;

  @PageLimit(MAX_PAGE_SIZE)
  limit?: number;
}

/** `GET /api/v3/case-messages/feed`. */
export class FeedQueryDto extends PageQueryDto {
  @PageLimit(MAX_PAGE_SIZE, DEFAULT_FEED_PAGE_SIZE)
  limit?: number;
}
