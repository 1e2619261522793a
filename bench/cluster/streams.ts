import { ClientRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { fetchWithRetry, percentile } from '../lib/load';
import { log } from '../lib/prepare';
import { openMessageStream } from '../lib/sse';

export interface StreamUser {
  userId: string;
  token: string;
}

export interface StreamOptions {
  postsPerStream: number;
  postsPerSecond: number;
}

export interface StreamResult {
  streams: number;
  /** Streams per instance, by the balancer's X-Served-By. */
  spread: Record<string, number>;
  expected: number;
  received: number;
  failedPosts: number;
  firstFailure?: string;
  p50: number;
  p99: number;
  max: number;
  /** Events whose POST was served by another instance than their stream: they need the push bus. */
  crossInstance: { count: number; p50: number; p99: number };
  openSeconds: number;
  postSeconds: number;
}

interface OpenStream {
  user: StreamUser;
  servedBy: string;
  request: ClientRequest;
}

interface SentPost {
  id: string;
  sentAt: number;
  servedBy: string;
  stream: OpenStream;
}

/** Opens at a time: 1,000 at once through the balancer would measure the opening burst, not the streams. */
const OPEN_CONCURRENCY = 50;
/** An open-loop poster that falls behind stops adding requests beyond this many in flight. */
const MAX_POSTS_IN_FLIGHT = 64;
const ARRIVAL_TIMEOUT_MS = 5_000;

/**
 * One stream per user through the balancer, then `postsPerStream` v2 messages to each stream's user, posted
 * through the balancer at a fixed rate (open loop: a slow answer does not slow the sending). Each event's
 * latency runs from its POST's send to the event's arrival on its stream; an event not there 5 s after the
 * last answer counts as not received.
 */
export async function streamLatency(baseUrl: string, users: StreamUser[], serviceToken: string, options: StreamOptions): Promise<StreamResult> {
  const arrivals = new Map<string, number>();
  const opened = performance.now();
  const streams = await openAll(baseUrl, users, arrivals);
  const openSeconds = (performance.now() - opened) / 1000;
  const spread: Record<string, number> = {};
  for (const s of streams) spread[s.servedBy] = (spread[s.servedBy] ?? 0) + 1;
  log(`    ${streams.length} streams open in ${openSeconds.toFixed(1)} s (${Object.entries(spread).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  try {
    const total = streams.length * options.postsPerStream;
    const sent: SentPost[] = [];
    let failedPosts = 0;
    let firstFailure: string | undefined;
    const post = async (i: number) => {
      // 7919 is prime: consecutive posts visit every stream before any stream gets its next one.
      const stream = streams[(i * 7919) % streams.length];
      const sentAt = performance.now();
      const response = await fetchWithRetry(`${baseUrl}/v2/messages`, {
        method: 'POST',
        headers: { authorization: `BimPlus ${serviceToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ receiver: { id: stream.user.userId }, source: 'Bench Push', topic: `Popup ${i}`, severity: 'Info', returnCode: 'OK', unreadEmail: false }),
      }).catch((error: Error) => error);
      if (response instanceof Error || response.status !== 201) {
        failedPosts++;
        firstFailure ??= response instanceof Error ? response.message : `${response.status} ${(await response.text()).slice(0, 200)}`;
        return;
      }
      const { id } = (await response.json()) as { id: string };
      sent.push({ id, sentAt, servedBy: response.headers.get('x-served-by') ?? '?', stream });
    };
    const posting = performance.now();
    await paced(total, options.postsPerSecond, post);
    const postSeconds = (performance.now() - posting) / 1000;
    const deadline = performance.now() + ARRIVAL_TIMEOUT_MS;
    while (sent.some((p) => !arrivals.has(p.id)) && performance.now() < deadline) await sleep(20);
    return { streams: streams.length, spread, expected: total, failedPosts, firstFailure, openSeconds, postSeconds, ...latencies(sent, arrivals) };
  } finally {
    for (const s of streams) s.request.destroy();
    // Let the instances see the closes before the next step opens its streams.
    await sleep(1_000);
  }
}

function latencies(sent: SentPost[], arrivals: Map<string, number>): Pick<StreamResult, 'received' | 'p50' | 'p99' | 'max' | 'crossInstance'> {
  const all: number[] = [];
  const cross: number[] = [];
  for (const p of sent) {
    const at = arrivals.get(p.id);
    if (at === undefined) continue;
    all.push(at - p.sentAt);
    if (p.servedBy !== p.stream.servedBy) cross.push(at - p.sentAt);
  }
  return {
    received: all.length,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    max: all.length ? Math.max(...all) : NaN,
    crossInstance: { count: cross.length, p50: percentile(cross, 50), p99: percentile(cross, 99) },
  };
}

/** Starts send(i) for i in 0..total-1 at `perSecond`, whatever the earlier ones take, and waits for all. */
async function paced(total: number, perSecond: number, send: (i: number) => Promise<void>): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await sleep(wait);
    while (inFlight.size >= MAX_POSTS_IN_FLIGHT) await Promise.race(inFlight);
    const sending: Promise<void> = send(i).finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  }
  await Promise.all(inFlight);
}

async function openAll(baseUrl: string, users: StreamUser[], arrivals: Map<string, number>): Promise<OpenStream[]> {
  const streams: OpenStream[] = [];
  const failures: Error[] = [];
  let next = 0;
  const opener = async () => {
    while (next < users.length && failures.length === 0) {
      await openStream(baseUrl, users[next++], arrivals).then((s) => streams.push(s), (error: Error) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: OPEN_CONCURRENCY }, opener));
  if (failures.length === 0) return streams;
  for (const s of streams) s.request.destroy();
  throw failures[0];
}

/** One user's stream through the balancer, with the instance that holds it. */
async function openStream(baseUrl: string, user: StreamUser, arrivals: Map<string, number>): Promise<OpenStream> {
  const { request, response } = await openMessageStream(`${baseUrl}/v2/user/${user.userId}/messages/stream`, { authorization: `BimPlus ${user.token}` }, arrivals);
  return { user, servedBy: String(response.headers['x-served-by'] ?? '?'), request };
}
