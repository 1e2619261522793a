import { BadRequestException } from '@nestjs/common';
import { isCanonicalTimestamp } from '../common/iso-timestamp';
import { isUuid } from '../common/uuid';
import { UserMessageResponseDto } from './dto/user-message-response.dto';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
/** Longer than any cursor this API writes (a timestamp and a uuid, base64url). */
export const MAX_CURSOR_LENGTH = 200;

/** A keyset position: the (timestamp, id) of the last message of the previous page. */
export interface Cursor {
  timestamp: string;
  id: string;
}

export interface Page {
  items: UserMessageResponseDto[];
  /** Where the next page starts; undefined on the last page. */
  next?: Cursor;
}

export interface PageRequest {
  limit: number;
  after?: Cursor;
}

export function parseLimit(raw: unknown): number {
  if (raw === undefined || raw === '') return DEFAULT_LIMIT;
  const limit = typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) throw new BadRequestException(`limit must be an integer between 1 and ${MAX_LIMIT}`);
  return limit;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.timestamp, cursor.id])).toString('base64url');
}

/** Opaque to clients; anything that does not decode to our own shape is a 400. */
export function decodeCursor(raw: unknown): Cursor | undefined {
  if (raw === undefined || raw === '') return undefined;
  const invalid = () => new BadRequestException('cursor is invalid; use the Link header of the previous page');
  if (typeof raw !== 'string' || raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw invalid();
  const [timestamp, id] = decoded as unknown[];
  // Calendar-checked too: 30 February or the year 0 would reach PostgreSQL and fail there (a 500).
  if (typeof timestamp !== 'string' || !isCanonicalTimestamp(timestamp) || !isUuid(id)) throw invalid();
  return { timestamp, id: id.toLowerCase() };
}

export function parsePageRequest(query: { limit?: unknown; cursor?: unknown }): PageRequest {
  return { limit: parseLimit(query.limit), after: decodeCursor(query.cursor) };
}

/** `Link: <path?…&cursor=…>; rel="next"`, keeping the caller's other query parameters. */
export function nextLink(path: string, query: Record<string, string | undefined>, next: Cursor): string {
  const params = Object.entries({ ...query, cursor: encodeCursor(next) })
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&');
  return `<${path}?${params}>; rel="next"`;
}
