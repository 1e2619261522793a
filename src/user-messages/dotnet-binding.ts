import { BadRequestException } from '@nestjs/common';

/** A JSON object's members, before binding. */
export type Plain = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Plain {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Keeps the known keys, matched case-insensitively; when two spellings collide the later one wins, as in .NET binding. */
export function pickKeys(input: Plain, known: Record<string, string>): Plain {
  const picked: Plain = {};
  for (const [key, value] of Object.entries(input)) {
    const lower = key.toLowerCase();
    if (Object.prototype.hasOwnProperty.call(known, lower)) picked[known[lower]] = value;
  }
  return picked;
}

/**
 * A request body bound as the original .NET service bound it: its known keys in any letter case, unknown
 * ones dropped (the global strict pipe would reject both). A body that is not a JSON object is a 400.
 */
export function bindBody(raw: unknown, known: Record<string, string>): Plain {
  if (!isPlainObject(raw)) throw new BadRequestException('Request body must be a JSON object');
  return pickKeys(raw, known);
}
