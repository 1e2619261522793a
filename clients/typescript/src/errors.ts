/** Every error the client throws; `instanceof MessagingError` catches them all. */
export class MessagingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The client refused the call before sending it: the service would answer 400 (or the call cannot be made). */
export class InvalidRequestError extends MessagingError {}

/** The service could not be reached (connection refused, reset, DNS), after the retries that were safe. */
export class NetworkError extends MessagingError {}

/**
 * The service answered with an error status. `message` is the envelope's `error.message` as the service
 * wrote it; `requestId` finds the service's log line.
 */
export class ApiError extends MessagingError {
  constructor(
    readonly status: number,
    message: string,
    readonly requestId: string | undefined,
    /** Seconds from `Retry-After` (429 and 503), when the service sent it. */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message);
  }

  /** The error for a response, typed by its status, with the envelope's message. */
  static async fromResponse(response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => '');
    const message = envelopeMessage(text) ?? `HTTP ${response.status}`;
    const Type = ERROR_TYPES[response.status] ?? ApiError;
    return new Type(response.status, message, response.headers.get('x-request-id') ?? undefined, retryAfterSeconds(response.headers));
  }
}

export class BadRequestError extends ApiError {}
export class UnauthorizedError extends ApiError {}
export class ForbiddenError extends ApiError {}
export class NotFoundError extends ApiError {}
export class ConflictError extends ApiError {}
export class PayloadTooLargeError extends ApiError {}
export class RateLimitedError extends ApiError {}
export class ServiceUnavailableError extends ApiError {}

const ERROR_TYPES: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  429: RateLimitedError,
  503: ServiceUnavailableError,
};

function envelopeMessage(text: string): string | undefined {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

/** `Retry-After` as seconds: an integer, or an HTTP date. */
export function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
