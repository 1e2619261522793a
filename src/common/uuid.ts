/**
 * Any 8-4-4-4-12 hexadecimal string. Deliberately looser than RFC 4122: the original API's
 * own ids are not version-conformant and must keep working.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}
