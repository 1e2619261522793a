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

/** A keyset position as the opaque cursor of a `Link` header: base64url JSON of the key's values. */
export function encodeCursorValues(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * The key values of a cursor written by encodeCursorValues, when `raw` is one (at most `maxLength`
 * characters, `size` values that `accept` takes); anything else is a 400.
 */
export function decodeCursorValues(raw: string, size: number, maxLength: number, accept: (values: unknown[]) => boolean): unknown[] {
  const invalid = () => new BadRequestException('cursor is invalid; use the Link header of the previous page');
  if (raw.length > maxLength || !/^[A-Za-z0-9_-]+$/.test(raw)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== size || !accept(decoded)) throw invalid();
  return decoded;
}

export function encodeCursor(cursor: Cursor): string {
  return encodeCursorValues([cursor.timestamp, cursor.id]);
}

/** Opaque to clients; anything that does not decode to our own shape is a 400. */
export function decodeCursor(raw: unknown): Cursor | undefined {
  if (raw === undefined || raw === '') return undefined;
  // Calendar-checked too: 30 February or the year 0 would reach PostgreSQL and fail there (a 500).
  const isPosition = ([timestamp, id]: unknown[]) => typeof timestamp === 'string' && isCanonicalTimestamp(timestamp) && isUuid(id);
  const [timestamp, id] = decodeCursorValues(typeof raw === 'string' ? raw : '', 2, MAX_CURSOR_LENGTH, isPosition) as [string, string];
  return { timestamp, id: id.toLowerCase() };
}

export function parsePageRequest(query: { limit?: unknown; cursor?: unknown }): PageRequest {
  return { limit: parseLimit(query.limit), after: decodeCursor(query.cursor) };
}

/** `Link: <path?…&cursor=…>; rel="next"`, keeping the caller's other query parameters; `cursor` already encoded. */
export function nextLink(path: string, query: Record<string, string | undefined>, cursor: string): string {
  const params = Object.entries({ ...query, cursor })
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&');
  return `<${path}?${params}>; rel="next"`;
}
