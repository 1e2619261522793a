import { LoadResult, measure, mergeRounds, Workload } from '../lib/load';
import { log } from '../lib/prepare';
import { SuiteContext } from '../lib/suite';
import { caseMessagesSuite } from '../suites/case-messages';
import { addCpu, CpuMeter, CpuMs, CpuSources, totalCpu, zeroCpu } from './cpu';

/** Topologies alternate this many times per measurement, each round 1/ROUNDS of the duration. */
const ROUNDS = 3;
const ROUND_WARMUP_SECONDS = 1;

/** One way of serving the API: a base URL and the processes a request passes through. */
export interface Topology {
  key: string;
  label: string;
  baseUrl: string;
  sources: CpuSources;
}

export interface TopologyResult {
  load: LoadResult;
  cpu: CpuMs;
  /** Responses the CPU was spent on, warm-ups included (the CPU is read around the whole run). */
  served: number;
}

export interface ThroughputRow {
  endpoint: string;
  connections: number;
  results: Record<string, TopologyResult>;
}

export const ENDPOINTS = [
  { key: 'v3-list', label: 'v3 list a 50-message case' },
  { key: 'v3-create', label: 'v3 create' },
] as const;

export interface ThroughputOptions {
  connections: number[];
  durationSeconds: number;
  warmupSeconds: number;
}

/**
 * Every endpoint at every connection count on every topology. The topologies take turns in ROUNDS rounds, the
 * order rotated each round (this VM's CPU drifts within seconds; no topology always runs first or last), and
 * share one workload, so creates never repeat a key.
 */
export async function measureThroughput(ctx: SuiteContext, topologies: Topology[], meter: CpuMeter, options: ThroughputOptions): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const { key, label } of ENDPOINTS) {
    for (const connections of options.connections) {
      log(`  ${label}, ${connections} connections: ${topologies.map((t) => t.key).join(', ')} in ${ROUNDS} rounds`);
      const workload = await endpointWorkload(ctx, key);
      const row = { endpoint: label, connections, results: await rotate(topologies, workload, meter, { ...options, connections }) };
      for (const t of topologies) log(`    ${t.key}: ${summary(row.results[t.key])}`);
      rows.push(row);
      // The creates leave dead tuples and unanalysed pages; the next measurement starts from a clean table.
      if (key === 'v3-create') await ctx.pool.query('VACUUM (ANALYZE)');
    }
  }
  return rows;
}

async function rotate(topologies: Topology[], workload: Workload, meter: CpuMeter, options: { connections: number; durationSeconds: number; warmupSeconds: number }): Promise<Record<string, TopologyResult>> {
  const rounds: Record<string, { loads: LoadResult[]; cpu: CpuMs; served: number }> = {};
  for (const t of topologies) rounds[t.key] = { loads: [], cpu: zeroCpu(), served: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const order = topologies.map((_, i) => topologies[(i + round) % topologies.length]);
    for (const t of order) {
      const loadOptions = {
        connections: options.connections,
        durationSeconds: options.durationSeconds / ROUNDS,
        warmupSeconds: round === 0 ? options.warmupSeconds : ROUND_WARMUP_SECONDS,
        // Any pid will do: measure then counts every response, warm-up included, as the CPU is read around it all.
        serverPid: t.sources.instances[0],
      };
      const { result, cpu } = await meter.around(t.sources, () => measure(t.baseUrl, workload, loadOptions));
      const acc = rounds[t.key];
      acc.loads.push(result);
      addCpu(acc.cpu, cpu);
      acc.served += result.serverCpu?.requests ?? result.total;
    }
  }
  const results: Record<string, TopologyResult> = {};
  for (const t of topologies) results[t.key] = { load: mergeRounds(rounds[t.key].loads), cpu: rounds[t.key].cpu, served: rounds[t.key].served };
  return results;
}

async function endpointWorkload(ctx: SuiteContext, key: string): Promise<Workload> {
  const bench = caseMessagesSuite.endpoints.find((e) => e.key === key);
  if (!bench) throw new Error(`bench/suites/case-messages.ts has no endpoint ${key}`);
  return bench.workload(ctx, 'app');
}

/** CPU milliseconds per response, per component and in all. */
export function cpuPerRequest(r: TopologyResult): CpuMs & { total: number } {
  const per = zeroCpu();
  if (r.served === 0) return { ...per, total: NaN };
  for (const c of Object.keys(per) as (keyof CpuMs)[]) per[c] = r.cpu[c] / r.served;
  return { ...per, total: totalCpu(r.cpu) / r.served };
}

function summary(r: TopologyResult): string {
  const bad = r.load.non2xx + r.load.errors > 0 ? ` (${r.load.non2xx} non-2xx, ${r.load.errors} errors)` : '';
  return `${Math.round(r.load.requestsPerSecond)} req/s, p50 ${r.load.p50} ms, p99 ${r.load.p99} ms, CPU ${cpuPerRequest(r).total.toFixed(2)} ms/request${bad}`;
}
