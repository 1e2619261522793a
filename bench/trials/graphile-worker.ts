/**
 * graphile-worker against the hand-written outbox (docs/delivery.md, "Why the outbox is hand-written").
 *
 *   TRIAL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/messaging_trials_queue \
 *     node -r ts-node/register/transpile-only bench/trials/graphile-worker.ts [enqueue|drain|crash|all]
 *
 * The database (its name must contain "trial") is dropped and created again. It holds a bare messages table,
 * the outbox's `deliveries` and `delivery_attempts` as the migrations create them, and graphile-worker's
 * schema from its own migrations.
 * - enqueue: a create statement with no delivery, with the outbox's CTE insert (also with the `pg_notify`
 *   that add_job sends), and with `graphile_worker.add_job()` in a CTE of the same statement; one client
 *   (median µs per create) and 16 concurrent clients (creates/s), TRIAL_ROUNDS (3) interleaved rounds of
 *   TRIAL_SECONDS (5). Then 10,000 deliveries in one statement.
 * - drain: 10,000 jobs with a task that does nothing: the outbox's own claim and finish statements
 *   (DeliveriesRepository, as the worker's round runs them, rounds of 50, 10 and 500) against
 *   graphile-worker's runner (plain, and with its local queue and batched completion).
 * - crash: a graphile-worker child killed with SIGKILL mid-job; when is the job run again?
 */
import { spawn } from 'node:child_process';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { Logger, run, runMigrations, Runner } from 'graphile-worker';
import { DeliveriesRepository } from '../../src/delivery/deliveries.repository';
import { DeliveryKind } from '../../src/delivery/delivery.enums';

const TRIAL_URL = process.env.TRIAL_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/messaging_trials_queue';
const ROUNDS = Number(process.env.TRIAL_ROUNDS ?? 3);
const SECONDS = Number(process.env.TRIAL_SECONDS ?? 5);
const CLIENTS = 16;
const JOBS = 10_000;
const RETRY_POLICY = { maxAttempts: 8, retryHours: 24, backoffBaseSeconds: 5 };
/** graphile-worker's errors and warnings only: its info lines per job would cost the drain too. */
const quiet = new Logger(() => (level, message) => {
  if (level === 'error' || level === 'warning') console.error(`graphile-worker ${level}: ${message}`);
});

const SCHEMA = `
  CREATE TABLE trial_messages (id bigserial PRIMARY KEY, account_id int NOT NULL, content text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  CREATE TABLE deliveries (
    id bigserial PRIMARY KEY, kind varchar(16) NOT NULL CHECK (kind IN ('email', 'webhook', 'amqp')),
    status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    message_id varchar(64) NOT NULL, user_id uuid, address varchar(320), account_id int, webhook_id uuid, event varchar(32),
    attempts int NOT NULL DEFAULT 0, run_at timestamptz NOT NULL DEFAULT now(), last_error text,
    created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), sent_at timestamptz);
  CREATE INDEX ix_deliveries_due ON deliveries (kind, run_at) WHERE status IN ('pending', 'sending');
  CREATE INDEX ix_deliveries_status_id ON deliveries (status, id);
  CREATE TABLE delivery_attempts (
    id bigserial PRIMARY KEY, delivery_id bigint NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE, attempt int NOT NULL,
    ok boolean NOT NULL, status_code int, latency_ms int NOT NULL, error text, attempted_at timestamptz NOT NULL DEFAULT now());
  CREATE INDEX ix_delivery_attempts_delivery_id ON delivery_attempts (delivery_id, id);`;

/** The create statements compared: the same message insert, its delivery queued in the same statement or not. */
const INSERT_MESSAGE = `ins AS (INSERT INTO trial_messages (account_id, content) VALUES ($1, $2) RETURNING id, account_id)`;
const CREATES: Record<string, string> = {
  bare: `WITH ${INSERT_MESSAGE} SELECT id FROM ins`,
  outbox: `WITH ${INSERT_MESSAGE}, hook AS (
      INSERT INTO deliveries (kind, message_id, account_id, event) SELECT 'webhook', id::text, account_id, 'message.created' FROM ins RETURNING id)
    SELECT ins.id, (SELECT count(*) FROM hook)::int AS queued FROM ins`,
  // The outbox's insert plus the NOTIFY that add_job sends: how much of add_job's cost is the NOTIFY.
  outboxNotify: `WITH ${INSERT_MESSAGE}, hook AS (
      INSERT INTO deliveries (kind, message_id, account_id, event) SELECT 'webhook', id::text, account_id, 'message.created' FROM ins RETURNING id)
    SELECT ins.id, (SELECT count(*) FROM hook)::int AS queued, pg_notify('jobs:insert', '{"count":1}') FROM ins`,
  // A SELECT CTE runs only when read, so the final SELECT counts it, as the create statements count `hook`.
  graphile: `WITH ${INSERT_MESSAGE}, job AS (
      SELECT graphile_worker.add_job('deliver', json_build_object('messageId', id, 'accountId', account_id)) FROM ins)
    SELECT ins.id, (SELECT count(*) FROM job)::int AS queued FROM ins`,
};

async function resetDatabase(): Promise<void> {
  const url = new URL(TRIAL_URL);
  const name = url.pathname.slice(1);
  if (!name.includes('trial')) throw new Error(`refusing to drop ${name}: the name must contain "trial"`);
  const admin = new Client({ connectionString: Object.assign(new URL(TRIAL_URL), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const client = new Client({ connectionString: TRIAL_URL });
  await client.connect();
  await client.query(SCHEMA);
  await client.end();
  const started = performance.now();
  await runMigrations({ connectionString: TRIAL_URL, logger: quiet });
  console.log(`graphile-worker migrations: ${(performance.now() - started).toFixed(0)} ms`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const spread = (values: number[]) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;

/** Median µs per create over `count` sequential creates on one connection. */
async function sequential(pool: Pool, sql: string, count: number): Promise<number> {
  const client = await pool.connect();
  try {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await client.query(sql, [1 + (i % 100), `message ${i}`]);
      times.push((performance.now() - started) * 1000);
    }
    return median(times);
  } finally {
    client.release();
  }
}

/** Creates/s from CLIENTS connections, each sending creates back to back for SECONDS (autocommit). */
async function concurrent(pool: Pool, sql: string): Promise<number> {
  const deadline = performance.now() + SECONDS * 1000;
  let done = 0;
  const clientLoop = async (c: number) => {
    const client = await pool.connect();
    try {
      for (let i = 0; performance.now() < deadline; i++, done++) await client.query(sql, [1 + ((c * 7 + i) % 100), `message ${i}`]);
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => clientLoop(c)));
  return done / SECONDS;
}

async function truncateQueues(pool: Pool): Promise<void> {
  await pool.query(`TRUNCATE trial_messages, delivery_attempts, deliveries; DELETE FROM graphile_worker._private_jobs`);
  await pool.query(`VACUUM ANALYZE trial_messages, deliveries, graphile_worker._private_jobs`);
}

async function enqueue(): Promise<void> {
  const pool = new Pool({ connectionString: TRIAL_URL, max: CLIENTS });
  try {
    await rollbackCheck(pool);
    const latency: Record<string, number[]> = {};
    const rate: Record<string, number[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, sql] of Object.entries(CREATES)) {
        await truncateQueues(pool);
        await sequential(pool, sql, 200);
        (latency[name] ??= []).push(await sequential(pool, sql, 2_000));
        (rate[name] ??= []).push(await concurrent(pool, sql));
        console.log(`round ${round + 1} ${name}: ${latency[name][round].toFixed(0)} µs/create (1 client), ${rate[name][round].toFixed(0)} creates/s (${CLIENTS} clients)`);
      }
    }
    for (const name of Object.keys(CREATES)) {
      console.log(`${name}: median ${median(latency[name]).toFixed(0)} µs (${spread(latency[name])}), ${median(rate[name]).toFixed(0)} creates/s (${spread(rate[name])})`);
    }
    await bulk(pool);
  } finally {
    await pool.end();
  }
}

/** add_job in a statement that rolls back leaves no job, as the outbox's row. */
async function rollbackCheck(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(CREATES.graphile, [1, 'rolled back']);
    await client.query('ROLLBACK');
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`);
    console.log(`add_job in a rolled-back transaction leaves ${rows[0].n} jobs`);
  } finally {
    client.release();
  }
}

/** 10,000 deliveries of one message in one statement (a group create): INSERT … SELECT vs add_jobs vs add_job per row. */
async function bulk(pool: Pool): Promise<void> {
  const statements: Record<string, string> = {
    outbox: `INSERT INTO deliveries (kind, message_id, user_id, address) SELECT 'email', '1', gen_random_uuid(), 'u' || g || '@example.com' FROM generate_series(1, ${JOBS}) g`,
    add_jobs: `SELECT count(*) FROM graphile_worker.add_jobs(ARRAY(
        SELECT ROW('deliver', json_build_object('messageId', 1, 'userId', gen_random_uuid(), 'address', 'u' || g || '@example.com'), NULL, NULL, NULL, NULL, NULL, NULL)::graphile_worker.job_spec
          FROM generate_series(1, ${JOBS}) g))`,
    add_job: `SELECT count(graphile_worker.add_job('deliver', json_build_object('messageId', 1, 'userId', gen_random_uuid(), 'address', 'u' || g || '@example.com'))) FROM generate_series(1, ${JOBS}) g`,
  };
  const times: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, sql] of Object.entries(statements)) {
      await truncateQueues(pool);
      const started = performance.now();
      await pool.query(sql);
      (times[name] ??= []).push(performance.now() - started);
    }
  }
  for (const name of Object.keys(statements)) console.log(`${JOBS} in one statement, ${name}: median ${median(times[name]).toFixed(0)} ms (${spread(times[name])})`);
}

/** The worker's round with a sender that does nothing: claim up to `size`, record all outcomes in one statement. */
async function drainOutbox(pool: Pool, repository: DeliveriesRepository, size: number): Promise<number> {
  await truncateQueues(pool);
  await pool.query(`INSERT INTO deliveries (kind, message_id, account_id, event) SELECT 'webhook', g::text, 1, 'message.created' FROM generate_series(1, ${JOBS}) g`);
  const started = performance.now();
  for (;;) {
    const batch = await repository.claim(DeliveryKind.Webhook, size, 60);
    if (batch.length === 0) break;
    await repository.finish(batch.map((delivery) => ({ delivery, outcome: { ok: true, statusCode: 200, latencyMs: 0 } })), RETRY_POLICY);
  }
  const seconds = (performance.now() - started) / 1000;
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'sent'`);
  if (rows[0].n !== JOBS) throw new Error(`outbox drain sent ${rows[0].n}`);
  return JOBS / seconds;
}

/** graphile-worker's runner with a task that does nothing, until every job is done (completed jobs are deleted). */
async function drainGraphile(pool: Pool, options: { concurrency: number; localQueue?: number }): Promise<number> {
  await truncateQueues(pool);
  await pool.query(`SELECT count(*) FROM graphile_worker.add_jobs(ARRAY(
      SELECT ROW('noop', json_build_object('n', g), NULL, NULL, NULL, NULL, NULL, NULL)::graphile_worker.job_spec FROM generate_series(1, ${JOBS}) g))`);
  let completed = 0;
  let finished!: () => void;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const started = performance.now();
  const runner: Runner = await run({
    connectionString: TRIAL_URL,
    concurrency: options.concurrency,
    maxPoolSize: Math.min(options.concurrency, 10) + 2,
    noHandleSignals: true,
    pollInterval: 500,
    taskList: {
      noop: async () => {
        if (++completed === JOBS) finished();
      },
    },
    preset: {
      worker: options.localQueue ? { localQueue: { size: options.localQueue }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } : {},
    },
    logger: quiet,
  });
  await allDone;
  // Completion is a DELETE, batched with localQueue: the drain ends when the table is empty.
  while ((await pool.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`)).rows[0].n > 0) await sleep(5);
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  return JOBS / seconds;
}

async function drain(): Promise<void> {
  const pool = new Pool({ connectionString: TRIAL_URL, max: 4 });
  const dataSource = await new DataSource({ type: 'postgres', url: TRIAL_URL, entities: [] }).initialize();
  const repository = new DeliveriesRepository(dataSource);
  const variants: Record<string, () => Promise<number>> = {
    'outbox round of 50 (WORKER_CONCURRENCY default)': () => drainOutbox(pool, repository, 50),
    'outbox round of 10': () => drainOutbox(pool, repository, 10),
    'outbox round of 500': () => drainOutbox(pool, repository, 500),
    'graphile-worker concurrency 10': () => drainGraphile(pool, { concurrency: 10 }),
    'graphile-worker concurrency 50, localQueue 500, batched completion': () => drainGraphile(pool, { concurrency: 50, localQueue: 500 }),
  };
  const rates: Record<string, number[]> = {};
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, measure] of Object.entries(variants)) {
        (rates[name] ??= []).push(await measure());
        console.log(`round ${round + 1} ${name}: ${rates[name][round].toFixed(0)} jobs/s`);
      }
    }
    for (const name of Object.keys(variants)) console.log(`${name}: median ${median(rates[name]).toFixed(0)} jobs/s (${spread(rates[name])})`);
  } finally {
    await dataSource.destroy();
    await pool.end();
  }
}

/** The child of `crash`: a worker whose one task never ends. */
async function crashChild(): Promise<void> {
  await run({ connectionString: TRIAL_URL, concurrency: 1, noHandleSignals: true, taskList: { hang: () => new Promise(() => undefined) }, logger: quiet });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function crash(): Promise<void> {
  const pool = new Pool({ connectionString: TRIAL_URL, max: 2 });
  await truncateQueues(pool);
  await pool.query(`SELECT graphile_worker.add_job('hang', '{}'::json)`);
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, 'crash-child'], { stdio: 'inherit', env: process.env });
  const job = async () => (await pool.query(`SELECT attempts, locked_at, locked_by FROM graphile_worker._private_jobs`)).rows[0];
  while (!(await job())?.locked_at) await sleep(100);
  child.kill('SIGKILL');
  console.log('child killed with SIGKILL mid-job:', await job());
  let ran = 0;
  // The reset sweep normally runs within the first minute and then every 8–10 min; here every 1–2 s.
  const runner = await run({
    connectionString: TRIAL_URL,
    concurrency: 1,
    noHandleSignals: true,
    taskList: { hang: async () => void ran++ },
    preset: { worker: { minResetLockedInterval: 1_000, maxResetLockedInterval: 2_000 } },
    logger: quiet,
  });
  await sleep(15_000);
  console.log(`another worker, 15 s later (reset sweep every 1–2 s): ran ${ran} times; job`, await job());
  await pool.query(`UPDATE graphile_worker._private_jobs SET locked_at = now() - interval '4 hours 1 minute'`);
  const started = performance.now();
  while (ran === 0 && performance.now() - started < 15_000) await sleep(50);
  console.log(`lock backdated past 4 hours: ran ${ran} times after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await runner.stop();
  await pool.end();
}

async function main(): Promise<void> {
  const step = process.argv[2] ?? 'all';
  if (step === 'crash-child') return crashChild();
  await resetDatabase();
  if (step === 'enqueue' || step === 'all') await enqueue();
  if (step === 'drain' || step === 'all') await drain();
  if (step === 'crash' || step === 'all') await crash();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
