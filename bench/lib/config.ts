/** Every knob of `npm run bench`, read once from the environment. */
export interface BenchConfig {
  /** Server URL without the database name, e.g. postgres://postgres@127.0.0.1:5432 */
  serverUrl: string;
  largeDb: string;
  smallDb: string;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  /** `delivery` runs only the delivery measurements (both APIs seeded). */
  only: 'v3' | 'v2' | 'delivery' | 'all';
  poolSize: number;
  /** Skip seeding when the database already holds a finished seed of the same shape. */
  reuseDb: boolean;
  largeRows: number;
  smallRows: number;
  writeDocs: boolean;
  /** The delivery measurements (need both APIs). */
  delivery: boolean;
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/messaging_bench';

export function readBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const url = new URL(env.BENCH_DATABASE_URL ?? DEFAULT_URL);
  const largeDb = url.pathname.replace(/^\//, '');
  assertBenchName(largeDb);
  url.pathname = '';
  const only = env.BENCH_ONLY ?? 'all';
  if (!['v3', 'v2', 'delivery', 'all'].includes(only)) throw new Error(`BENCH_ONLY must be v3, v2, delivery or all (got ${only})`);
  return {
    serverUrl: url.toString().replace(/\/$/, ''),
    largeDb,
    smallDb: `${largeDb}_small`,
    durationSeconds: positiveInt(env.BENCH_DURATION_SECONDS, 10),
    warmupSeconds: nonNegativeInt(env.BENCH_WARMUP_SECONDS, 2),
    connections: positiveInt(env.BENCH_CONNECTIONS, 64),
    only: only as BenchConfig['only'],
    poolSize: positiveInt(env.DB_POOL_SIZE, 10),
    reuseDb: env.BENCH_REUSE_DB === '1' || env.BENCH_REUSE_DB === 'true',
    largeRows: positiveInt(env.BENCH_ROWS, 1_000_000),
    smallRows: positiveInt(env.BENCH_SMALL_ROWS, 10_000),
    writeDocs: env.BENCH_WRITE_DOCS !== '0' && env.BENCH_WRITE_DOCS !== 'false',
    delivery: env.BENCH_DELIVERY !== '0' && env.BENCH_DELIVERY !== 'false',
  };
}

/** The harness drops and recreates its databases; it must never be pointed at a real one. */
export function assertBenchName(database: string): void {
  if (!/^[a-z0-9_]+$/.test(database) || !database.includes('bench')) {
    throw new Error(`refusing to use database "${database}": bench databases must be named with "bench" ([a-z0-9_])`);
  }
}

export function databaseUrl(config: BenchConfig, database: string): string {
  assertBenchName(database);
  return `${config.serverUrl}/${database}`;
}

function positiveInt(raw: string | undefined, fallback: number): number {
  const value = nonNegativeInt(raw, fallback);
  if (value === 0) throw new Error(`expected a positive integer, got "${raw}"`);
  return value;
}

function nonNegativeInt(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`expected a whole number, got "${raw}"`);
  return value;
}
