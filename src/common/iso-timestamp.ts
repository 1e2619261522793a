/** Timestamps as the APIs accept them, in one place for request bodies and the v2 filter. */

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|z|[+\- ]\d{2}:?\d{2})?$/;

/** ISO 8601 at up to millisecond precision; no offset means UTC. A space stands for "+", since a query string decodes "+" to a space. */
export function parseTimestamp(raw: string): string | undefined {
  const match = TIMESTAMP.exec(raw);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const millis = Number((match[7] ?? '0').padEnd(3, '0'));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(local);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offset = offsetMinutes(match[8]);
  if (offset === undefined) return undefined;
  return new Date(local - offset * 60_000).toISOString();
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
