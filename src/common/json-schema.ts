/**
 * A JSON schema for a response object whose every property is always present (null where nullable),
 * nothing else: `required` is derived from the properties, so the two cannot drift apart.
 */
export function closedObject<P extends Record<string, object>>(properties: P, type: 'object' | readonly ['object', 'null'] = 'object') {
  return { type, properties, required: Object.keys(properties), additionalProperties: false };
}
