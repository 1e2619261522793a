import autocannon, { Result } from 'autocannon';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** One request of a workload: path (with query) and optional JSON body. */
export interface RequestSpec {
  path: string;
  body?: string;
}

/** An endpoint under load: every call of `next()` yields the next request, so writes never repeat a key. */
export interface Workload {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers: Record<string, string>;
  next: () => RequestSpec;
  /** Said after the run, e.g. that a write workload ran out of fresh ids and started over. */
  note?: () => string | undefined;
  /** Runs before each round, outside the measured time: e.g. undoes what earlier rounds wrote. */
  beforeRound?: () => Promise<void>;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  firstFailure?: string;
  /** Every response's latency in ms, so that rounds can be merged into exact percentiles. */
  latencies: number[];
  /** CPU time the server process spent (user + system) over every request of the run, warm-up included. */
  serverCpu?: { ms: number; requests: number };
  /** Bytes received for the measured responses, headers included (what the wire carried). */
  bytes: number;
}

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** A fixed number of requests instead of a duration. */
  amount?: number;
  /** The server's process id: its CPU time per request is measured too (Linux /proc). */
  serverPid?: number;
}

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

/**
 * User + system CPU time of a process so far, in ms, or undefined off Linux. Steadier than req/s on a shared
 * machine: a busy neighbour slows the server down, but hardly changes the work one request costs it.
 */
export function processCpuMs(pid: number): number | undefined {
  try {
    // Fields after the parenthesised command name (which may hold spaces): utime and stime are 14th and 15th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * Checks one request by hand (a workload that answers 4xx would measure the error path), then loads it.
 * The warm-up runs on the same connections as the measurement (one autocannon instance, the first
 * `warmupSeconds` discarded): the first request on each of 64 freshly opened connections waits behind
 * the others for up to ~600 ms on this machine, so a warm-up on connections of its own would leave that
 * burst inside the measured percentiles (it did: list p99 270–530 ms per 2 s round vs ~100 ms steady).
 */
export async function measure(baseUrl: string, workload: Workload, options: LoadOptions): Promise<LoadResult> {
  const probe = await probeOnce(baseUrl, workload);
  if (probe) return { requestsPerSecond: 0, p50: 0, p99: 0, total: 0, non2xx: 1, errors: 0, firstFailure: probe, latencies: [], bytes: 0 };
  return run(baseUrl, workload, options);
}

export async function probeOnce(baseUrl: string, workload: Workload): Promise<string | undefined> {
  const spec = workload.next();
  const response = await fetchWithRetry(`${baseUrl}${spec.path}`, { method: workload.method, headers: workload.headers, body: spec.body });
  if (response.status >= 200 && response.status < 300) {
    await response.arrayBuffer();
    return undefined;
  }
  return `${workload.method} ${spec.path} → ${response.status} ${(await response.text()).slice(0, 300)}`;
}

/**
 * fetch, retried on a network error: a keep-alive socket the server closes for idleness (Node's 5 s
 * keepAliveTimeout) can race with its reuse, which is the client's problem, not the server's answer.
 */
export async function fetchWithRetry(url: string, init: RequestInit, attempts = 3): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function run(baseUrl: string, workload: Workload, options: LoadOptions): Promise<LoadResult> {
  let firstFailure: string | undefined;
  const latencies: number[] = [];
  const warmupMs = options.amount ? 0 : options.warmupSeconds * 1000;
  const settings = {
    url: baseUrl,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.warmupSeconds + options.durationSeconds }),
    method: workload.method,
    headers: workload.headers,
    requests: [
      {
        setupRequest: (request: any) => {
          const spec = workload.next();
          request.path = spec.path;
          request.body = spec.body;
          return request;
        },
        onResponse: (status: number, body: string) => {
          if ((status < 200 || status >= 300) && !firstFailure) firstFailure = `${status} ${String(body).slice(0, 300)}`;
        },
      },
    ],
  };
  let measuredFrom = 0;
  let lastResponseAt = 0;
  let served = 0;
  let bytes = 0;
  const cpuBefore = options.serverPid === undefined ? undefined : processCpuMs(options.serverPid);
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon(settings, (error, outcome) => (error ? reject(error) : resolve(outcome)));
    measuredFrom = performance.now() + warmupMs;
    instance.on('response', (_client: unknown, _status: number, responseBytes: number, responseTime: number) => {
      served++;
      const now = performance.now();
      // A response counts when its request was sent after the warm-up.
      if (now - responseTime < measuredFrom) return;
      latencies.push(responseTime);
      bytes += responseBytes;
      lastResponseAt = now;
    });
  });
  const seconds = (lastResponseAt - measuredFrom) / 1000;
  const cpuAfter = options.serverPid === undefined ? undefined : processCpuMs(options.serverPid);
  return {
    requestsPerSecond: seconds > 0 ? latencies.length / seconds : 0,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    total: latencies.length,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    firstFailure,
    latencies,
    bytes,
    serverCpu: cpuBefore !== undefined && cpuAfter !== undefined ? { ms: cpuAfter - cpuBefore, requests: served } : undefined,
  };
}

/** Several rounds as one: req/s over their summed measured time, exact percentiles over every response. */
export function mergeRounds(rounds: LoadResult[]): LoadResult {
  const total = rounds.reduce((sum, r) => sum + r.total, 0);
  const seconds = rounds.reduce((sum, r) => sum + (r.requestsPerSecond > 0 ? r.total / r.requestsPerSecond : 0), 0);
  const latencies = rounds.flatMap((r) => r.latencies);
  return {
    requestsPerSecond: seconds > 0 ? total / seconds : 0,
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
    latencies: [],
    total,
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    firstFailure: rounds.find((r) => r.firstFailure)?.firstFailure,
    bytes: rounds.reduce((sum, r) => sum + r.bytes, 0),
    serverCpu: rounds.every((r) => r.serverCpu)
      ? { ms: rounds.reduce((sum, r) => sum + r.serverCpu!.ms, 0), requests: rounds.reduce((sum, r) => sum + r.serverCpu!.requests, 0) }
      : undefined,
  };
}

/** One side of an A/B comparison on one server. */
export interface Side {
  workload: Workload;
  /** Runs before each of this side's measurements, outside the measured time (e.g. sets up what it compares). */
  before?: () => Promise<void>;
}

/**
 * Two sides on one server in `rounds` rounds that share the duration (req/s and percentiles over all rounds
 * of a side), the order flipped every round (a/b, b/a, a/b): the shared machine's CPU drifts within seconds,
 * and neither side always runs second on the larger tables.
 */
export async function alternate(baseUrl: string, a: Side, b: Side, options: LoadOptions, rounds = 3): Promise<[LoadResult, LoadResult]> {
  const results: [LoadResult[], LoadResult[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    const roundOptions = { ...options, durationSeconds: options.durationSeconds / rounds, warmupSeconds: round === 0 ? options.warmupSeconds : 1 };
    for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const side = i === 0 ? a : b;
      await side.before?.();
      await side.workload.beforeRound?.();
      results[i].push(await measure(baseUrl, side.workload, roundOptions));
    }
  }
  return [mergeRounds(results[0]), mergeRounds(results[1])];
}

/** The server's CPU time per request in ms, when it was measured. */
export function cpuPerRequest(r: LoadResult | undefined): number | undefined {
  return r?.serverCpu && r.serverCpu.requests > 0 ? r.serverCpu.ms / r.serverCpu.requests : undefined;
}

/** The p-th percentile (0..100) of latencies in ms, nearest rank. */
export function percentile(latencies: number[], p: number): number {
  if (latencies.length === 0) return NaN;
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
