import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { machineLine, RunInfo } from '../lib/report';
import { COMPONENTS, Component } from './cpu';
import { PushBus } from './processes';
import { StreamResult } from './streams';
import { cpuPerRequest, ThroughputRow, Topology } from './throughput';

export interface StreamStep {
  bus: PushBus;
  httpNoDelay: boolean;
  result?: StreamResult;
  /** Why the step has no result: skipped or failed. */
  missing?: string;
}

export interface ClusterReport {
  commit: string;
  command: string;
  info: RunInfo;
  rows: number;
  cases: number;
  durationSeconds: number;
  warmupSeconds: number;
  topologies: Topology[];
  throughput: ThroughputRow[];
  streams: StreamStep[];
  postsPerSecond: number;
  /** Seconds per phase, in run order. */
  durations: [string, number][];
}

const COMPONENT_LABEL: Record<Component, string> = { instances: 'instances', haproxy: 'HAProxy', pgbouncer: 'PgBouncer', postgres: 'PostgreSQL' };
const f0 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '–' : Math.round(n).toLocaleString('en'));
const f2 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(2));

/** The generated part of docs/cluster-performance.md, also printed at the end of the run. */
export function renderReport(r: ClusterReport): string {
  const total = r.durations.reduce((sum, [, s]) => sum + s, 0);
  return [
    '## Measured',
    '',
    `- Commit: \`${r.commit}\`; command: \`${r.command}\``,
    `- Run took ${f0(total)} s: ${r.durations.map(([phase, s]) => `${phase} ${f0(s)} s`).join(', ')}`,
    `- Machine: ${machineLine(r.info)}`,
    `- Data: ${r.rows.toLocaleString('en')} case messages over ${r.cases.toLocaleString('en')} cases, 10,000 users (\`prepareDatabase\` of \`npm run bench\`)`,
    '',
    '### Throughput and CPU per request',
    '',
    throughputTable(r),
    '',
    '### POST → SSE event, through HAProxy',
    '',
    streamTable(r),
    ...noDelayLine(r.streams),
    '',
    '### Notes from this run',
    '',
    notes(r) || '- none',
  ].join('\n');
}

function throughputTable(r: ClusterReport): string {
  const [baseline] = r.topologies;
  const lines = [
    `| Endpoint | Connections | Topology | req/s | ÷ ${baseline.key} | p50 ms | p99 ms | CPU ms per request | ${COMPONENTS.map((c) => COMPONENT_LABEL[c]).join(' | ')} |`,
    `|---|---:|---|---:|---:|---:|---:|---:|${COMPONENTS.map(() => '---:').join('|')}|`,
  ];
  for (const row of r.throughput) {
    const base = row.results[baseline.key]?.load.requestsPerSecond;
    for (const t of r.topologies) {
      const result = row.results[t.key];
      if (!result) continue;
      const per = cpuPerRequest(result);
      const ratio = base ? result.load.requestsPerSecond / base : undefined;
      const warn = result.load.non2xx + result.load.errors > 0 ? ` ⚠ ${result.load.non2xx} non-2xx, ${result.load.errors} errors` : '';
      const part = (c: Component) => (c === 'postgres' || c === 'instances' || t.sources[c] !== undefined ? f2(per[c]) : '–');
      lines.push(
        `| ${row.endpoint}${warn} | ${row.connections} | ${t.key} | ${f0(result.load.requestsPerSecond)} | ${f2(ratio)} | ${f0(result.load.p50)} | ${f0(result.load.p99)} | ${f2(per.total)} | ${COMPONENTS.map(part).join(' | ')} |`,
      );
    }
  }
  return [
    ...r.topologies.map((t) => `- \`${t.key}\`: ${t.label}`),
    '',
    ...lines,
    '',
    `${r.durationSeconds} s per measurement after ${r.warmupSeconds} s warm-up, the topologies alternating in 3 rounds (order rotated each round; req/s and percentiles over all rounds). ` +
      `CPU is user + system time from /proc over each whole run, warm-up included, ÷ the responses it served.`,
  ].join('\n');
}

function streamTable(r: ClusterReport): string {
  const lines = [
    '| Push bus | HAProxy | Streams per instance | Received / expected | p50 ms | p99 ms | max ms | POST on another instance: events, p50 / p99 ms |',
    '|---|---|---|---:|---:|---:|---:|---|',
  ];
  for (const step of r.streams) {
    const option = step.httpNoDelay ? '`http-no-delay`' : 'without `http-no-delay`';
    const s = step.result;
    if (!s) {
      lines.push(`| ${step.bus} | ${option} | ${step.missing ?? 'not measured'} | – | – | – | – | – |`);
      continue;
    }
    const spread = Object.entries(s.spread).sort().map(([k, v]) => `${k} ${v}`).join(', ');
    const received = `${s.received.toLocaleString('en')} / ${s.expected.toLocaleString('en')}${s.failedPosts ? ` (${s.failedPosts} POSTs failed)` : ''}`;
    lines.push(`| ${step.bus} | ${option} | ${spread} | ${received} | ${f0(s.p50)} | ${f0(s.p99)} | ${f0(s.max)} | ${s.crossInstance.count.toLocaleString('en')}, ${f0(s.crossInstance.p50)} / ${f0(s.crossInstance.p99)} |`);
  }
  const first = r.streams.find((s) => s.result)?.result;
  const shape = first
    ? `${first.streams.toLocaleString('en')} streams of different v2 users, each on its own connection through HAProxy; ${first.expected.toLocaleString('en')} v2 creates ` +
      `(${first.expected / first.streams} per stream) posted through HAProxy at ${r.postsPerSecond} per second, open loop. Latency: from the POST's send to the event's arrival on its stream.`
    : '';
  return [...lines, '', shape].join('\n');
}

/** What `option http-no-delay` saves, from the two postgres-bus rows. */
function noDelayLine(steps: StreamStep[]): string[] {
  const on = steps.find((s) => s.bus === 'postgres' && s.httpNoDelay)?.result;
  const off = steps.find((s) => s.bus === 'postgres' && !s.httpNoDelay)?.result;
  if (!on || !off) return [];
  const delta = (a: number, b: number) => `${a - b >= 0 ? '+' : ''}${f0(a - b)}`;
  return ['', `Without \`option http-no-delay\` (postgres bus): p50 ${f0(off.p50)} ms, p99 ${f0(off.p99)} ms, ${delta(off.p50, on.p50)} / ${delta(off.p99, on.p99)} ms against the same instances with it.`];
}

function notes(r: ClusterReport): string {
  const lines = [...r.info.notes];
  for (const row of r.throughput) {
    for (const [key, result] of Object.entries(row.results)) {
      if (result.load.firstFailure) lines.push(`${row.endpoint}, ${row.connections} connections, ${key}: first failure ${result.load.firstFailure}`);
    }
  }
  for (const step of r.streams) if (step.result?.firstFailure) lines.push(`SSE ${step.bus}: first failed POST ${step.result.firstFailure}`);
  return lines.map((n) => `- ${n}`).join('\n');
}

const BEGIN = '<!-- bench-cluster:begin (written by npm run bench:cluster; edit outside these markers) -->';
const END = '<!-- bench-cluster:end -->';

/** Replaces only the generated part, so the hand-written text around it survives a re-run. */
export function writeClusterDoc(path: string, generated: string): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Cluster performance\n';
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  const block = `${BEGIN}\n${generated.trim()}\n${END}`;
  const next = start >= 0 && end > start ? current.slice(0, start) + block + current.slice(end + END.length) : `${current.trim()}\n\n${block}\n`;
  writeFileSync(path, next);
}
