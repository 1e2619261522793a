/** How many values an error message names before it only counts the rest. */
export const MAX_LISTED_VALUES = 10;

/**
 * `a, b, c`, or `a, b, … and 3 more` past `max`: an error names what was wrong without echoing a list of
 * 100,000 items back.
 */
export function listForMessage(values: readonly string[], max = MAX_LISTED_VALUES): string {
  const listed = values.slice(0, max).join(', ');
  return values.length > max ? `${listed} and ${values.length - max} more` : listed;
}
