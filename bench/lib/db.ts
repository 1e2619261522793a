import { join } from 'node:path';
import { Client, Pool } from 'pg';
import type * as DataSourceModule from '../../src/database/data-source';
import type * as EnvModule from '../../src/config/env.validation';
import type * as MigrateModule from '../../src/database/migrate';
import { assertBenchName, BenchConfig, databaseUrl } from './config';
import { appDist } from './dist';

/** Drops and recreates a bench database. Only names containing "bench" get this far. */
export async function recreateDatabase(config: BenchConfig, database: string): Promise<void> {
  assertBenchName(database);
  const admin = new Client({ connectionString: `${config.serverUrl}/postgres` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
}

export async function databaseExists(config: BenchConfig, database: string): Promise<boolean> {
  const admin = new Client({ connectionString: `${config.serverUrl}/postgres` });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    return (rowCount ?? 0) > 0;
  } finally {
    await admin.end();
  }
}

/** Runs the app's own migrations through the built data source, exactly as the server does at start-up. */
export async function runAppMigrations(config: BenchConfig, database: string): Promise<void> {
  const { buildDataSourceOptions } = (await import(join(appDist(), 'database', 'data-source.js'))) as typeof DataSourceModule;
  const { openDataSource } = (await import(join(appDist(), 'database', 'migrate.js'))) as typeof MigrateModule;
  const { validateEnv } = (await import(join(appDist(), 'config', 'env.validation.js'))) as typeof EnvModule;
  const url = databaseUrl(config, database);
  const dataSource = await openDataSource(buildDataSourceOptions(validateEnv({ DATABASE_URL: url }), url), true);
  await dataSource.destroy();
}

/**
 * The session settings the app's own pool sets on every connection (e.g. jit=off, no parallel workers),
 * read from the built data source so the floor runs its SQL under the same settings.
 */
export async function appSessionOptions(config: BenchConfig, database: string): Promise<string | undefined> {
  const { buildDataSourceOptions } = (await import(join(appDist(), 'database', 'data-source.js'))) as typeof DataSourceModule;
  const { validateEnv } = (await import(join(appDist(), 'config', 'env.validation.js'))) as typeof EnvModule;
  const url = databaseUrl(config, database);
  const options = buildDataSourceOptions(validateEnv({ DATABASE_URL: url }), url) as { extra?: { options?: string } };
  return options.extra?.options;
}

export function openPool(config: BenchConfig, database: string, max = 4): Pool {
  return new Pool({ connectionString: databaseUrl(config, database), max, application_name: 'bench-harness' });
}
