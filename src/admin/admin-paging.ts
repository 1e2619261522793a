import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches, MaxLength } from 'class-validator';
import { PageLimit } from '../common/validation.decorators';
import { FastifyReply } from 'fastify';
import { decodeCursorValues, encodeCursorValues, nextLink } from '../user-messages/paging';

export const DEFAULT_ADMIN_LIMIT = 100;
export const MAX_ADMIN_LIMIT = 1000;
const MAX_ADMIN_CURSOR_LENGTH = 300;

/** `limit` and `cursor` of every admin list (REST query and CLI options alike). */
export class AdminPageQueryDto {
  @PageLimit(MAX_ADMIN_LIMIT, DEFAULT_ADMIN_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: "Opaque; take it from the previous page's Link header", pattern: '^[A-Za-z0-9_-]+$', maxLength: MAX_ADMIN_CURSOR_LENGTH })
  @IsOptional()
  @MaxLength(MAX_ADMIN_CURSOR_LENGTH, { message: 'cursor is invalid; use the Link header of the previous page' })
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is invalid; use the Link header of the previous page' })
  cursor?: string;
}

/** One page of an admin list and, when more follow, the cursor of the next. */
export interface AdminPage<T> {
  items: T[];
  nextCursor?: string;
}

/** A list query as a repository takes it: at most `limit` rows after the keyset position `after`. */
export interface KeysetPage<K> {
  limit: number;
  after?: K;
}

/**
 * The keyset position a cursor holds, checked by `accept`; a cursor that is not one of ours (or of another
 * list) is a 400.
 */
export function readCursor<K extends unknown[]>(cursor: string | undefined, size: number, accept: (values: unknown[]) => boolean): K | undefined {
  if (cursor === undefined) return undefined;
  return decodeCursorValues(cursor, size, MAX_ADMIN_CURSOR_LENGTH, accept) as K;
}

/** The page from `limit + 1` rows read: the extra row only says that more follow, after the last kept one's `key`. */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => unknown[], map: (row: R) => T): AdminPage<T> {
  const kept = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items: kept.map(map), nextCursor: more ? encodeCursorValues(key(kept[kept.length - 1])) : undefined };
}

/** Sends the page as a bare array, announcing the next one in `Link: <…>; rel="next"` with the caller's other query parameters. */
export function sendAdminPage<T>(reply: FastifyReply, page: AdminPage<T>): T[] {
  if (page.nextCursor) {
    const query = { ...(reply.request.query as Record<string, string | undefined>), cursor: undefined };
    reply.header('Link', nextLink(reply.request.url.split('?')[0], query, page.nextCursor));
  }
  return page.items;
}
