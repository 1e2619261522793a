/**
 * `npm run test:cluster` (after `npm run build`): three instances of the built service behind HAProxy, which
 * health-checks /health/ready, with PgBouncer in transaction mode between them and PostgreSQL for the pool
 * and a direct connection for LISTEN and migrations. Runs every check once per push bus (postgres, nats).
 * Needs DATABASE_URL's server and the haproxy and pgbouncer binaries; NATS, Redis and RabbitMQ are used when
 * they listen on 127.0.0.1 and their parts are skipped with a line saying so otherwise. Exits 1 on a failure.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { listens } from '../support/local-server';
import { SmtpSink } from '../support/smtp-sink';
import { ADMIN_TOKEN, HttpResult, TestApp } from '../support/test-app';
import { assertTestDatabaseName, dropDatabase, onMaintenanceDb, recreateDatabase, withDatabase } from '../support/test-database';
import { WebhookReceiver } from '../support/webhook-receiver';
import { Balancer, freePort, INSTANCE_POOL_SIZE, migrate, ServiceInstance, setSessionDefaults, startHaproxy, startPgBouncer, SwitchProxy, waitUntil } from './topology';
import { checkIdempotentCreate, checkKillUnderLoad, checkRateLimit, checkSigterm, checkStreamFailover } from './checks';

const RATE_LIMIT = 200;
const NATS_URL = 'nats://127.0.0.1:4222';
const REDIS_URL = 'redis://127.0.0.1:6379';

export interface Cluster {
  balancer: Balancer;
  instances: ServiceInstance[];
  db: Client;
  /** Admin calls (fixtures) through the balancer, in the shape the test factories take. */
  api: TestApp;
  request<T = any>(base: string, method: string, path: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<HttpResult<T>>;
  sink: SmtpSink;
  receiver: WebhookReceiver;
  proxies: { webhook: SwitchProxy; amqp: SwitchProxy };
  /** The instance whose SMTP server never answers: the one killed under load. */
  victim: ServiceInstance;
  rateLimit: number | undefined;
  rabbitMq: boolean;
}

async function request<T>(base: string, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers };
  const response = await fetch(`${base}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body: body as T, text };
}

async function createClusterDatabase(serverUrl: string, name: string): Promise<string> {
  assertTestDatabaseName(name);
  await recreateDatabase(serverUrl, name);
  await onMaintenanceDb(serverUrl, (c) => setSessionDefaults(c, name));
  return withDatabase(serverUrl, name);
}

async function runWithBus(bus: 'postgres' | 'nats', serverUrl: string): Promise<string[]> {
  const name = `messaging_cluster_test_${bus}_${process.pid}`;
  const direct = await createClusterDatabase(serverUrl, name);
  const stops: Array<() => Promise<unknown>> = [() => dropDatabase(serverUrl, name)];
  try {
    const pgbouncer = await startPgBouncer(new URL(serverUrl));
    stops.unshift(() => pgbouncer.child.stop('SIGTERM'));
    const pooled = new URL(direct);
    pooled.port = String(pgbouncer.port);
    const sink = new SmtpSink();
    const receiver = new WebhookReceiver();
    await Promise.all([sink.start(), receiver.start()]);
    const silentSmtp = new SwitchProxy(sink.port);
    const proxies = { webhook: new SwitchProxy(receiver.port), amqp: new SwitchProxy(5672) };
    await Promise.all([silentSmtp.start(), proxies.webhook.start(), proxies.amqp.start()]);
    stops.unshift(() => Promise.all([sink.stop(), receiver.stop(), silentSmtp.stop(), proxies.webhook.stop(), proxies.amqp.stop()]));
    for (const proxy of Object.values(proxies)) proxy.passThrough();

    const redis = listens('127.0.0.1', 6379);
    const common: Record<string, string> = {
      DATABASE_URL: pooled.toString(),
      DATABASE_DIRECT_URL: direct,
      DB_PREPARED_STATEMENTS: 'false',
      MIGRATIONS_RUN: 'false',
      DB_POOL_SIZE: String(INSTANCE_POOL_SIZE),
      PUSH_BUS: bus,
      ...(bus === 'nats' ? { NATS_URL } : {}),
      ...(redis ? { REDIS_URL } : {}),
      RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      ADMIN_TOKEN,
      DEMO_SEED: 'false',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_TIMEOUT_MS: '1000',
      DELIVERY_BACKOFF_BASE_SECONDS: '1',
      DELIVERY_MAX_ATTEMPTS: '30',
      DELIVERY_RETRY_HOURS: '0',
      WORKER_CONCURRENCY: '4',
      SSE_HEARTBEAT_MS: '2000',
      SHUTDOWN_DRAIN_MS: '1500',
      SMTP_URL: sink.url,
    };
    const applied = JSON.parse(migrate(common)) as { applied: string[] };
    if (applied.applied.length === 0) throw new Error('migrate applied nothing on a new database');
    const instances = await Promise.all(
      ['s1', 's2', 's3'].map(async (server) => {
        const dataDir = mkdtempSync(join(tmpdir(), `messaging-cluster-${server}-`));
        // s3's SMTP server accepts and never answers: the e-mails it claims hang until it is killed.
        const smtp = server === 's3' ? `smtp://127.0.0.1:${silentSmtp.port}` : sink.url;
        return new ServiceInstance(server, await freePort(), { ...common, DATA_DIR: dataDir, SMTP_URL: smtp });
      }),
    );
    stops.unshift(() => Promise.all(instances.map((i) => i.child?.stop('SIGKILL'))));
    silentSmtp.hang();
    await Promise.all(instances.map((i) => i.start()));
    const balancer = await startHaproxy(instances.map((i) => ({ name: i.name, port: i.port })));
    stops.unshift(() => balancer.child.stop('SIGTERM'));
    await waitUntil('HAProxy to see all three instances up', async () => (await Promise.all(instances.map((i) => balancer.isUp(i.name)))).every(Boolean));

    const db = new Client({ connectionString: direct });
    await db.connect();
    stops.unshift(() => db.end());
    const api = {
      admin: (method: string, path: string, body?: unknown) => request(balancer.url, method, path, { body, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
    } as unknown as TestApp;
    const cluster: Cluster = { balancer, instances, db, api, request, sink, receiver, proxies, victim: instances[2], rateLimit: redis ? RATE_LIMIT : undefined, rabbitMq: listens('127.0.0.1', 5672) };
    return await runChecks(bus, cluster);
  } finally {
    for (const stop of stops) await stop().catch((error: Error) => console.warn(`cleanup: ${error.message}`));
  }
}

async function runChecks(bus: string, cluster: Cluster): Promise<string[]> {
  const failures: string[] = [];
  const checks: Array<[string, (c: Cluster) => Promise<string>]> = [
    ['a stream gets messages posted through the other instances, and Last-Event-ID replays them after its instance dies', checkStreamFailover],
    ['the same idempotent create sent to all three at once stores one message', checkIdempotentCreate],
    ['the per-token rate limit holds across the three instances', checkRateLimit],
    ['SIGTERM: no request the balancer sent the instance fails', checkSigterm],
    ['kill -9 under write load: every acknowledged create stored once, its claimed deliveries sent by the others', checkKillUnderLoad],
  ];
  for (const [title, check] of checks) {
    const started = Date.now();
    try {
      const detail = await check(cluster);
      console.log(`  ok   [${bus}] ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ''}`);
    } catch (error) {
      console.log(`  FAIL [${bus}] ${title}: ${(error as Error).message}`);
      failures.push(`[${bus}] ${title}`);
      for (const instance of cluster.instances) if (instance.child) console.log(`--- ${instance.name} log (tail)\n${instance.child.log.slice(-3000)}`);
    }
  }
  return failures;
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL must name a PostgreSQL server (the cluster test creates messaging_cluster_* databases on it)');
  const started = Date.now();
  const failures: string[] = [];
  for (const bus of ['postgres', 'nats'] as const) {
    if (bus === 'nats' && !listens('127.0.0.1', 4222)) {
      console.log('  SKIPPED [nats] every check: nothing listens on 127.0.0.1:4222 (NATS)');
      continue;
    }
    console.log(`cluster, PUSH_BUS=${bus}: HAProxy → 3 instances → PgBouncer (transaction mode) → PostgreSQL`);
    failures.push(...(await runWithBus(bus, serverUrl)));
  }
  console.log(`cluster test: ${failures.length === 0 ? 'passed' : `${failures.length} failed`} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(failures.length === 0 ? 0 : 1);
}

main().catch((error: Error) => {
  console.error(`cluster test could not run: ${error.stack ?? error.message}`);
  process.exit(1);
});
