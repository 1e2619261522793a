import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectAmqp } from 'amqplib';
import { SMTPServer } from 'smtp-server';
import { WebhookEvent } from '../../src/delivery/delivery.enums';
import { ChildServer } from '../lib/children';
import { BenchConfig } from '../lib/config';
import { issueUserTokens } from '../lib/fixtures';
import { alternate, LoadResult, measure } from '../lib/load';
import { log } from '../lib/prepare';
import { openMessageStream } from '../lib/sse';
import { SuiteContext } from '../lib/suite';
import { createWorkload } from './user-messages';
import { AMQP_URL, providerAccounts, subscribe, v3Workload, WebhookTarget } from './webhooks';

/** Delivery figures. Every step runs against the real built server with its in-process workers enabled. */
export interface DeliveryResult {
  emails?: DrainResult;
  webhooks?: DrainResult;
  /** AMQP webhooks into a queue on the local broker, publisher confirms on. */
  amqp?: DrainResult;
  stream?: StreamResult;
  createWithDelivery?: LoadResult;
  createWithout?: LoadResult;
  /** The same pair on an API instance with workers off (workers run as separate instances). */
  apiOnlyCreateWithDelivery?: LoadResult;
  apiOnlyCreateWithout?: LoadResult;
  notes: string[];
}

export interface DrainResult {
  count: number;
  expected: number;
  seconds: number;
}

export interface StreamResult {
  streams: number;
  events: number;
  missed: number;
  p50: number;
  p99: number;
  /** RSS growth ÷ streams, each RSS read after a forced full GC: what the open streams hold, heap and native. */
  rssBytesPerStream: number;
  /** The same growth read without forcing a GC (the method before): also counts garbage not yet collected. */
  rssBytesPerStreamNoGc: number;
  /** V8 heap in use after the forced GC, growth ÷ streams: the JavaScript objects alone. */
  heapBytesPerStream: number;
}

export type StartApp = (env: Record<string, string>) => Promise<ChildServer>;

// The drain rate is count ÷ time either way; the cap keeps a slow drain from eating the run's time budget.
const DRAIN_TIMEOUT_MS = 45_000;
const WEBHOOK_MESSAGES = 2_000;
const AMQP_MESSAGES = 10_000;
const STREAMS = 1_000;
/** Opened first so that code paths compiled on first use do not count as memory per stream. */
const WARM_STREAMS = 50;
const STREAM_POSTS = 300;
const STREAM_POST_CONCURRENCY = 8;

/**
 * Preloaded into the server the stream step measures (bench only): on SIGUSR2 it runs a full GC and
 * writes the V8 heap in use to BENCH_MEMORY_FILE. Without the GC, RSS growth while 1,000 streams open
 * at once mostly counts the garbage of handling 1,000 simultaneous requests (promoted because they are
 * all in flight), which the next major GC returns whether or not a stream stays open.
 */
const MEMORY_PROBE = `
const { renameSync, writeFileSync } = require('node:fs');
process.on('SIGUSR2', () => {
  global.gc();
  global.gc();
  const file = process.env.BENCH_MEMORY_FILE;
  writeFileSync(file + '.tmp', JSON.stringify({ heapUsed: process.memoryUsage().heapUsed }));
  renameSync(file + '.tmp', file);
});
`;
/** V8 returns the pages a GC freed on a background thread: RSS read at once still contains them. */
const AFTER_GC_MS = 250;

interface MemorySample {
  rss: number;
  heapUsed: number;
}

/** The probe's files and the environment that loads it into a server. */
function memoryProbe(): { env: Record<string, string>; sample: (server: ChildServer) => Promise<MemorySample>; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-memory-'));
  const script = join(dir, 'probe.js');
  const file = join(dir, 'sample.json');
  writeFileSync(script, MEMORY_PROBE);
  const sample = async (server: ChildServer): Promise<MemorySample> => {
    rmSync(file, { force: true });
    server.process.kill('SIGUSR2');
    const deadline = performance.now() + 10_000;
    while (!existsSync(file)) {
      if (performance.now() > deadline) throw new Error('the memory probe did not answer');
      await sleep(20);
    }
    const { heapUsed } = JSON.parse(readFileSync(file, 'utf8')) as { heapUsed: number };
    await sleep(AFTER_GC_MS);
    return { heapUsed, rss: rssBytes(server) };
  };
  return {
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc --require ${script}`.trim(), BENCH_MEMORY_FILE: file },
    sample,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A local SMTP server that accepts and counts every message. */
async function startSmtpSink(): Promise<{ port: number; count: () => number; reset: () => void; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        received++;
        callback();
      });
      stream.resume();
    },
  });
  const port = await listen((server as unknown as { server: Server }).server, (cb) => server.listen(0, '127.0.0.1', cb));
  return { port, count: () => received, reset: () => (received = 0), close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A local webhook receiver that answers 200 and counts calls. */
async function startWebhookReceiver(): Promise<{ port: number; count: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received++;
      response.end('ok');
    });
  });
  const port = await listen(server);
  return { port, count: () => received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const AMQP_QUEUE = 'bench-webhooks';

/** A durable queue on the local broker, declared empty for the drain and deleted after it; the harness consumes and counts. */
async function startAmqpSink(): Promise<{ name: string; count: () => number; close: () => Promise<void> }> {
  const connection = await connectAmqp(AMQP_URL);
  const channel = await connection.createChannel();
  await channel.assertQueue(AMQP_QUEUE, { durable: true });
  await channel.purgeQueue(AMQP_QUEUE);
  let received = 0;
  await channel.consume(AMQP_QUEUE, () => void received++, { noAck: true });
  const close = async () => {
    await channel.deleteQueue(AMQP_QUEUE);
    await connection.close();
  };
  return { name: AMQP_QUEUE, count: () => received, close };
}

function listen(server: Server, start: (callback: () => void) => void = (cb) => server.listen(0, '127.0.0.1', cb)): Promise<number> {
  return new Promise((resolve) => {
    start(() => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

async function waitForCount(count: () => number, expected: number, timeoutMs: number): Promise<DrainResult> {
  const started = performance.now();
  while (count() < expected && performance.now() - started < timeoutMs) await sleep(50);
  return { count: count(), expected, seconds: (performance.now() - started) / 1000 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nothing left from earlier phases may compete with what is measured. */
async function cancelPending(ctx: SuiteContext): Promise<void> {
  await ctx.pool.query(`UPDATE deliveries SET status = 'cancelled' WHERE status IN ('pending', 'sending')`);
  await ctx.pool.query(`DELETE FROM webhook_events`);
}

const CREATE_ROUNDS = 3;

/**
 * v2 creates with e-mail and push off and on in CREATE_ROUNDS alternating rounds (see alternate). Pending
 * deliveries are cancelled before every measurement: with workers running, an "off" one would otherwise pay
 * for sending the "on" one's e-mails.
 */
async function compareCreates(ctx: SuiteContext, baseUrl: string, config: BenchConfig): Promise<{ without: LoadResult; withDelivery: LoadResult }> {
  const off = createWorkload(ctx, 'delivery-off', { unreadEmail: false, unreadBrowserNotification: false });
  const on = createWorkload(ctx, 'delivery-on', { unreadEmail: true, unreadBrowserNotification: true });
  const before = () => cancelPending(ctx);
  const options = { connections: config.connections, durationSeconds: config.durationSeconds, warmupSeconds: config.warmupSeconds };
  const [without, withDelivery] = await alternate(baseUrl, { workload: off, before }, { workload: on, before }, options, CREATE_ROUNDS);
  return { without, withDelivery };
}

export async function measureDelivery(config: BenchConfig, ctx: SuiteContext, startApp: StartApp): Promise<DeliveryResult> {
  const result: DeliveryResult = { notes: [] };
  const smtp = await startSmtpSink();
  const receiver = await startWebhookReceiver();
  const workersOn = { WORKERS_ENABLED: 'true', SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, WEBHOOK_ALLOW_PRIVATE: 'true' };
  const workersOff = { ...workersOn, WORKERS_ENABLED: 'false' };
  const probe = memoryProbe();
  const step = async <T>(name: string, body: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await body();
    } catch (error) {
      result.notes.push(`${name} not measured: ${(error as Error).message.split('\n')[0]}`);
      return undefined;
    }
  };
  try {
    result.emails = await step('e-mail drain', () => emailDrain(ctx, startApp, workersOn, workersOff, smtp));
    const http: WebhookSink = { target: { transport: 'http', url: `http://127.0.0.1:${receiver.port}/hook` }, count: receiver.count };
    result.webhooks = await step('webhook drain', () => webhookDrain(ctx, startApp, workersOn, workersOff, http, WEBHOOK_MESSAGES));
    result.amqp = await step('AMQP webhook drain', () => amqpDrain(ctx, startApp, workersOn, workersOff, result));
    const app = await startApp({ ...workersOn, ...probe.env });
    try {
      result.stream = await step('SSE', () => streamLatency(ctx, app, probe.sample));
      if (result.stream) result.notes.push(streamMemoryNote(result.stream));
      log(`  [delivery] v2 create with e-mail and push off and on, ${CREATE_ROUNDS} alternating rounds (workers running)`);
      const compared = await step('create with and without delivery', () => compareCreates(ctx, app.baseUrl, config));
      result.createWithout = compared?.without;
      result.createWithDelivery = compared?.withDelivery;
    } finally {
      await app.stop();
    }
    // The write path alone: an API instance with workers off, as when an operator runs workers separately.
    // The outbox rows are written either way; nothing sends them during the measurement.
    const api = await startApp(workersOff);
    try {
      log(`  [delivery] v2 create with e-mail and push off and on, ${CREATE_ROUNDS} alternating rounds (API instance, workers off)`);
      const compared = await step('create with and without delivery (workers off)', () => compareCreates(ctx, api.baseUrl, config));
      result.apiOnlyCreateWithout = compared?.without;
      result.apiOnlyCreateWithDelivery = compared?.withDelivery;
    } finally {
      await api.stop();
    }
  } finally {
    await cancelPending(ctx);
    await Promise.all([smtp.close(), receiver.close()]);
    probe.remove();
  }
  return result;
}

/** One message to the 10,000-member group is queued with workers off; then a worker instance drains it into the sink. */
async function emailDrain(ctx: SuiteContext, startApp: StartApp, on: Record<string, string>, off: Record<string, string>, smtp: { count: () => number; reset: () => void }): Promise<DrainResult> {
  await cancelPending(ctx);
  const queueing = await startApp(off);
  let expected = 0;
  try {
    const response = await fetch(`${queueing.baseUrl}/v2/messages`, {
      method: 'POST',
      headers: { authorization: `BimPlus ${ctx.tokens.service}`, 'content-type': 'application/json' },
      body: JSON.stringify({ receiver: { id: ctx.ids.groupId }, source: 'Bench Mail', topic: 'E-mail drain', severity: 'Info', returnCode: 'OK', unreadBrowserNotification: false }),
    });
    if (response.status !== 201) throw new Error(`group create answered ${response.status}`);
    const { rows } = await ctx.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM deliveries WHERE kind = 'email' AND status = 'pending'`);
    expected = rows[0].n;
  } finally {
    await queueing.stop();
  }
  log(`  [delivery] draining ${expected.toLocaleString('en')} e-mails into a local SMTP sink`);
  smtp.reset();
  const worker = await startApp(on);
  try {
    return await waitForCount(smtp.count, expected, DRAIN_TIMEOUT_MS);
  } finally {
    await worker.stop();
  }
}

/** Where a drain's webhooks send, and how many have arrived there. */
interface WebhookSink {
  target: WebhookTarget;
  count: () => number;
}

/**
 * Every provider gets a webhook to `sink`; the partners post `messages` messages with workers off (measure's
 * probe posts the first), then a worker instance fans the queued webhook events out and drains the deliveries.
 */
async function webhookDrain(ctx: SuiteContext, startApp: StartApp, on: Record<string, string>, off: Record<string, string>, sink: WebhookSink, messages: number): Promise<DrainResult> {
  await cancelPending(ctx);
  await subscribe(ctx.pool, providerAccounts(), WebhookEvent.MessageCreated, [sink.target]);
  const queueing = await startApp(off);
  try {
    await measure(queueing.baseUrl, await v3Workload(ctx, 'v3-create'), { connections: 16, durationSeconds: 0, warmupSeconds: 0, amount: messages - 1 });
  } finally {
    await queueing.stop();
  }
  const kind = sink.target.transport === 'amqp' ? 'amqp' : 'webhook';
  // The creates queued webhook events; the worker fans them out and sends, and the drain counts both steps.
  const { rows } = await ctx.pool.query<{ n: number }>(
    `SELECT ((SELECT count(*) FROM deliveries WHERE kind = $1 AND status = 'pending') +
             (SELECT count(*) FROM webhook_events e CROSS JOIN LATERAL unnest(e.account_ids) AS p(account_id)
                JOIN webhooks w ON w.account_id = p.account_id AND e.event = ANY (w.events) AND (w.transport = 'amqp') = ($1 = 'amqp')))::int AS n`,
    [kind],
  );
  log(`  [delivery] draining ${rows[0].n.toLocaleString('en')} ${sink.target.transport} webhooks into ${sink.target.url}`);
  const before = sink.count();
  const worker = await startApp(on);
  try {
    return await waitForCount(() => sink.count() - before, rows[0].n, DRAIN_TIMEOUT_MS);
  } finally {
    await worker.stop();
    await ctx.pool.query(`DELETE FROM webhooks`);
  }
}

/** The broker confirms each publish before the worker marks it sent; arrivals are counted where a receiver would see them. */
async function amqpDrain(ctx: SuiteContext, startApp: StartApp, on: Record<string, string>, off: Record<string, string>, result: DeliveryResult): Promise<DrainResult> {
  const queue = await startAmqpSink();
  try {
    const drained = await webhookDrain(ctx, startApp, on, off, { target: { transport: 'amqp', url: AMQP_URL, routingKey: queue.name }, count: queue.count }, AMQP_MESSAGES);
    if (drained.count < drained.expected) result.notes.push(`AMQP drain: ${await deliveryStatuses(ctx, 'amqp')}`);
    return drained;
  } finally {
    await queue.close();
  }
}

/** e.g. "sent 9,990, pending 10 (last error: …)", for a drain that did not finish. */
async function deliveryStatuses(ctx: SuiteContext, kind: string): Promise<string> {
  const { rows } = await ctx.pool.query<{ status: string; n: number; error: string | null }>(
    `SELECT status, count(*)::int AS n, max(last_error) AS error FROM deliveries WHERE kind = $1 GROUP BY status ORDER BY status`,
    [kind],
  );
  const error = rows.find((r) => r.error)?.error;
  return `${rows.map((r) => `${r.status} ${r.n.toLocaleString('en')}`).join(', ')}${error ? ` (last error: ${error.slice(0, 200)})` : ''}`;
}

interface OpenStream {
  userId: string;
  response: IncomingMessage;
}

/** 1,000 users each hold a stream open; messages are posted to random ones and timed until their event arrives. */
async function streamLatency(ctx: SuiteContext, app: ChildServer, memory: (server: ChildServer) => Promise<MemorySample>): Promise<StreamResult> {
  const users = await issueUserTokens(ctx.pool, STREAMS + WARM_STREAMS);
  const arrivals = new Map<string, number>();
  log(`  [delivery] opening ${STREAMS} SSE streams`);
  const warm = await Promise.all(users.slice(STREAMS).map((u) => openStream(app.baseUrl, u.userId, u.token, arrivals)));
  // A server that has answered requests has grown its young generation to its working size (up to
  // --max-semi-space-size, 32 MB per semi-space in production): a one-off cost of the process, not of the
  // streams, that would otherwise land inside the 1,000 opens below.
  const reader = users[STREAMS];
  await measure(app.baseUrl, { method: 'GET', headers: { authorization: `BimPlus ${reader.token}` }, next: () => ({ path: '/v2/user/me/messages' }) }, { connections: 16, durationSeconds: 3, warmupSeconds: 0 });
  await sleep(1_000);
  const rssBefore = rssBytes(app);
  const before = await memory(app);
  const streams = await Promise.all(users.slice(0, STREAMS).map((u) => openStream(app.baseUrl, u.userId, u.token, arrivals)));
  await sleep(2_000);
  const rssAfter = rssBytes(app);
  const after = await memory(app);
  const latencies: number[] = [];
  let missed = 0;
  let next = 0;
  const poster = async () => {
    while (next < STREAM_POSTS) {
      const i = next++;
      const target = streams[(i * 7919) % streams.length];
      const started = performance.now();
      const response = await fetch(`${app.baseUrl}/v2/messages`, {
        method: 'POST',
        headers: { authorization: `BimPlus ${ctx.tokens.service}`, 'content-type': 'application/json' },
        body: JSON.stringify({ receiver: { id: target.userId }, source: 'Bench Push', topic: `Popup ${i}`, severity: 'Info', returnCode: 'OK', unreadEmail: false }),
      });
      const { id } = (await response.json()) as { id: string };
      const arrived = await waitForArrival(arrivals, id, 5_000);
      if (arrived === undefined) missed++;
      else latencies.push(arrived - started);
    }
  };
  await Promise.all(Array.from({ length: STREAM_POST_CONCURRENCY }, poster));
  for (const stream of [...warm, ...streams]) stream.response.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? NaN;
  const perStream = (growth: number) => growth / streams.length;
  return {
    streams: streams.length,
    events: latencies.length,
    missed,
    p50: pct(50),
    p99: pct(99),
    rssBytesPerStream: perStream(after.rss - before.rss),
    rssBytesPerStreamNoGc: perStream(rssAfter - rssBefore),
    heapBytesPerStream: perStream(after.heapUsed - before.heapUsed),
  };
}

function streamMemoryNote(stream: StreamResult): string {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  return (
    `memory per open stream: server RSS growth while ${stream.streams} streams opened, each RSS read after a forced full GC ` +
    `(bench-only preload), ${kib(stream.rssBytesPerStream)}; of it V8 heap ${kib(stream.heapBytesPerStream)}, the rest outside ` +
    `the heap (HTTP parsers, libuv handles) and heap page slack. Read without forcing a GC, as before: ${kib(stream.rssBytesPerStreamNoGc)} (includes uncollected ` +
    `garbage of the 1,000 simultaneous opens). Kernel socket buffers are in neither.`
  );
}

async function waitForArrival(arrivals: Map<string, number>, id: string, timeoutMs: number): Promise<number | undefined> {
  const deadline = performance.now() + timeoutMs;
  while (!arrivals.has(id) && performance.now() < deadline) await sleep(2);
  return arrivals.get(id);
}

async function openStream(baseUrl: string, userId: string, token: string, arrivals: Map<string, number>): Promise<OpenStream> {
  const { response } = await openMessageStream(`${baseUrl}/v2/user/me/messages/stream?accessToken=${token}`, {}, arrivals);
  return { userId, response };
}

function rssBytes(server: ChildServer): number {
  const status = readFileSync(`/proc/${server.process.pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}
