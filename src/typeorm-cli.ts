import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateEnv } from './config/env.validation';
import { buildDataSourceOptions } from './database/data-source';
import { startEmbeddedPostgres } from './database/embedded-postgres';
import { ENTITIES } from './entities';

/** For the TypeORM CLI (`npm run migration:*`): the real database, or the embedded one under DATA_DIR. */
async function createCliDataSource(): Promise<DataSource> {
  const env = validateEnv(process.env);
  const url = env.DATABASE_URL ?? (await startEmbeddedPostgres(env.DATA_DIR)).url;
  const options = buildDataSourceOptions(env, url, ENTITIES);
  // No request statement timeout for migrations by hand (see runMigrationsExclusively); 0 is not sent at all.
  return new DataSource({ ...options, extra: { ...options.extra, statement_timeout: 0 } });
}

export const cliDataSource = createCliDataSource();
