import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { IsLooseUuid, Required } from '../../common/validation.decorators';
import { MAX_INT4 } from '../../common/param.pipes';
import { MAX_PAGE_SIZE } from '../case-messages.constants';

/** Parses `"true"`/`"false"` query values; anything else is left for @IsBoolean to reject. */
export const QueryBoolean = () =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

/** Parses decimal query values; anything else is left for @IsInt to reject. */
export const QueryInt = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value));

/**
 * Query of every v3 route: only the token may ride along. Declared so the global pipe's
 * forbidNonWhitelisted turns any other parameter into a 400.
 */
export class AccessTokenQueryDto {
  @ApiPropertyOptional({ description: 'Account token (or send `Authorization: Bearer <token>`)', example: 'my_key' })
  @IsOptional()
  @IsString()
  accessToken?: string;
}

/** Filters shared by the list and the feed (decorators run bottom-up: the type check is reported first). */
export class PageQueryDto extends AccessTokenQueryDto {
  @ApiPropertyOptional({ description: 'Only messages with a greater id (the last id seen)', example: 0, minimum: 0 })
  @IsOptional()
  @QueryInt()
  @Max(MAX_INT4, { message: `$property must be less than or equal to ${MAX_INT4}` })
  @Min(0, { message: '$property must be greater than or equal to 0' })
  @IsInt({ message: '$property must be an integer' })
  afterId?: number;

  @ApiPropertyOptional({ description: 'Only messages not yet confirmed', example: true })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: '$property must be a boolean' })
  unconfirmed?: boolean;

  @ApiPropertyOptional({ description: `Page size, 1..${MAX_PAGE_SIZE}; never clamped`, minimum: 1, maximum: MAX_PAGE_SIZE, example: 100 })
  @IsOptional()
  @QueryInt()
  @Max(MAX_PAGE_SIZE, { message: `$property must be less than or equal to ${MAX_PAGE_SIZE}` })
  @Min(1, { message: '$property must be greater than or equal to 1' })
  @IsInt({ message: '$property must be an integer' })
  limit?: number;
}

/** `GET /api/v3/case-messages?guid=…`: all messages of one case (limit defaults to all). */
export class ListCaseMessagesQueryDto extends PageQueryDto {
  @ApiProperty({ description: 'Guid of the case', example: '1e0abcb7-b94c-4072-a9c0-37072a1ef015', format: 'uuid' })
  @Required()
  @IsLooseUuid()
  guid: string;
}

/** `GET /api/v3/case-messages/feed`: limit defaults to DEFAULT_FEED_PAGE_SIZE (100). */
export class FeedQueryDto extends PageQueryDto {}
