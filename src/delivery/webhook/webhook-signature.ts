import { createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`, as receivers verify it. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The receiver's side of `signWebhook`, in constant time (used by the tests and documented for partners). */
export function verifyWebhook(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export const WHSEC_PREFIX = 'whsec_';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** The key sizes Standard Webhooks asks for. */
const WHSEC_MIN_BYTES = 24;
const WHSEC_MAX_BYTES = 64;

/**
 * The Standard Webhooks key of a secret: a `whsec_<base64>` secret is its decoded bytes (what the
 * `standardwebhooks` libraries do with it); any other secret is its UTF-8 bytes, so receivers pass
 * `whsec_` + base64(secret) to those libraries.
 */
export function standardWebhookKey(secret: string): Buffer {
  return secret.startsWith(WHSEC_PREFIX) ? Buffer.from(secret.slice(WHSEC_PREFIX.length), 'base64') : Buffer.from(secret, 'utf8');
}

/** `webhook-signature` by the Standard Webhooks specification: `v1,<base64 HMAC-SHA256(key, id.timestamp.body)>`. */
export function signStandardWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', standardWebhookKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** Why a `whsec_` secret cannot be used, phrased to follow the field's name; undefined for any other secret. */
export function whsecProblem(secret: string): string | undefined {
  if (!secret.startsWith(WHSEC_PREFIX)) return undefined;
  const encoded = secret.slice(WHSEC_PREFIX.length);
  const bytes = BASE64.test(encoded) ? Buffer.from(encoded, 'base64').length : 0;
  if (bytes >= WHSEC_MIN_BYTES && bytes <= WHSEC_MAX_BYTES) return undefined;
  return `must be base64 of ${WHSEC_MIN_BYTES} to ${WHSEC_MAX_BYTES} bytes after "${WHSEC_PREFIX}"`;
}
