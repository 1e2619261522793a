import { Pool, QueryResult } from 'pg';
import { preparedStatementName } from '../../src/database/prepared-statements';

/**
 * The app runs its fixed-text statements as named prepared statements on external PostgreSQL
 * (src/database/prepared-statements.ts); the floor sends the same statements the same way, so the ratio
 * keeps measuring the framework and not a protocol difference. The filter's SQL is not prepared in either
 * (PreparedStatements.queryDynamic).
 */
export function prepared(pool: Pool, text: string, values: unknown[]): Promise<QueryResult> {
  return pool.query({ name: preparedStatementName(text), text, values });
}
