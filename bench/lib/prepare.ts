import { BenchConfig } from './config';
import { databaseExists, openPool, recreateDatabase, runAppMigrations } from './db';
import { seedDirectory, USERS } from './fixtures';
import { Suite } from './suite';

/** Messages per case in both databases: case 1 is the 50-message list target. */
export const MESSAGES_PER_CASE = 50;

export interface PreparedDatabase {
  database: string;
  rows: number;
  cases: number;
  seededNow: boolean;
  seconds: number;
}

/**
 * A database with the app's schema (its own migrations), the directory and `rows` messages per suite,
 * then VACUUM ANALYZE so the planner sees the real table sizes, and a CHECKPOINT. With BENCH_REUSE_DB a
 * finished seed of the same size is kept (development only: earlier write benchmarks have changed it).
 */
export async function prepareDatabase(config: BenchConfig, database: string, rows: number, suites: Suite[]): Promise<PreparedDatabase> {
  const started = Date.now();
  const cases = Math.max(1, Math.floor(rows / MESSAGES_PER_CASE));
  if (config.reuseDb && (await databaseExists(config, database)) && (await seededWith(config, database, suites, rows))) {
    return { database, rows, cases, seededNow: false, seconds: 0 };
  }
  await recreateDatabase(config, database);
  await runAppMigrations(config, database);
  const pool = openPool(config, database);
  try {
    await seedDirectory(pool, { cases, users: USERS });
    for (const suite of suites) {
      log(`  seeding ${rows.toLocaleString('en')} ${suite.api} messages into ${database}`);
      await suite.seed(pool, rows, cases);
    }
    await pool.query('VACUUM ANALYZE');
    // The seed wrote ~1 GB of WAL and dirty pages; flush them now, or the checkpoint they trigger runs
    // during the first benchmarks (the v3 list, measured first, varied 0.73–0.92 of its floor between runs).
    await pool.query('CHECKPOINT').catch((error: Error) => log(`  no CHECKPOINT after the seed (${error.message}): the first benchmarks may share the machine with it`));
    await pool.query(`CREATE TABLE bench_meta (api text PRIMARY KEY, rows int NOT NULL)`);
    for (const suite of suites) await pool.query(`INSERT INTO bench_meta VALUES ($1, $2)`, [suite.api, rows]);
  } finally {
    await pool.end();
  }
  return { database, rows, cases, seededNow: true, seconds: (Date.now() - started) / 1000 };
}

async function seededWith(config: BenchConfig, database: string, suites: Suite[], rows: number): Promise<boolean> {
  const pool = openPool(config, database, 1);
  try {
    const { rows: meta } = await pool.query(`SELECT api, rows FROM bench_meta`);
    return suites.every((suite) => meta.some((row) => row.api === suite.api && row.rows === rows));
  } catch {
    return false;
  } finally {
    await pool.end();
  }
}

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
