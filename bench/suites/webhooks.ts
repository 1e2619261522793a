import { Pool } from 'pg';
import { WebhookEvent } from '../../src/delivery/delivery.enums';
import { ChildServer } from '../lib/children';
import { BenchConfig } from '../lib/config';
import { PARTNER_ACCOUNTS, PROVIDER_ACCOUNTS } from '../lib/fixtures';
import { alternate, LoadResult, Side, Workload } from '../lib/load';
import { log } from '../lib/prepare';
import { SuiteContext } from '../lib/suite';
import { caseMessagesSuite, createWorkload } from './case-messages';

/** The local broker (see docs/performance.md); the delivery suite's AMQP drain publishes to it. */
export const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672/';
const SECRET = 'bench-webhook-secret-0123456789';
const ROUNDS = 3;

/** Where a webhook sends: an HTTP URL, or a broker URL and the queue the default exchange routes to. */
export interface WebhookTarget {
  transport: 'http' | 'amqp';
  url: string;
  routingKey?: string;
}

/**
 * What subscriptions cost the v3 write path: with workers off nothing is sent, so the HTTP URL is never
 * called and the broker never contacted; each subscription is one more delivery row per event.
 */
const WRITE_PATH_TARGETS: WebhookTarget[] = [
  { transport: 'http', url: 'http://127.0.0.1:9/hook' },
  { transport: 'amqp', url: AMQP_URL, routingKey: 'bench-webhooks' },
];

/** v3 create and confirm with subscriptions and without, on one API instance with workers off. */
export interface WebhookCostResult {
  createWithout?: LoadResult;
  createWith?: LoadResult;
  confirmWithout?: LoadResult;
  confirmWith?: LoadResult;
  notes: string[];
}

export const allAccounts = (): number[] => Array.from({ length: PARTNER_ACCOUNTS + PROVIDER_ACCOUNTS }, (_, i) => i + 1);
export const providerAccounts = (): number[] => allAccounts().slice(PARTNER_ACCOUNTS);

/** One webhook per account and target, subscribed to `event`, as the webhooks table stores them. */
export async function subscribe(pool: Pool, accounts: number[], event: WebhookEvent, targets: WebhookTarget[]): Promise<void> {
  const rows = accounts.flatMap((account) => targets.map((target) => ({ account, ...target })));
  await pool.query(
    `INSERT INTO webhooks (account_id, events, transport, url, secret, routing_key)
     SELECT a, ARRAY[$5]::varchar(32)[], t, u, $6, r FROM unnest($1::int[], $2::varchar[], $3::varchar[], $4::varchar[]) AS w(a, t, u, r)`,
    [rows.map((r) => r.account), rows.map((r) => r.transport), rows.map((r) => r.url), rows.map((r) => r.routingKey ?? null), event, SECRET],
  );
}

/**
 * Each measurement starts from the same state: no webhook events or deliveries queued (the "with" side queues
 * one event row per statement, and with workers off they would pile up from round to round), then `event`
 * subscribed on every account or nothing, then VACUUM so no side pays for the other's dead rows. By kind, not
 * webhook_id: deleting the webhooks sets webhook_id NULL on rows committed after the first DELETE.
 */
async function setSubscriptions(pool: Pool, event?: WebhookEvent): Promise<void> {
  await untilIdle(pool);
  await pool.query(`DELETE FROM webhook_events`);
  await pool.query(`DELETE FROM deliveries WHERE kind IN ('webhook', 'amqp')`);
  await pool.query(`DELETE FROM webhooks`);
  if (event) await subscribe(pool, allAccounts(), event, WRITE_PATH_TARGETS);
  await pool.query(`VACUUM (ANALYZE) webhook_events, deliveries, webhooks`);
}

/**
 * autocannon stops without waiting for the requests in flight: up to one per connection still runs (a "with"
 * confirm queues an event row) and would overlap the next side and commit after its cleanup. 5 s at most.
 */
async function untilIdle(pool: Pool): Promise<void> {
  const deadline = performance.now() + 5_000;
  while (performance.now() < deadline) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')`,
    );
    if (rows[0].n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A v3 endpoint's own workload, as the throughput table measures it. */
export async function v3Workload(ctx: SuiteContext, key: string): Promise<Workload> {
  const bench = caseMessagesSuite.endpoints.find((e) => e.key === key);
  if (!bench) throw new Error(`${key} workload missing`);
  return bench.workload(ctx, 'app');
}

/**
 * Create (message.created on the receiving account) and confirm of 100 (message.confirmed on each sending
 * account), every account with one HTTP and one AMQP webhook, each against itself without webhooks in
 * alternating rounds. Both confirm sides share the suite's batches: every round confirms 100 unconfirmed
 * messages per request, in the same order (see ConfirmRounds).
 */
export async function measureWebhookCosts(ctx: SuiteContext, app: ChildServer, config: BenchConfig): Promise<WebhookCostResult> {
  const result: WebhookCostResult = { notes: [] };
  const options = { connections: config.connections, durationSeconds: config.durationSeconds, warmupSeconds: config.warmupSeconds, serverPid: app.process.pid };
  const side = (workload: Workload, event?: WebhookEvent): Side => ({ workload, before: () => setSubscriptions(ctx.pool, event) });
  const compare = async (label: string, without: Workload, withHooks: Workload, event: WebhookEvent) => {
    log(`  [webhooks] v3 ${label} without and with an HTTP and an AMQP webhook per account, ${ROUNDS} alternating rounds`);
    try {
      const measured = await alternate(app.baseUrl, side(without), side(withHooks, event), options, ROUNDS);
      log(`    without ${Math.round(measured[0].requestsPerSecond)} req/s, p99 ${measured[0].p99} ms | with ${Math.round(measured[1].requestsPerSecond)} req/s, p99 ${measured[1].p99} ms`);
      return measured;
    } catch (error) {
      result.notes.push(`v3 ${label} with webhooks not measured: ${(error as Error).message.split('\n')[0]}`);
      return [undefined, undefined];
    }
  };
  try {
    [result.createWithout, result.createWith] = await compare('create', createWorkload(ctx, 'webhooks-off'), createWorkload(ctx, 'webhooks-on'), WebhookEvent.MessageCreated);
    const confirm = () => v3Workload(ctx, 'v3-confirm');
    [result.confirmWithout, result.confirmWith] = await compare('confirm a batch of 100', await confirm(), await confirm(), WebhookEvent.MessageConfirmed);
  } finally {
    await setSubscriptions(ctx.pool);
  }
  return result;
}
