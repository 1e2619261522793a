import type { DeliveryResult } from '../suites/delivery';
import type { WriteCosts } from './report';
import type { LoadResult } from './load';
import { BenchConfig } from './config';
import { machineLine, notesSection, scaleTable, targetsTable, EndpointResult, GroupCreateResult, median, RunInfo, throughputTable, writeDocs } from './report';

function command(config: BenchConfig): string {
  const knobs = [
    config.durationSeconds !== 10 ? `BENCH_DURATION_SECONDS=${config.durationSeconds}` : '',
    config.connections !== 64 ? `BENCH_CONNECTIONS=${config.connections}` : '',
    config.only !== 'all' ? `BENCH_ONLY=${config.only}` : '',
    config.largeRows !== 1_000_000 ? `BENCH_ROWS=${config.largeRows}` : '',
    config.reuseDb ? 'BENCH_REUSE_DB=1' : '',
  ].filter(Boolean);
  return [...knobs, 'npm run bench'].join(' ');
}

/** The generated part of docs/performance.md, also printed at the end of the run. */
export function renderReport(
  results: EndpointResult[],
  group: GroupCreateResult | undefined,
  writes: WriteCosts,
  delivery: DeliveryResult | undefined,
  info: RunInfo,
): string {
  const { config } = info;
  const groupLine = group
    ? `Create one message to the ${group.recipients.toLocaleString('en')}-member group (sequential, ${group.millis.length} times): ` +
      `median ${Math.round(median(group.millis))} ms, each ${group.millis.map((m) => Math.round(m)).join(' / ')} ms.`
    : '';
  const seeds = Object.entries(info.seedSeconds)
    .map(([db, s]) => `${db} ${s > 0 ? `${s.toFixed(0)} s` : 'reused'}`)
    .join(', ');
  return [
    `## Measured`,
    ``,
    `- Date: ${info.startedAt.toISOString()} (run took ${Math.round((info.finishedAt.getTime() - info.startedAt.getTime()) / 1000)} s; seeding: ${seeds})`,
    `- Command: \`${command(config)}\``,
    `- Machine: ${machineLine(info)}`,
    `- Data: ${config.largeRows.toLocaleString('en')} case messages over ${Math.floor(config.largeRows / 50).toLocaleString('en')} cases and ${config.largeRows.toLocaleString('en')} user messages over 10,000 users (one with 10,000) plus a 10,000-member group; the scale check uses ${config.smallRows.toLocaleString('en')} of each.`,
    ``,
    `### Throughput and latency (${config.largeRows.toLocaleString('en')} rows)`,
    ``,
    throughputTable(results, config),
    ``,
    groupLine,
    ``,
    `### Scale: ${config.smallRows.toLocaleString('en')} vs ${config.largeRows.toLocaleString('en')} rows`,
    ``,
    scaleTable(results, config),
    ``,
    `### Targets`,
    ``,
    targetsTable(results, group, writes, config),
    ``,
    ...(writes.webhooks ? [webhookCaption(config), ``] : []),
    ...(writes.hotAccount ? [hotAccountCaption(config), ``] : []),
    deliverySection(delivery, config),
    ``,
    `### Notes from this run`,
    ``,
    notesSection(results, info) || '- none',
  ].join('\n');
}

/** How the webhook rows of the targets table are measured. */
function webhookCaption(config: BenchConfig): string {
  return (
    `Webhook rows: the API instance above (workers off, so nothing is sent) with and without the subscriptions, ${config.connections} connections, ` +
    `${config.durationSeconds} s per side in 3 rounds (order flipped each round); before each, queued webhook deliveries are deleted and the tables vacuumed.`
  );
}

function hotAccountCaption(config: BenchConfig): string {
  return (
    `One-provider rows: v3 creates from the bench partner into the cases of one provider against the same creates spread over 20 providers, ` +
    `on the API instance above, ${config.durationSeconds} s per side in 3 rounds (order flipped each round) at each connection count.`
  );
}

const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? '**met**' : '**not met**');

/** Delivery: measured on the small database with the in-process workers on, against local sinks. */
function deliverySection(d: DeliveryResult | undefined, config: BenchConfig): string {
  if (!d) return `### Delivery\n\nNot measured in this run (needs both APIs; BENCH_DELIVERY=0 or a BENCH_SUITES without delivery leaves it out).`;
  const rate = (r: { count: number; seconds: number } | undefined) => (r && r.seconds > 0 ? r.count / r.seconds : undefined);
  const emails = rate(d.emails);
  const hooks = rate(d.webhooks);
  const amqp = rate(d.amqp);
  const ratioOf = (on?: LoadResult, off?: LoadResult) => (on && off ? on.requestsPerSecond / off.requestsPerSecond : undefined);
  const ratio = ratioOf(d.createWithDelivery, d.createWithout);
  const apiRatio = ratioOf(d.apiOnlyCreateWithDelivery, d.apiOnlyCreateWithout);
  const kib = d.stream ? d.stream.rssBytesPerStream / 1024 : undefined;
  const n = (v: number | undefined, digits = 0) => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits));
  const rows = [
    ['e-mails drained per second into a local SMTP sink', `${n(emails)} /s (${d.emails?.count ?? 0} of ${d.emails?.expected ?? 0} in ${n(d.emails?.seconds, 1)} s)`, '≥ 500/s', verdict(emails === undefined ? undefined : emails >= 500 && d.emails?.count === d.emails?.expected)],
    ['POST → SSE `message` event, p50 / p99', d.stream ? `${n(d.stream.p50)} / ${n(d.stream.p99)} ms with ${d.stream.streams} open streams (${d.stream.events} events, ${d.stream.missed} missed)` : '–', 'p99 < 200 ms', verdict(d.stream ? d.stream.p99 < 200 && d.stream.missed === 0 : undefined)],
    ['server memory per open stream (RSS growth after a full GC ÷ streams)', kib === undefined ? '–' : `${n(kib, 1)} KiB`, '< 20 KiB', verdict(kib === undefined ? undefined : kib < 20)],
    ['webhook deliveries per second to a local receiver', `${n(hooks)} /s (${d.webhooks?.count ?? 0} of ${d.webhooks?.expected ?? 0} in ${n(d.webhooks?.seconds, 1)} s)`, '–', '–'],
    ['AMQP webhooks drained per second into a queue on the local RabbitMQ (publisher confirms; arrivals consumed by the harness)', `${n(amqp)} /s (${d.amqp?.count ?? 0} of ${d.amqp?.expected ?? 0} in ${n(d.amqp?.seconds, 1)} s)`, '≥ 2,000/s (informational)', verdict(amqp === undefined ? undefined : amqp >= 2000 && d.amqp?.count === d.amqp?.expected)],
    ['v2 create req/s with e-mail + push on ÷ both off (workers running)', ratio === undefined ? '–' : `${n(ratio, 2)} (${n(d.createWithDelivery?.requestsPerSecond)} vs ${n(d.createWithout?.requestsPerSecond)} req/s; p99 ${n(d.createWithDelivery?.p99)} vs ${n(d.createWithout?.p99)} ms)`, '≥ 0.9', verdict(ratio === undefined ? undefined : ratio >= 0.9)],
    ['v2 create req/s with e-mail + push on ÷ both off (API instance, workers off)', apiRatio === undefined ? '–' : `${n(apiRatio, 2)} (${n(d.apiOnlyCreateWithDelivery?.requestsPerSecond)} vs ${n(d.apiOnlyCreateWithout?.requestsPerSecond)} req/s; p99 ${n(d.apiOnlyCreateWithDelivery?.p99)} vs ${n(d.apiOnlyCreateWithout?.p99)} ms)`, '≥ 0.9', verdict(apiRatio === undefined ? undefined : apiRatio >= 0.9)],
  ];
  return [
    `### Delivery`,
    ``,
    `Small database, the app with its in-process workers (WORKER_CONCURRENCY default) and SMTP_URL pointing at a sink in the harness; drains start from a queue filled with workers off. Create ratios (workers running in the same process, then an API instance with workers off) at ${config.connections} connections, ${config.durationSeconds} s per side, off and on in 3 rounds (order flipped each round) with pending deliveries cancelled before each measurement.`,
    ``,
    `| Measure | Measured | Target | Verdict |`,
    `|---|---|---|---|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    ...d.notes.map((note) => `\n- ${note}`),
  ].join('\n');
}

const SKELETON = `# Performance

How fast the service is, how it is measured, and against what.

<!-- delivery:begin — hand-written delivery notes; npm run bench does not overwrite this section. -->
## Delivery: notes

Not measured yet.
<!-- delivery:end -->
`;

export function writePerformanceDoc(path: string, report: string): void {
  writeDocs(path, report, SKELETON);
}
