import { createHmac, timingSafeEqual } from 'node:crypto';
import { MessagingError } from './errors';

/** A webhook call that must not be trusted; `message` says why. */
export class WebhookVerificationError extends MessagingError {}

export interface VerifyOptions {
  /** Largest distance between `webhook-timestamp` and now, either way (default 300 s, as Standard Webhooks). */
  toleranceSeconds?: number;
  /** Now, in seconds (for replaying a stored call). */
  nowSeconds?: number;
}

export interface VerifiedWebhook<T = unknown> {
  /** The delivery id (`webhook-id`): the same on every retry, so a receiver drops duplicates by it. */
  id: string;
  timestamp: number;
  /** `message.created` or `message.confirmed` (`X-Webhook-Event`), when the call carries it. */
  event: string | undefined;
  payload: T;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/**
 * Verifies a webhook call by the Standard Webhooks specification, over the raw body as received (not a
 * re-serialised one). `secret` is the webhook's secret as it was set: `whsec_<base64>`, or any other
 * string (then its UTF-8 bytes are the key, as the service signs it).
 */
export function verifyWebhook<T = unknown>(secret: string, rawBody: string | Uint8Array, headers: HeaderSource, options: VerifyOptions = {}): VerifiedWebhook<T> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError('Missing webhook-id, webhook-timestamp or webhook-signature header');
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError('webhook-timestamp is not a unix time in seconds');
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs(now - Number(timestamp)) > tolerance) throw new WebhookVerificationError(`webhook-timestamp is more than ${tolerance} s away from now (a replay, or a clock out of step)`);
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);
  const expected = Buffer.from(
    `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.`).update(body).digest('base64')}`,
  );
  const matches = signatures.split(' ').some((given) => {
    const bytes = Buffer.from(given);
    return bytes.length === expected.length && timingSafeEqual(bytes, expected);
  });
  if (!matches) throw new WebhookVerificationError('No matching signature: another secret, or the body was changed on the way');
  return { id, timestamp: Number(timestamp), event: header(headers, 'x-webhook-event'), payload: JSON.parse(body.toString('utf8')) as T };
}

function keyOf(secret: string): Buffer {
  if (!secret) throw new WebhookVerificationError('secret is empty');
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(entry) ? entry[0] : entry;
}
