/**
 * `npm run bench`: seeds a 1,000,000-row and a 10,000-row database, drives the real built server
 * (`node dist/main.js`) and a minimal Fastify + pg floor with autocannon, counts the SQL statements each
 * request sends, measures delivery, prints a Markdown report and writes it into docs/performance.md.
 * Knobs (see docs/performance.md): BENCH_DURATION_SECONDS, BENCH_WARMUP_SECONDS, BENCH_CONNECTIONS,
 * BENCH_ONLY=v3|v2|delivery, BENCH_ROWS, BENCH_SMALL_ROWS, BENCH_REUSE_DB=1, BENCH_WRITE_DOCS=0,
 * BENCH_DELIVERY=0, BENCH_SUITES=webhooks,delivery (see selectedSuites), BENCH_DATABASE_URL (the name must
 * contain "bench").
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildServer, freePort, startChild } from './lib/children';
import { BenchConfig, databaseUrl, readBenchConfig } from './lib/config';
import { appSessionOptions, openPool } from './lib/db';
import { appDist } from './lib/dist';
import { benchIds, issueTokens } from './lib/fixtures';
import { fetchWithRetry, LoadOptions, LoadResult, measure, mergeRounds, Workload } from './lib/load';
import { watchMachine } from './lib/machine';
import { log, prepareDatabase, PreparedDatabase } from './lib/prepare';
import { EndpointResult, GroupCreateResult, RunInfo, StatementCount, statementsSection } from './lib/report';
import { renderReport, writePerformanceDoc } from './lib/render';
import { EndpointBench, Suite, SuiteContext, Target } from './lib/suite';
import type { DeliveryResult } from './suites/delivery';
import type { HotAccountResult } from './suites/hot-account';
import type { WebhookCostResult } from './suites/webhooks';

const ROOT = join(__dirname, '..');
const SERIAL_SECONDS = 3;
/** App and floor alternate this many times per endpoint (see loadBoth). */
const ROUNDS = 3;
const ROUND_WARMUP_SECONDS = 1;

/** The files in bench/suites/; case-messages and user-messages measure their endpoints (user-messages also the group create). */
const SUITE_NAMES = ['case-messages', 'user-messages', 'webhooks', 'hot-account', 'delivery'] as const;
type SuiteName = (typeof SUITE_NAMES)[number];
const ENDPOINT_SUITE: Record<Suite['api'], SuiteName> = { v3: 'case-messages', v2: 'user-messages' };
type Runs = (name: SuiteName) => boolean;

/**
 * BENCH_SUITES, a comma-separated subset of SUITE_NAMES: only those are measured (BENCH_ONLY still decides what is
 * seeded), and the run does not write docs/performance.md, whose report a partial run would replace.
 */
function selectedSuites(raw = process.env.BENCH_SUITES): Set<SuiteName> | undefined {
  if (!raw?.trim()) return undefined;
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(SUITE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_SUITES takes ${SUITE_NAMES.join(', ')} (got ${unknown.join(', ')})`);
  return new Set(names as SuiteName[]);
}

async function main(): Promise<void> {
  const config = readBenchConfig();
  const selected = selectedSuites();
  const runs: Runs = (name) => !selected || selected.has(name);
  const info: RunInfo = { config, startedAt: new Date(), finishedAt: new Date(), loadBefore: loadavg(), seedSeconds: {}, notes: [] };
  if (selected) info.notes.push(`Only ${[...selected].join(', ')} measured (BENCH_SUITES); not written to docs/performance.md.`);
  const suites = await loadSuites(config, info);
  const stopWatching = await watchMachine(config);
  log(`bench: ${suites.map((s) => s.api).join(' + ')}, ${config.connections} connections, ${config.durationSeconds} s per endpoint`);

  const large = await prepare(config, config.largeDb, config.largeRows, suites, info);
  const small = await prepare(config, config.smallDb, config.smallRows, suites, info);
  const results: EndpointResult[] = ordered(suites.filter((s) => runs(ENDPOINT_SUITE[s.api]))).map((bench) => ({ bench, notes: [] }));
  const loadPhases = config.only !== 'delivery';

  const { group, webhooks, hotAccount } = loadPhases && (results.length > 0 || runs('webhooks') || runs('hot-account')) ? await largePhase(config, large, suites, results, info, runs) : {};
  let delivery: DeliveryResult | undefined;
  await withDatabase(config, small, async (ctx) => {
    if (loadPhases && results.length > 0) await scaleAndStatements(config, small, ctx, results);
    if (config.delivery && suites.length === 2 && runs('delivery')) delivery = await deliveryPhase(config, small, ctx, info);
  });

  info.finishedAt = new Date();
  info.machine = await stopWatching();
  const report = renderReport(results, group, { webhooks, hotAccount }, delivery, info);
  // Which statements each request sent: for the console only (the tables count them).
  process.stdout.write(`\n${report}\n\nSQL statements per request (app):\n${statementsSection(results)}\n`);
  if (config.writeDocs && loadPhases && !selected) {
    writePerformanceDoc(join(ROOT, 'docs', 'performance.md'), report);
    log('written to docs/performance.md');
  }
}

/** Every endpoint on the 1M-row database, app then floor, the 10,000-member group create, and what webhooks and one busy account cost v3 writes. */
async function largePhase(config: BenchConfig, large: PreparedDatabase, suites: Suite[], results: EndpointResult[], info: RunInfo, runs: Runs): Promise<LargePhaseResult> {
  let group: GroupCreateResult | undefined;
  let webhooks: WebhookCostResult | undefined;
  let hotAccount: HotAccountResult | undefined;
  await withDatabase(config, large, async (ctx) => {
    const app = await startApp(config, large.database);
    const floor = await startFloor(config, large.database);
    try {
      for (const result of results) {
        await guarded(result, () => loadBoth(result, ctx, app, floor, config));
        if (result.bench.writes) await settle(ctx, result);
      }
      if (suites.some((s) => s.api === 'v2') && runs('user-messages')) {
        const { measureGroupCreate } = await import('./suites/user-messages');
        group = await measureGroupCreate(ctx, app.baseUrl).catch((error: Error) => void info.notes.push(`group create not measured: ${error.message}`));
      }
      if (suites.some((s) => s.api === 'v3') && runs('webhooks')) {
        const { measureWebhookCosts } = await import('./suites/webhooks');
        webhooks = await measureWebhookCosts(ctx, app, config).catch((error: Error) => void info.notes.push(`webhook costs not measured: ${error.message}`));
        info.notes.push(...(webhooks?.notes ?? []));
      }
      if (suites.some((s) => s.api === 'v3') && runs('hot-account')) {
        const { measureHotAccount } = await import('./suites/hot-account');
        hotAccount = await measureHotAccount(ctx, app, config).catch((error: Error) => void info.notes.push(`one busy account not measured: ${error.message}`));
        info.notes.push(...(hotAccount?.notes ?? []));
      }
    } finally {
      await Promise.all([app.stop(), floor.stop()]);
    }
  });
  return { group, webhooks, hotAccount };
}

interface LargePhaseResult {
  group?: GroupCreateResult;
  webhooks?: WebhookCostResult;
  hotAccount?: HotAccountResult;
}

async function deliveryPhase(config: BenchConfig, small: PreparedDatabase, ctx: SuiteContext, info: RunInfo): Promise<DeliveryResult | undefined> {
  const { measureDelivery } = await import('./suites/delivery');
  return measureDelivery(config, ctx, (env) => startApp(config, small.database, [], env)).catch((error: Error) => {
    info.notes.push(`delivery not measured: ${error.message.split('\n')[0]}`);
    return undefined;
  });
}

/** A suite whose scenario file (bench/scenarios/*) is missing or broken is reported and skipped, not fatal. */
async function loadSuites(config: BenchConfig, info: RunInfo): Promise<Suite[]> {
  const suites: Suite[] = [];
  if (config.only !== 'v2') {
    try {
      suites.push((await import('./suites/case-messages')).caseMessagesSuite);
    } catch (error) {
      info.notes.push(`v3 skipped: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (config.only !== 'v3') {
    try {
      suites.push((await import('./suites/user-messages')).userMessagesSuite);
    } catch (error) {
      info.notes.push(`v2 skipped: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  for (const note of info.notes) log(note);
  if (suites.length === 0) throw new Error('no suite to run');
  return suites;
}

/** The 10k-row half of the scale check, then the statement count (which does not depend on size). */
async function scaleAndStatements(config: BenchConfig, small: PreparedDatabase, ctx: SuiteContext, results: EndpointResult[]): Promise<void> {
  const app = await startApp(config, small.database);
  try {
    for (const result of results.filter((r) => r.bench.scale)) {
      log(`  [${small.rows.toLocaleString('en')} rows] ${result.bench.api} ${result.bench.label}`);
      await guarded(result, async () => {
        result.small = await measure(app.baseUrl, await result.bench.workload(ctx, 'app'), loadOptions(config));
        result.serialSmall = await measure(app.baseUrl, await result.bench.workload(ctx, 'app'), serialOptions());
      });
    }
  } finally {
    await app.stop();
  }
  await countStatements(config, small.database, ctx, results);
}

async function prepare(config: BenchConfig, database: string, rows: number, suites: Suite[], info: RunInfo): Promise<PreparedDatabase> {
  log(`preparing ${database} (${rows.toLocaleString('en')} messages per API)`);
  const prepared = await prepareDatabase(config, database, rows, suites);
  info.seedSeconds[database] = prepared.seconds;
  log(prepared.seededNow ? `  seeded in ${prepared.seconds.toFixed(0)} s` : '  reused the existing seed (BENCH_REUSE_DB)');
  if (!prepared.seededNow) info.notes.push(`${database} was reused from an earlier run (BENCH_REUSE_DB), so earlier write benchmarks had changed it.`);
  return prepared;
}

/** Read endpoints first: the write benchmarks change what the reads would see. */
function ordered(suites: Suite[]): EndpointBench[] {
  const all = suites.flatMap((s) => s.endpoints);
  return [...all.filter((e) => !e.writes), ...all.filter((e) => e.writes)];
}

async function withDatabase(config: BenchConfig, db: PreparedDatabase, body: (ctx: SuiteContext) => Promise<void>): Promise<void> {
  const pool = openPool(config, db.database);
  try {
    const ids = await benchIds(pool);
    const tokens = await issueTokens(pool, ids);
    await body({ pool, ids, tokens, rows: db.rows, cases: db.cases });
  } finally {
    await pool.end();
  }
}

/**
 * App and floor in alternating rounds (app, floor, app, floor, …), each round 1/ROUNDS of the duration:
 * on a shared machine the available CPU drifts within seconds, and back-to-back 10 s runs gave the app and
 * the floor different machines (app ÷ floor of one endpoint swung 0.56–0.85 between runs). Requests per
 * second are total ÷ time over all rounds; p50 and p99 over every response of all rounds.
 */
async function loadBoth(result: EndpointResult, ctx: SuiteContext, app: ChildServer, floor: ChildServer, config: BenchConfig): Promise<void> {
  const { bench } = result;
  log(`  [${ctx.rows.toLocaleString('en')} rows] ${bench.api} ${bench.label}: app${bench.floor ? ` and floor, ${ROUNDS} alternating rounds` : ''}`);
  const appLoad = await bench.workload(ctx, 'app');
  const floorLoad = bench.floor ? await bench.workload(ctx, 'floor') : undefined;

  const rounds = bench.floor ? ROUNDS : 1;
  const appRounds: LoadResult[] = [];
  const floorRounds: LoadResult[] = [];
  for (let round = 0; round < rounds; round++) {
    // Every round opens its 64 connections anew, and their first requests arrive as one burst: a short discarded
    // warm-up per round, on the same connections (see measure), keeps that burst out of the percentiles.
    const options = { ...loadOptions(config), durationSeconds: config.durationSeconds / rounds, warmupSeconds: round === 0 ? config.warmupSeconds : ROUND_WARMUP_SECONDS };
    await appLoad.beforeRound?.();
    appRounds.push(await measure(app.baseUrl, appLoad, { ...options, serverPid: app.process.pid }));
    if (!floorLoad) continue;
    await floorLoad.beforeRound?.();
    floorRounds.push(await measure(floor.baseUrl, floorLoad, { ...options, serverPid: floor.process.pid }));
  }
  result.app = combineRounds(result, appRounds, appLoad, 'app');
  if (floorLoad) result.floor = combineRounds(result, floorRounds, floorLoad, 'floor');
  if (bench.scale && !bench.writes) result.serialLarge = await measure(app.baseUrl, await bench.workload(ctx, 'app'), serialOptions());
  log(`    app ${summary(result.app)}${result.floor ? ` | floor ${summary(result.floor)}` : ''}`);
}

function combineRounds(result: EndpointResult, rounds: LoadResult[], workload: Workload, target: Target): LoadResult {
  const combined = mergeRounds(rounds);
  if (combined.firstFailure) result.notes.push(`${target}: first failure ${combined.firstFailure}`);
  const note = workload.note?.();
  if (note) result.notes.push(`${target}: ${note}`);
  if (result.bench.wireBytes && combined.total > 0) {
    result.notes.push(`${target}: ${Math.round(combined.bytes / combined.total).toLocaleString('en')} bytes per response on the wire (headers included)`);
  }
  return combined;
}

/**
 * After a write benchmark, VACUUM the database before the next one: confirm alone updates ~1,000,000 rows
 * in its 20 s, and autovacuum then cleaned up during the following benchmarks — mark-as-read and v2
 * create measured 2–3× slower at p50 and 5–10× at p99 in a full run than in a run of their own, app and
 * floor alike. Each write endpoint is measured on a database the previous one has not left dirty.
 */
async function settle(ctx: SuiteContext, result: EndpointResult): Promise<void> {
  await ctx.pool.query('VACUUM (ANALYZE)').catch((error: Error) => result.notes.push(`VACUUM after the run failed: ${error.message}`));
}

/** One endpoint that cannot be measured (a changed route, an empty seed) is reported, and the run goes on. */
async function guarded(result: EndpointResult, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    result.notes.push(`not measured: ${message}`);
    log(`    ${result.bench.api} ${result.bench.label}: ${message}`);
  }
}

function summary(r: LoadResult): string {
  const bad = r.non2xx + r.errors > 0 ? ` (${r.non2xx} non-2xx, ${r.errors} errors)` : '';
  return `${Math.round(r.requestsPerSecond)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${bad}`;
}

const loadOptions = (config: BenchConfig): LoadOptions => ({
  connections: config.connections,
  durationSeconds: config.durationSeconds,
  warmupSeconds: config.warmupSeconds,
});
const serialOptions = (): LoadOptions => ({ connections: 1, durationSeconds: SERIAL_SECONDS, warmupSeconds: 0 });

/** A fresh DATA_DIR per server start, removed when the harness exits. */
const dataDirs: string[] = [];
process.once('exit', () => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-data-'));
  dataDirs.push(dir);
  return dir;
}

function appEnv(config: BenchConfig, database: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl(config, database),
    HOST: '127.0.0.1',
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
    ADMIN_TOKEN: randomBytes(24).toString('hex'),
    DEMO_SEED: 'false',
    MIGRATIONS_RUN: 'true',
    // Delivery workers would drain the outbox in the same two cores; the API numbers are measured without
    // them (an operator may run workers as separate instances). The delivery suite measures delivery itself.
    WORKERS_ENABLED: 'false',
    DATA_DIR: dataDir(),
    DB_POOL_SIZE: String(config.poolSize),
  };
}

/**
 * Node's flags for the servers under test: the ones production runs the service with (Dockerfile CMD and
 * `npm start`), given to the floor too so that app ÷ floor compares code, not runtime settings.
 */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];

async function startApp(config: BenchConfig, database: string, preload: string[] = [], extraEnv: Record<string, string> = {}): Promise<ChildServer> {
  const env = { ...appEnv(config, database), ...extraEnv };
  return startChild('app (node dist/main.js)', [...SERVER_NODE_FLAGS, ...preload, join(appDist(), 'main.js')], env, await freePort());
}

async function startFloor(config: BenchConfig, database: string, preload: string[] = [], extraEnv: Record<string, string> = {}): Promise<ChildServer> {
  const sessionOptions = await appSessionOptions(config, database);
  const env = { DATABASE_URL: databaseUrl(config, database), DB_POOL_SIZE: String(config.poolSize), FLOOR_PG_OPTIONS: sessionOptions ?? '', ...extraEnv };
  const args = [...SERVER_NODE_FLAGS, '-r', 'ts-node/register/transpile-only', ...preload, join(ROOT, 'bench', 'floor-server.ts')];
  return startChild('floor (bench/floor-server.ts)', args, env, await freePort());
}

const COUNTED_REQUESTS = 10;
const WARM_REQUESTS = 45;

/**
 * App and floor again, each with bench/lib/statement-counter.ts preloaded, on the small database (the count
 * does not depend on size): one request to warm the token cache, one to show its statements, ten to count.
 */
async function countStatements(config: BenchConfig, database: string, ctx: SuiteContext, results: EndpointResult[]): Promise<void> {
  log('  counting SQL statements per request');
  const counterPorts = { app: await freePort(), floor: await freePort() };
  const counter = join(ROOT, 'bench', 'lib', 'statement-counter.ts');
  const app = await startApp(config, database, ['-r', 'ts-node/register/transpile-only', '-r', counter], { BENCH_COUNTER_PORT: String(counterPorts.app) });
  const floor = await startFloor(config, database, ['-r', counter], { BENCH_COUNTER_PORT: String(counterPorts.floor) });
  try {
    for (const result of results) {
      await guarded(result, async () => {
        result.appStatements = await countFor(app.baseUrl, counterPorts.app, await result.bench.workload(ctx, 'app'));
        if (result.bench.floor) result.floorStatements = await countFor(floor.baseUrl, counterPorts.floor, await result.bench.workload(ctx, 'floor'));
        const drift = sqlDrift(result.appStatements, result.floorStatements);
        if (drift) result.notes.push(`app and floor SQL differ (the floor is not the same work): ${drift}`);
      });
    }
  } finally {
    await Promise.all([app.stop(), floor.stop()]);
  }
}

async function countFor(baseUrl: string, counterPort: number, workload: Workload): Promise<StatementCount> {
  const counter = `http://127.0.0.1:${counterPort}`;
  const send = async () => {
    const spec = workload.next();
    const response = await fetchWithRetry(`${baseUrl}${spec.path}`, { method: workload.method, headers: workload.headers, body: spec.body });
    await response.arrayBuffer();
  };
  // Warm every token the workload rotates through (feed and confirm use one per account), so the count
  // shows the steady state: the app caches resolved tokens for AUTH_CACHE_TTL_MS.
  for (let i = 0; i < WARM_REQUESTS; i++) await send();
  await fetch(`${counter}/reset`, { method: 'POST' });
  await send();
  const sample = (await (await fetch(`${counter}/statements`)).json()) as string[];
  await fetch(`${counter}/reset`, { method: 'POST' });
  for (let i = 0; i < COUNTED_REQUESTS; i++) await send();
  const all = (await (await fetch(`${counter}/statements`)).json()) as string[];
  const notifies = all.filter(isNotify).length;
  return {
    perRequest: (all.length - notifies) / COUNTED_REQUESTS,
    notifiesPerRequest: notifies / COUNTED_REQUESTS,
    sample: sample.map(shorten),
    texts: sample.filter((sql) => !isNotify(sql)).map(normalise),
  };
}

/** The first statement where app and floor differ, if any: the floor must run exactly the app's SQL. */
function sqlDrift(app: StatementCount, floor: StatementCount | undefined): string | undefined {
  if (!floor) return undefined;
  const length = Math.max(app.texts.length, floor.texts.length);
  for (let i = 0; i < length; i++) {
    const a = app.texts[i] ?? '(none)';
    const f = floor.texts[i] ?? '(none)';
    if (a === f) continue;
    let at = 0;
    while (a[at] === f[at]) at++;
    const around = (text: string) => `…${text.slice(Math.max(0, at - 20), at + 40)}…`;
    return `statement ${i + 1} (${shorten(a)}): app \`${around(a)}\` vs floor \`${around(f)}\``;
  }
  return undefined;
}

/** Whitespace collapsed; TypeORM's START TRANSACTION is the floor's BEGIN. */
function normalise(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return /^(START TRANSACTION|BEGIN)$/i.test(flat) ? 'BEGIN' : flat;
}

/** Delivery's wake-up for other instances, sent after commit and coalesced; counted apart from the endpoint's own SQL. */
function isNotify(sql: string): boolean {
  return /^\s*(SELECT pg_notify|NOTIFY)\b/i.test(sql);
}

function shorten(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 70 ? `${flat.slice(0, 67)}…` : flat;
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
