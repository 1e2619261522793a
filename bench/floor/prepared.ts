import { createHash } from 'node:crypto';
import { Pool, QueryResult } from 'pg';

const names = new Map<string, string>();

/**
 * The app runs its fixed-text statements as named prepared statements on external PostgreSQL
 * (src/database/prepared-statements.ts); the floor sends the same statements the same way, so the ratio
 * keeps measuring the framework and not a protocol difference. The filter's SQL is not prepared in either.
 */
export function prepared(pool: Pool, text: string, values: unknown[]): Promise<QueryResult> {
  let name = names.get(text);
  if (name === undefined) {
    name = `floor_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return pool.query({ name, text, values });
}
