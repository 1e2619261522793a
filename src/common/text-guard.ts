/** Why a string cannot be stored as it was sent, or (depth, keys) why the input is not read at all. */
export type UnstorableText = 'NUL' | 'lone surrogate' | 'depth' | 'keys';

/** No request of these APIs nests deeper than 3 levels; walking 100,000 levels overflowed the stack (a 500). */
export const MAX_DEPTH = 32;

/**
 * At most this many keys in all objects of one input together (array elements do not count). No DTO has
 * more than 20 fields; class-transformer removes duplicate keys with an indexOf per key, quadratic in
 * one object's keys: a 1 MiB body of ~110,000 keys held the event loop for 6–18 s (every other request
 * waited). 1,000 keys cost it under 1 ms.
 */
export const MAX_KEYS = 1000;

/**
 * Strings PostgreSQL would not store as sent: U+0000 (text cannot hold it) and a lone UTF-16 surrogate
 * (JSON's `"\ud800"`), which the driver's UTF-8 encoding silently turns into U+FFFD, so the stored text
 * would differ from the request (and an idempotent retry of it would then look like a different
 * message). Returns the path of the first such string, in keys or values, or undefined; input nested
 * deeper than MAX_DEPTH or with more than MAX_KEYS keys is refused as such.
 */
export function findUnstorableText(value: unknown): { path: string; problem: UnstorableText } | undefined {
  return walk(value, '', 0, { keys: 0 });
}

function walk(value: unknown, path: string, depth: number, seen: { keys: number }): { path: string; problem: UnstorableText } | undefined {
  if (depth > MAX_DEPTH) return { path: path || 'value', problem: 'depth' };
  if (typeof value === 'string') {
    const problem = problemOf(value);
    return problem ? { path: path || 'value', problem } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], `${path}[${i}]`, depth + 1, seen);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    seen.keys += keys.length;
    if (seen.keys > MAX_KEYS) return { path: path || 'value', problem: 'keys' };
    for (const key of keys) {
      const child = (value as Record<string, unknown>)[key];
      const childPath = path ? `${path}.${key}` : key;
      const problem = problemOf(key);
      if (problem) return { path: childPath, problem };
      const found = walk(child, childPath, depth + 1, seen);
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
  if (problem === 'keys') return `Input has too many fields (at most ${MAX_KEYS} in all)`;
  return problem === 'NUL' ? `"${path}" must not contain NUL characters` : `"${path}" must be valid Unicode (it contains a lone surrogate)`;
}
