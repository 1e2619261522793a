/**
 * `npm run bench:cluster`: the multi-instance topology of docs/deployment.md on this machine, against one
 * instance straight on PostgreSQL. Seeds `messaging_bench_cluster` with `npm run bench`'s seed, then
 *  1. v3 list and v3 create at each connection count on: one instance direct (prepared statements), the same
 *     with DB_PREPARED_STATEMENTS=false, and HAProxy → 3 instances → PgBouncer (transaction mode): req/s,
 *     p50/p99, and CPU ms per request of every process on the way (instances, HAProxy, PgBouncer, PostgreSQL);
 *  2. POST → SSE latency with 1,000 streams spread over the 3 instances through HAProxy, per push bus
 *     (postgres; nats when 127.0.0.1:4222 listens), and once without HAProxy's `option http-no-delay`.
 * Prints Markdown and writes it into docs/cluster-performance.md between its markers; drops the database.
 *
 * Knobs: BENCH_DURATION_SECONDS (8, per measurement), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (32,64),
 * BENCH_ROWS (100,000 case messages), BENCH_STREAMS (1,000), BENCH_POSTS_PER_STREAM (2),
 * BENCH_POSTS_PER_SECOND (100), DB_POOL_SIZE (10, the direct instance's pool), BENCH_WRITE_DOCS=0 (print only),
 * BENCH_CLUSTER_DATABASE_URL (postgres://postgres@127.0.0.1:5432/messaging_bench_cluster; the name must contain "bench").
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { dropDatabase } from '../test/support/test-database';
import { Balancer, ServiceInstance, setSessionDefaults, tcpListens } from '../test/cluster/topology';
import { BenchConfig, databaseUrl, readBenchConfig } from './lib/config';
import { openPool } from './lib/db';
import { benchIds, issueTokens, issueUserTokens } from './lib/fixtures';
import { watchMachine } from './lib/machine';
import { log, prepareDatabase } from './lib/prepare';
import { RunInfo } from './lib/report';
import { SuiteContext } from './lib/suite';
import { caseMessagesSuite } from './suites/case-messages';
import { CpuMeter } from './cluster/cpu';
import { clusterSources, instancePids, Processes, PushBus } from './cluster/processes';
import { renderReport, StreamStep, writeClusterDoc } from './cluster/render';
import { StreamOptions, streamLatency, StreamUser } from './cluster/streams';
import { measureThroughput, ThroughputRow, Topology } from './cluster/throughput';

const ROOT = join(__dirname, '..');
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/messaging_bench_cluster';
/** Streams and posts of the unmeasured round before each SSE measurement: the SSE and v2 create paths compile on first use. */
const WARM_STREAMS = 50;

interface ClusterConfig {
  bench: BenchConfig;
  connections: number[];
  streams: number;
  stream: StreamOptions;
}

function readClusterConfig(env = process.env): ClusterConfig {
  const bench = readBenchConfig({
    BENCH_DATABASE_URL: env.BENCH_CLUSTER_DATABASE_URL ?? DEFAULT_URL,
    BENCH_DURATION_SECONDS: env.BENCH_DURATION_SECONDS ?? '8',
    BENCH_WARMUP_SECONDS: env.BENCH_WARMUP_SECONDS,
    BENCH_ROWS: env.BENCH_ROWS ?? '100000',
    BENCH_WRITE_DOCS: env.BENCH_WRITE_DOCS,
    DB_POOL_SIZE: env.DB_POOL_SIZE,
  });
  return {
    bench,
    connections: (env.BENCH_CONNECTIONS ?? '32,64').split(',').map((c) => positive('BENCH_CONNECTIONS', c)),
    streams: positive('BENCH_STREAMS', env.BENCH_STREAMS ?? '1000'),
    stream: {
      postsPerStream: positive('BENCH_POSTS_PER_STREAM', env.BENCH_POSTS_PER_STREAM ?? '2'),
      postsPerSecond: positive('BENCH_POSTS_PER_SECOND', env.BENCH_POSTS_PER_SECOND ?? '100'),
    },
  };
}

function positive(name: string, raw: string): number {
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} takes positive whole numbers (got "${raw}")`);
  return value;
}

/** The knobs that differ from the defaults, in front of the script. */
function command(env = process.env): string {
  const knobs = ['BENCH_DURATION_SECONDS', 'BENCH_WARMUP_SECONDS', 'BENCH_CONNECTIONS', 'BENCH_ROWS', 'BENCH_STREAMS', 'BENCH_POSTS_PER_STREAM', 'BENCH_POSTS_PER_SECOND', 'DB_POOL_SIZE', 'BENCH_CLUSTER_DATABASE_URL'];
  return [...knobs.filter((k) => env[k] !== undefined).map((k) => `${k}=${env[k]}`), 'npm run bench:cluster'].join(' ');
}

/** HEAD, and whether the built code had uncommitted changes (another engineer's work in progress is built too). */
function commit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  const dirty = git('status', '--porcelain', '--', 'src', 'migrations') !== '';
  return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' (src/ or migrations/ with uncommitted changes)' : ''}`;
}

async function main(): Promise<void> {
  const config = readClusterConfig();
  const { bench } = config;
  const database = bench.largeDb;
  const info: RunInfo = { config: bench, startedAt: new Date(), finishedAt: new Date(), loadBefore: loadavg(), seedSeconds: {}, notes: [] };
  const durations: [string, number][] = [];
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      durations.push([phase, (performance.now() - started) / 1000]);
    }
  };
  const stopWatching = await watchMachine(bench);
  log(`bench:cluster: ${bench.largeRows.toLocaleString('en')} rows, ${config.connections.join(' and ')} connections, ${bench.durationSeconds} s per measurement`);
  const prepared = await timed('seeding', () => prepareDatabase(bench, database, bench.largeRows, [caseMessagesSuite]));
  const processes = new Processes();
  const admin = new Client({ connectionString: `${bench.serverUrl}/postgres`, application_name: 'bench-cluster-meter' });
  await admin.connect();
  const pool = openPool(bench, database);
  let throughput: ThroughputRow[] = [];
  let topologies: Topology[] = [];
  const streams: StreamStep[] = [];
  try {
    await setSessionDefaults(admin, database);
    const ids = await benchIds(pool);
    const ctx: SuiteContext = { pool, ids, tokens: await issueTokens(pool, ids), rows: prepared.rows, cases: prepared.cases };
    const meter = new CpuMeter(admin, database);
    const direct = databaseUrl(bench, database);
    const pgbouncer = await processes.pgBouncer(bench.serverUrl);
    const pooledUrl = new URL(direct);
    pooledUrl.port = String(pgbouncer.port);
    const pooled = pooledUrl.toString();

    log('starting 2 direct instances, 3 behind HAProxy and PgBouncer');
    const [single, unprepared, cluster] = await timed('starting', () =>
      Promise.all([processes.direct('direct', direct, bench.poolSize, true), processes.direct('direct-unprepared', direct, bench.poolSize, false), processes.cluster(direct, pooled, 'postgres')]),
    );
    const balancer = await processes.balancer(cluster);
    topologies = [
      { key: 'direct', label: `one instance → PostgreSQL, its own pool of ${bench.poolSize}, prepared statements on`, baseUrl: single.url, sources: { instances: instancePids([single]) } },
      { key: 'direct-unprepared', label: 'the same with `DB_PREPARED_STATEMENTS=false`', baseUrl: unprepared.url, sources: { instances: instancePids([unprepared]) } },
      {
        key: 'cluster',
        label: 'HAProxy → three instances → PgBouncer 1.18 (transaction mode, 12 server connections) → PostgreSQL; pools of 8, `DB_PREPARED_STATEMENTS=false`',
        baseUrl: balancer.url,
        sources: clusterSources(cluster, balancer, pgbouncer.child),
      },
    ];
    throughput = await timed('throughput', () => measureThroughput(ctx, topologies, meter, { connections: config.connections, durationSeconds: bench.durationSeconds, warmupSeconds: bench.warmupSeconds }));
    await processes.stop(single.child, unprepared.child);

    const users = await issueUserTokens(pool, config.streams);
    const step = (bus: PushBus, httpNoDelay: boolean, lb: Balancer) => timed(`SSE ${bus}${httpNoDelay ? '' : ' without http-no-delay'}`, () => streamStep(bus, httpNoDelay, lb, users, ctx, config.stream));
    streams.push(await step('postgres', true, balancer));
    const plain = await processes.balancer(cluster, false);
    streams.push(await step('postgres', false, plain));
    await processes.stop(plain.child, balancer.child, ...cluster.map((i) => i.child));
    streams.push(await natsStep(processes, direct, pooled, (lb) => step('nats', true, lb)));
  } finally {
    await processes.stopAll();
    await pool.end();
    await admin.end();
    await dropDatabase(bench.serverUrl, database).catch((error: Error) => log(`could not drop ${database}: ${error.message}`));
  }
  info.machine = await stopWatching();
  info.finishedAt = new Date();
  const report = renderReport({
    commit: commit(),
    command: command(),
    info,
    rows: prepared.rows,
    cases: prepared.cases,
    durationSeconds: bench.durationSeconds,
    warmupSeconds: bench.warmupSeconds,
    topologies,
    throughput,
    streams,
    postsPerSecond: config.stream.postsPerSecond,
    durations,
  });
  process.stdout.write(`\n${report}\n`);
  if (bench.writeDocs) {
    writeClusterDoc(join(ROOT, 'docs', 'cluster-performance.md'), report);
    log('written to docs/cluster-performance.md');
  }
}

async function natsStep(processes: Processes, direct: string, pooled: string, step: (lb: Balancer) => Promise<StreamStep>): Promise<StreamStep> {
  if (!(await tcpListens(4222))) {
    log('  SKIPPED SSE with PUSH_BUS=nats: nothing listens on 127.0.0.1:4222 (NATS)');
    return { bus: 'nats', httpNoDelay: true, missing: 'skipped: nothing listens on 127.0.0.1:4222' };
  }
  let instances: ServiceInstance[] = [];
  let balancer: Balancer | undefined;
  try {
    log('starting 3 instances with PUSH_BUS=nats behind a new HAProxy');
    instances = await processes.cluster(direct, pooled, 'nats');
    balancer = await processes.balancer(instances);
    return await step(balancer);
  } catch (error) {
    return { bus: 'nats', httpNoDelay: true, missing: `failed: ${(error as Error).message.split('\n')[0]}` };
  } finally {
    await processes.stop(balancer?.child, ...instances.map((i) => i.child));
  }
}

/** An unmeasured round on a few streams, then the measured one; a failure is reported in the table, and the run goes on. */
async function streamStep(bus: PushBus, httpNoDelay: boolean, balancer: Balancer, users: StreamUser[], ctx: SuiteContext, options: StreamOptions): Promise<StreamStep> {
  log(`  SSE, PUSH_BUS=${bus}, HAProxy ${httpNoDelay ? 'with' : 'without'} http-no-delay`);
  try {
    await streamLatency(balancer.url, users.slice(0, WARM_STREAMS), ctx.tokens.service, { postsPerStream: 1, postsPerSecond: options.postsPerSecond });
    const result = await streamLatency(balancer.url, users, ctx.tokens.service, options);
    log(`    ${result.received} of ${result.expected} events, p50 ${result.p50.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, max ${result.max.toFixed(0)} ms`);
    return { bus, httpNoDelay, result };
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    log(`    failed: ${message}`);
    return { bus, httpNoDelay, missing: `failed: ${message}` };
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench:cluster failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
