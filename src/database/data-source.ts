import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { EnvironmentVariables, validateEnv } from '../config/env.validation';
import { ENTITIES } from './entities';
import { startEmbeddedPostgres } from './embedded-postgres';

// Compiled, this file lives in dist/database and migrations in dist/migrations; from source,
// src/database and the top-level migrations/ folder.
const MIGRATIONS_GLOB = __filename.endsWith('.js')
  ? join(__dirname, '..', 'migrations', '*.js')
  : join(__dirname, '..', '..', 'migrations', '*.ts');

/** The one place that says how we talk to PostgreSQL: used by the app, the CLI, the tests and the TypeORM CLI. */
export function buildDataSourceOptions(env: EnvironmentVariables, url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
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

/** For the TypeORM CLI (`npm run migration:*`): the real database, or the embedded one under DATA_DIR. */
async function createCliDataSource(): Promise<DataSource> {
  const env = validateEnv(process.env);
  const url = env.DATABASE_URL ?? (await startEmbeddedPostgres(env.DATA_DIR)).url;
  const options = buildDataSourceOptions(env, url);
  // No request statement timeout for migrations by hand (see runMigrationsExclusively); 0 is not sent at all.
  return new DataSource({ ...options, extra: { ...options.extra, statement_timeout: 0 } });
}

export const cliDataSource = require.main?.filename.includes('typeorm') ? createCliDataSource() : undefined;
