import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Pool, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { EnvironmentVariables } from '../config/env.validation';
import { Transaction } from './transactions';

/**
 * Runs the hot statements as named prepared statements, straight on TypeORM's `pg` pool: each pooled
 * connection parses and plans a statement once, then only binds and executes it (alone, the v3 list went
 * from 0.9 to 0.5 ms and the v2 inbox from 0.85 to 0.6 ms), and the call skips TypeORM's query runner.
 *
 * `query` is for SQL whose text comes from a fixed set (module constants, or one of a few variants): every
 * distinct text becomes one prepared statement on every connection. `queryDynamic` is for SQL assembled
 * per request (the v2 filter, whose text follows the filter's clauses): it runs unnamed on the same pool,
 * so PostgreSQL plans it with the request's values every time. Prepared, PostgreSQL would switch to a
 * generic plan after five runs, and for some filter shapes that plan scans user_messages sequentially
 * (test/query-plans.e2e-spec.ts checks the custom plans).
 *
 * Both are off on the embedded PGlite — one backend shared by every socket connection, so a reconnecting
 * pool would prepare a name the backend still holds — and with DB_PREPARED_STATEMENTS=false, e.g. behind a
 * connection pooler in transaction mode: then they go through TypeORM's `dataSource.query`. Otherwise
 * errors are `pg`'s own, not TypeORM's QueryFailedError; error-mapping and pgErrorCode read both.
 */
@Injectable()
export class PreparedStatements {
  private readonly enabled: boolean;

  constructor(
    private readonly dataSource: DataSource,
    env: EnvironmentVariables,
  ) {
    this.enabled = env.DB_PREPARED_STATEMENTS && env.DATABASE_URL !== undefined;
  }

  /** In `tx` when given (on its connection, unprepared), else prepared on the pool as its own transaction. */
  async query<T>(text: string, values: unknown[], tx?: Transaction): Promise<T[]> {
    if (tx) return tx.manager.query(text, values);
    if (!this.enabled) return this.dataSource.query(text, values);
    return this.run<T>({ name: preparedStatementName(text), text, values });
  }

  async queryDynamic<T>(text: string, values: unknown[]): Promise<T[]> {
    if (!this.enabled) return this.dataSource.query(text, values);
    return this.run<T>({ text, values });
  }

  private async run<T>(query: { name?: string; text: string; values: unknown[] }): Promise<T[]> {
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const { rows } = await pool.query<T & QueryResultRow>(query);
    return rows;
  }
}

const names = new Map<string, string>();

/** A name per distinct text, so a name never stands for two statements (the bench's floor uses it too). */
export function preparedStatementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `ms_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}
