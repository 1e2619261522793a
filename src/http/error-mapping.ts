import { HttpException, HttpStatus } from '@nestjs/common';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { BODY_TOO_LARGE_MESSAGE } from '../http/body-limit';
import { DomainError, DomainErrorCode } from './domain-error';

export interface MappedError {
  status: number;
  message: string;
  /** True when the error is ours to log as a failure (a 5xx that is not a plain outage). */
  unexpected: boolean;
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
  statusCode?: unknown;
  message?: unknown;
  driverError?: unknown;
}

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

const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  INVALID: HttpStatus.BAD_REQUEST,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  CONFLICT: HttpStatus.CONFLICT,
};

/** Maps anything thrown while handling a request to a status and a message safe to show the caller. */
export function mapError(error: unknown): MappedError {
  if (error instanceof DomainError) return { status: DOMAIN_STATUS[error.code], message: error.message, unexpected: false };
  if (error instanceof HttpException) {
    // Nest wraps Fastify's 4xx errors (body too large, malformed JSON, content type) in an HttpException.
    const fastifyCode = (error.cause as ErrorLike | undefined)?.code;
    const message = typeof fastifyCode === 'string' && fastifyCode.startsWith('FST_') ? fastifyMessage(fastifyCode, messageOf(error)) : messageOf(error);
    // A 503 thrown on purpose (the readiness probe during an outage) is an answer, not a failure of ours.
    const status = error.getStatus();
    return { status, message, unexpected: status >= 500 && status !== HttpStatus.SERVICE_UNAVAILABLE };
  }
  if (isDatabaseUnavailable(error)) {
    return { status: HttpStatus.SERVICE_UNAVAILABLE, message: 'Service temporarily unavailable', unexpected: false };
  }
  const e = (error ?? {}) as ErrorLike;
  // Fastify's own errors, should one arrive unwrapped, carry a 4xx statusCode.
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 && typeof e.code === 'string' && e.code.startsWith('FST_')) {
    return { status: e.statusCode, message: fastifyMessage(e.code, String(e.message)), unexpected: false };
  }
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error', unexpected: true };
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return error.getStatus() === 404 ? withoutQuery(message) : message;
  return notReadyMessage(response) ?? error.message;
}

/** Nest's unknown-route 404 says `Cannot GET /path?query`: the query may hold an `accessToken`. */
function withoutQuery(message: string): string {
  return message.replace(/^(Cannot \S+ [^?\s]*)\?\S*/, '$1');
}

/** A failed terminus health check (`/health/ready`): names the failed checks, not their (internal) errors. */
function notReadyMessage(response: object): string | undefined {
  const { status, error } = response as { status?: unknown; error?: unknown };
  if (status !== 'error' || error === null || typeof error !== 'object') return undefined;
  return `Not ready: ${Object.keys(error).join(', ')}`;
}

function fastifyMessage(code: string, message: string): string {
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return BODY_TOO_LARGE_MESSAGE;
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Request body is not valid JSON';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported content type: send application/json';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'Content-Length does not match the body';
    default:
      return message;
  }
}
