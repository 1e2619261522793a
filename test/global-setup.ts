import 'reflect-metadata';
import { validateEnv } from '../src/config/env.validation';
import { buildDataSourceOptions } from '../src/database/data-source';
import { openDataSource } from '../src/database/migrate';
import { assertTestDatabaseName, databaseName, recreateDatabase, templateName, withDatabase } from './support/test-database';

/**
 * With DATABASE_URL: migrate a template database once; every test file then clones its own
 * database from it. Without DATABASE_URL, each test file starts its own embedded PostgreSQL.
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const base = databaseName(url);
  assertTestDatabaseName(base);
  const template = templateName(base);
  await recreateDatabase(url, template);
  const env = validateEnv({ ...process.env, DATABASE_URL: withDatabase(url, template) });
  const dataSource = await openDataSource(buildDataSourceOptions(env, withDatabase(url, template)), true);
  await dataSource.destroy();
  process.env.TEST_TEMPLATE_DATABASE = template;
}
