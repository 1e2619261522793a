/** Why a string cannot be stored as it was sent, or (depth) why the input is not read at all. */
export type UnstorableText = 'NUL' | 'lone surrogate' | 'depth';

/** No request of these APIs nests deeper than 3 levels; walking 100,000 levels overflowed the stack (a 500). */
export const MAX_DEPTH = 32;

/**
 * Strings PostgreSQL would not store as sent: U+0000 (text cannot hold it) and a lone UTF-16 surrogate
 * (JSON's `"\ud800"`), which the driver's UTF-8 encoding silently turns into U+FFFD, so the stored text
 * would differ from the request (and an idempotent retry of it would then look like a different
 * message). Returns the path of the first such string, in keys or values, or undefined; input nested
 * deeper than MAX_DEPTH is refused as such.
 */
export function findUnstorableText(value: unknown, path = '', depth = 0): { path: string; problem: UnstorableText } | undefined {
  if (depth > MAX_DEPTH) return { path: path || 'value', problem: 'depth' };
  if (typeof value === 'string') {
    const problem = problemOf(value);
    return problem ? { path: path || 'value', problem } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      const problem = problemOf(key);
      if (problem) return { path: childPath, problem };
      const found = findUnstorableText(child, childPath, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function problemOf(text: string): UnstorableText | undefined {
  if (text.includes('\u0000')) return 'NUL';
  return text.isWellFormed() ? undefined : 'lone surrogate';
}

/** The 400 message for findUnstorableText's answer. */
export function unstorableTextMessage({ path, problem }: { path: string; problem: UnstorableText }): string {
  if (problem === 'depth') return `Input is nested too deeply (at most ${MAX_DEPTH} levels)`;
  return problem === 'NUL' ? `"${path}" must not contain NUL characters` : `"${path}" must be valid Unicode (it contains a lone surrogate)`;
}
