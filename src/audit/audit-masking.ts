import { redactUrl } from '../observability/logger';

/** Field names whose values are secrets wherever they stand in a request (secret, token, password, headers…). */
const SECRET_NAME = /secret|token|password|authorization|headers|apikey/i;
export const MASK = '***';

/**
 * A copy of an admin request's fields fit for the audit log: secrets replaced by `***`, a URL's password
 * and token-like strings hidden. Nested objects and arrays are masked too.
 */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, SECRET_NAME.test(key) ? MASK : maskSecrets(inner)]));
  }
  if (typeof value === 'string') return maskUrlPassword(redactUrl(value));
  return value;
}

/** `scheme://user:***@host…` for a URL with a password; anything else as it is. */
function maskUrlPassword(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/i, `$1:${MASK}@`);
}
