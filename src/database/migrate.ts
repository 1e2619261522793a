import { DataSource, DataSourceOptions, Migration, MigrationExecutor } from 'typeorm';

/** pg_advisory_lock key held while migrating (any bigint, unique among this database's advisory locks). */
export const MIGRATION_LOCK_KEY = 3_300_000_001;

/**
 * Applies the pending migrations on one connection that holds a PostgreSQL advisory lock meanwhile, without
 * the pool's statement timeout:
 * - instances starting together on an empty database take turns: the first applies the migrations, the
 *   others wait and then find none pending (without the lock both ran the first migration, and the loser
 *   failed on "relation already exists" until TypeORM's connection retry recovered it, with errors logged);
 * - a migration that rewrites a large table (a backfill, an index) may run longer than DB_STATEMENT_TIMEOUT_MS,
 *   which is meant for requests: the 1795365000000 backfill takes ~2.6 s per million case messages.
 * All pending migrations run in one transaction, as TypeORM's own `migrationsRun` does.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<Migration[]> {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  try {
    await queryRunner.query('SET statement_timeout = 0');
    await queryRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await new MigrationExecutor(dataSource, queryRunner).executePendingMigrations();
    } finally {
      // Not masking a migration's own error: if the connection broke, its session's lock went with it.
      await queryRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    // Back to the timeout the connection was opened with, before the pool hands it to a request.
    await queryRunner.query('RESET statement_timeout').catch(() => undefined);
    await queryRunner.release();
  }
}

/**
 * A connected DataSource, migrated first when `migrate` (MIGRATIONS_RUN); closed again if migrating fails. With
 * `directUrl` (DATABASE_DIRECT_URL) the migrations run on a connection of their own straight to PostgreSQL: the
 * advisory lock and `SET statement_timeout` are session state, which a pooler in transaction mode would spread
 * over server connections (and leave behind for other clients).
 */
export async function openDataSource(options: DataSourceOptions, migrate: boolean, directUrl?: string): Promise<DataSource> {
  if (migrate && directUrl !== undefined) await migrateOnce({ ...options, url: directUrl, extra: { ...(options.extra as object), max: 1 } } as DataSourceOptions);
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  if (!migrate || directUrl !== undefined) return dataSource;
  try {
    await runMigrationsExclusively(dataSource);
    return dataSource;
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
}

/** Applies the pending migrations on a DataSource of its own, closed afterwards; returns what it applied. */
export async function migrateOnce(options: DataSourceOptions): Promise<Migration[]> {
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  try {
    return await runMigrationsExclusively(dataSource);
  } finally {
    await dataSource.destroy().catch(() => undefined);
  }
}
