import 'reflect-metadata';
import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { EnvironmentVariables } from '../config/env.validation';

// Compiled, this file lives in dist/database and migrations in dist/migrations; from source,
// src/database and the top-level migrations/ folder.
const MIGRATIONS_GLOB = __filename.endsWith('.js')
  ? join(__dirname, '..', 'migrations', '*.js')
  : join(__dirname, '..', '..', 'migrations', '*.ts');

/** TypeORM entity classes; the composition root lists them (src/entities.ts), migrations need none. */
export type EntityList = NonNullable<DataSourceOptions['entities']>;

/** The one place that says how we talk to PostgreSQL: used by the app, the CLI, the tests and the TypeORM CLI. */
export function buildDataSourceOptions(env: EnvironmentVariables, url: string, entities: EntityList = []): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
    extra: {
      // The embedded PGlite is one backend: several connections would interleave unrelated
      // statements on it (measured: "unnamed prepared statement does not exist"), so it gets one.
      max: env.DATABASE_URL ? env.DB_POOL_SIZE : 1,
      connectionTimeoutMillis: env.DB_CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
      statement_timeout: env.DB_STATEMENT_TIMEOUT_MS,
      application_name: 'messaging-service',
      // Short OLTP queries: parallel plans and JIT compilation cost more than they save here
      // (measured on the v2 filter: 18–36 ms with parallel workers, 7–14 ms without).
      ...(env.DATABASE_URL ? { options: '-c max_parallel_workers_per_gather=0 -c jit=off' } : {}),
    },
  };
}
