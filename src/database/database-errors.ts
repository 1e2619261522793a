import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';

export const PG_UNIQUE_VIOLATION = '23505';

/** The SQLSTATE of a failed query, if the error came from PostgreSQL. */
export function pgErrorCode(error: unknown): string | undefined {
  if (error instanceof QueryFailedError) return (error.driverError as { code?: string }).code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

// PostgreSQL SQLSTATE classes/codes that mean "the database is not reachable right now".
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '57014']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
// "is not currently accepting connections": SQLSTATE 55000 (ALTER DATABASE … ALLOW_CONNECTIONS false during
// maintenance), a code too general to map by itself.
const UNAVAILABLE_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /Connection terminated/i,
  /connection.*(closed|ended)/i,
  /Client has encountered a connection error/i,
  /is not currently accepting connections/i,
];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
}

/** True for errors that mean "PostgreSQL is not reachable right now" (answered 503, not logged as a failure). */
export function isDatabaseUnavailable(error: unknown): boolean {
  // TypeORM releases a transaction's query runner when its connection breaks: the next statement or the
  // COMMIT then meets a released runner.
  if (error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError) return true;
  const e = (error ?? {}) as ErrorLike;
  const inner = (e.driverError ?? e) as ErrorLike;
  const code = typeof inner.code === 'string' ? inner.code : '';
  if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_NODE_CODES.has(code)) return true;
  const message = typeof inner.message === 'string' ? inner.message : '';
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}
