/** Timestamps as the APIs accept them, in one place for request bodies and the v2 filter. */

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|z|[+\- ]\d{2}:?\d{2})?$/;

/**
 * ISO 8601 (extended format), read to the millisecond: further fraction digits (Python's and .NET's
 * default output carry 6 and 7) are truncated, as the stored value is. No offset means UTC, unless
 * `zoned` requires the time and an offset (`Z` or ±hh:mm). A space stands for "+", since a query string
 * decodes "+" to a space. Years 0001–9999, also once converted to UTC (PostgreSQL cannot read the
 * expanded years `toISOString()` writes beyond them).
 */
export function parseTimestamp(raw: string, { zoned = false }: { zoned?: boolean } = {}): string | undefined {
  const match = TIMESTAMP.exec(raw);
  if (!match) return undefined;
  if (zoned && (match[4] === undefined || match[8] === undefined)) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = Number((match[7] ?? '0').slice(0, 3).padEnd(3, '0'));
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0–99 as 1900–1999.
  const local = new Date(Date.UTC(2000, 0, 1, hour, minute, second, millis));
  local.setUTCFullYear(year, month - 1, day);
  if (local.getUTCFullYear() !== year || local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day) return undefined;
  const offset = offsetMinutes(match[8]);
  if (offset === undefined) return undefined;
  const utc = new Date(local.getTime() - offset * 60_000);
  const utcYear = utc.getUTCFullYear();
  if (utcYear < 1 || utcYear > 9999) return undefined;
  return utc.toISOString();
}

/** A timestamp this API wrote (`toISOString()` of a year 0001–9999), e.g. inside a paging cursor. */
export function isCanonicalTimestamp(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(text) && parseTimestamp(text) === text;
}

function offsetMinutes(zone: string | undefined): number | undefined {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return undefined;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * A timestamptz as the APIs write it, `2017-07-26T14:02:02.170Z`, formatted by PostgreSQL: the driver then
 * passes a string through instead of parsing it into a Date that a mapper turns back into this string
 * (~13 % of the server's CPU on the v3 list benchmark, where each message has four). Timestamps are
 * stored truncated to milliseconds, so nothing is lost; `MS` truncates as `Date` does. Order by the
 * column itself, never by this text.
 */
export const isoTimestampSql = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
