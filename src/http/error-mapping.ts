import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { isDatabaseUnavailable } from '../database/database-errors';
import { BODY_TOO_LARGE_MESSAGE } from './body-limit';
import { RetryLaterException } from './retry-later.exception';

/** Retry-After of a 503 that names no time of its own (a database outage, the readiness probe, a full instance). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export interface MappedError {
  status: number;
  message: string;
  /** True when the error is ours to log as a failure (a 5xx that is not a plain outage). */
  unexpected: boolean;
  /** Sent as Retry-After: every 503, and a refusal that names its own time (RetryLaterException). */
  retryAfterSeconds?: number;
}

interface ErrorLike {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  driverError?: unknown;
}

const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  INVALID: HttpStatus.BAD_REQUEST,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  CONFLICT: HttpStatus.CONFLICT,
};

/** Maps anything thrown while handling a request to a status and a message safe to show the caller. */
export function mapError(error: unknown): MappedError {
  const mapped = mapStatus(error);
  const retryAfterSeconds = error instanceof RetryLaterException ? error.retryAfterSeconds : mapped.status === HttpStatus.SERVICE_UNAVAILABLE ? UNAVAILABLE_RETRY_AFTER_SECONDS : undefined;
  return retryAfterSeconds === undefined ? mapped : { ...mapped, retryAfterSeconds };
}

function mapStatus(error: unknown): MappedError {
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
