import { randomUUID } from 'node:crypto';
import { ApiError, InvalidRequestError, NetworkError, retryAfterSeconds } from './errors';

/**
 * How the token travels. `auto`: `Authorization: BimPlus <token>` on /v2, `Authorization: Bearer <token>`
 * elsewhere. v3 also takes `hub-api-token` (`X-Hub-Api-Token`, as Service Order Hub clients send it) and
 * `access-token` (the `accessToken` query parameter of the original API; it ends up in proxies' logs, so
 * prefer a header).
 */
export type AuthStyle = 'auto' | 'bearer' | 'bimplus' | 'hub-api-token' | 'access-token';

export interface RetryOptions {
  /** Attempts per call, the first included (default 3; 1 disables retries). */
  maxAttempts?: number;
  /** A wait longer than this (from `Retry-After`) is not waited for: the error is thrown at once (default 10 s). */
  maxDelayMs?: number;
  /** Wait before the second attempt when the service names none; doubles per attempt (default 500 ms). */
  baseDelayMs?: number;
}

export interface TransportOptions {
  token: string;
  auth?: AuthStyle;
  /** v3 integrators: act as this provider account (`X-Service-Provider`). */
  serviceProvider?: number;
  retry?: RetryOptions;
  fetch?: (request: Request) => Promise<Response>;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
/** POSTs that change nothing the second time: confirming and marking set a state. */
const IDEMPOTENT_POST = /\/(confirm|markas(un)?read(browser|email)|markallasread(browser|email))$/;
const V2_CREATE = /\/v2\/messages$/;
const V3_CREATE = /\/api\/v3\/case-messages\/create$/;
const RETRIED_WHEN_IDEMPOTENT = new Set([502, 503, 504]);

interface PreparedRequest {
  url: string;
  method: string;
  headers: Headers;
  body: ArrayBuffer | undefined;
  signal: AbortSignal;
}

/**
 * The `fetch` under the generated client: adds the token, retries what is safe to retry, and turns every
 * error status into a typed `ApiError`. A 429 was refused before anything happened, so every call retries
 * it; a 502/503/504 or a lost connection may have come after the change, so only idempotent calls retry
 * them: reads, PUT/DELETE, confirm and mark calls, a v3 create with an `externalId` and a v2 create with an
 * `Idempotency-Key` (added here when the caller gave none, the same on every attempt).
 */
export function createTransport(options: TransportOptions): (request: Request) => Promise<Response> {
  if (!options.token) throw new InvalidRequestError('token is required');
  const maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 3);
  const maxDelayMs = options.retry?.maxDelayMs ?? 10_000;
  const baseDelayMs = options.retry?.baseDelayMs ?? 500;
  const send = options.fetch ?? ((request: Request) => fetch(request));

  return async (original: Request) => {
    const prepared = await prepare(original, options);
    const idempotent = isIdempotent(prepared);
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await send(new Request(prepared.url, { method: prepared.method, headers: prepared.headers, body: prepared.body, signal: prepared.signal }));
      } catch (error) {
        if (prepared.signal.aborted) throw error;
        if (!idempotent || attempt >= maxAttempts) throw new NetworkError(`${prepared.method} ${new URL(prepared.url).pathname}: ${failureOf(error)}`, { cause: error });
        await sleep(backoff(baseDelayMs, attempt), prepared.signal);
        continue;
      }
      if (response.ok) return response;
      const retryable = response.status === 429 || (idempotent && RETRIED_WHEN_IDEMPOTENT.has(response.status));
      const after = retryAfterSeconds(response.headers);
      const delay = after === undefined ? backoff(baseDelayMs, attempt) : after * 1000;
      if (!retryable || attempt >= maxAttempts || delay > maxDelayMs) throw await ApiError.fromResponse(response);
      await response.body?.cancel();
      await sleep(delay, prepared.signal);
    }
  };
}

async function prepare(request: Request, options: TransportOptions): Promise<PreparedRequest> {
  const url = new URL(request.url);
  const headers = new Headers(request.headers);
  const style = options.auth && options.auth !== 'auto' ? options.auth : url.pathname.startsWith('/v2/') ? 'bimplus' : 'bearer';
  if (style === 'bearer') headers.set('authorization', `Bearer ${options.token}`);
  if (style === 'bimplus') headers.set('authorization', `BimPlus ${options.token}`);
  if (style === 'hub-api-token') headers.set('x-hub-api-token', options.token);
  if (style === 'access-token') url.searchParams.set('accessToken', options.token);
  if (options.serviceProvider !== undefined) headers.set('x-service-provider', String(options.serviceProvider));
  if (request.method === 'POST' && V2_CREATE.test(url.pathname) && !headers.has('idempotency-key')) headers.set('idempotency-key', randomUUID());
  const body = request.body ? await request.arrayBuffer() : undefined;
  return { url: url.toString(), method: request.method, headers, body, signal: request.signal };
}

function isIdempotent(request: PreparedRequest): boolean {
  if (IDEMPOTENT_METHODS.has(request.method)) return true;
  const path = new URL(request.url).pathname;
  if (request.method !== 'POST') return false;
  if (IDEMPOTENT_POST.test(path) || request.headers.has('idempotency-key')) return true;
  return V3_CREATE.test(path) && hasExternalId(request.body);
}

function hasExternalId(body: ArrayBuffer | undefined): boolean {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(body)) as { externalId?: unknown };
    return typeof parsed.externalId === 'string' && parsed.externalId !== '';
  } catch {
    return false;
  }
}

/** Doubling with up to 50 % jitter, so clients that failed together do not come back together. */
function backoff(baseMs: number, attempt: number): number {
  return baseMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
}

/** Waits, or rejects as soon as the caller aborts the call. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function failureOf(error: unknown): string {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  return [(error as Error).message, cause?.code ?? cause?.message].filter(Boolean).join(': ');
}
