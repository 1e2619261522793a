import { Pool } from 'pg';
import { PARTNER_ACCOUNTS } from '../lib/fixtures';
import { caseGuid, Cycler, shuffled } from '../lib/ids';
import { Workload } from '../lib/load';
import { EndpointBench, Suite, SuiteContext, Target } from '../lib/suite';
import * as scenario from '../scenarios/case-messages';

const BASE = '/api/v3/case-messages';
const TYPES = ['serviceComment', 'customerCenterReply', 'statusRequest', 'spareParts', 'reminder', 'costProposal', 'shipment', 'forwarding'];
const CONFIRM_BATCH = 100;
const FEED_LIMIT = 100;
const JSON_HEADERS = { 'content-type': 'application/json' };

/** The seed's own style: the token in the accessToken query parameter. */
const withToken = (path: string, token: string) => `${path}${path.includes('?') ? '&' : '?'}accessToken=${token}`;

function listWorkload(ctx: SuiteContext): Workload {
  const path = withToken(`${BASE}?guid=${ctx.ids.listCaseGuid}`, ctx.tokens.partner);
  return { method: 'GET', headers: {}, next: () => ({ path }) };
}

/**
 * The bench partner posts on its own cases: with the fixtures' mapping those are 1, 2, 41, 42, 81, …; it uses
 * 2, 42, 82, … so the list target (case 1) keeps its 50 messages.
 */
function createWorkload(ctx: SuiteContext, target: Target): Workload {
  const partnerCases = Math.max(1, Math.floor(ctx.cases / (2 * PARTNER_ACCOUNTS)));
  let n = 0;
  const runId = Date.now().toString(36);
  return {
    method: 'POST',
    headers: JSON_HEADERS,
    next: () => {
      n++;
      const g = 2 + 2 * PARTNER_ACCOUNTS * (n % partnerCases);
      const body = {
        guid: caseGuid(g),
        content: `Benchmark message ${n}: the technician will arrive on Tuesday between 8 and 12.`,
        type: TYPES[n % TYPES.length],
        externalId: `bench-${target}-${runId}-${n}`,
        userEmail: 'dispatcher@bench.example',
        userName: 'Bench Dispatcher',
      };
      return { path: withToken(`${BASE}/create`, ctx.tokens.partner), body: JSON.stringify(body) };
    },
  };
}

/**
 * Every account reads its own feed from a random point, so pages come from the whole table. The point is
 * drawn below the account's 100th-newest feed row, so every page is full at both database sizes: with a
 * point anywhere in the id range, a third of the 10,000-row pages held fewer than 100 rows (each account's
 * feed is ~1/38 of the rows) and the scale check compared ~85-row pages with 100-row ones.
 */
function feedWorkload(cutoffs: FeedCutoff[]): Workload {
  let n = 0;
  return {
    method: 'GET',
    headers: {},
    next: () => {
      n++;
      const { token, cutoff } = cutoffs[n % cutoffs.length];
      const afterId = Math.floor((((n * 7919) % 1000) / 1000) * cutoff);
      return { path: withToken(`${BASE}/feed?afterId=${afterId}&limit=${FEED_LIMIT}`, token) };
    },
  };
}

interface FeedCutoff {
  token: string;
  /** The id of the account's FEED_LIMIT-th newest feed row: any afterId below it gives a full page. */
  cutoff: number;
}

/** Per account, with the feed's own predicate (so each probe walks the feed's partial index backwards). */
async function feedCutoffs(ctx: SuiteContext): Promise<FeedCutoff[]> {
  const probe = (side: string) => `
    SELECT a.id AS account, (SELECT m.id FROM case_messages m
                              WHERE m.${side}_account_id = a.id AND m.sender_type IS DISTINCT FROM '${side}'
                              ORDER BY m.id DESC OFFSET ${FEED_LIMIT - 1} LIMIT 1) AS cutoff
      FROM accounts a WHERE a.type = '${side}'`;
  const { rows } = await ctx.pool.query<{ account: number; cutoff: number | null }>(`${probe('partner')} UNION ALL ${probe('provider')}`);
  const cutoffs: FeedCutoff[] = [];
  for (const row of rows) {
    const token = ctx.tokens.accounts.get(row.account);
    if (token && row.cutoff !== null) cutoffs.push({ token, cutoff: row.cutoff });
  }
  if (cutoffs.length === 0) throw new Error(`no account has ${FEED_LIMIT} feed rows`);
  return cutoffs;
}

interface ConfirmBatch {
  token: string;
  body: string;
}

/**
 * Batches of 100 unconfirmed messages that one account may confirm (the other side sent them), in feed
 * order as a back office would confirm a page it just read. App and floor take alternate batches, so
 * neither confirms what the other already did.
 */
async function confirmBatches(ctx: SuiteContext): Promise<ConfirmBatch[][]> {
  const { rows } = await ctx.pool.query<{ account: number; ids: number[] }>(`
    SELECT receiver AS account, array_agg(id ORDER BY id) AS ids FROM (
      SELECT id, CASE WHEN sender_type = 'partner' THEN provider_account_id ELSE partner_account_id END AS receiver
        FROM case_messages WHERE confirmed_at IS NULL
    ) r GROUP BY receiver`);
  const batches: ConfirmBatch[] = [];
  for (const row of rows) {
    const token = ctx.tokens.accounts.get(row.account);
    if (!token) continue;
    for (let i = 0; i + CONFIRM_BATCH <= row.ids.length; i += CONFIRM_BATCH) {
      batches.push({ token, body: JSON.stringify(row.ids.slice(i, i + CONFIRM_BATCH)) });
    }
  }
  const mixed = shuffled(batches);
  return [mixed.filter((_, i) => i % 2 === 0), mixed.filter((_, i) => i % 2 === 1)];
}

function confirmWorkload(batches: ConfirmBatch[]): Workload {
  const cycler = new Cycler(batches);
  return {
    method: 'POST',
    headers: JSON_HEADERS,
    next: () => {
      const batch = cycler.next();
      return { path: withToken(`${BASE}/confirm`, batch.token), body: batch.body };
    },
    note: () => (cycler.wraps > 0 ? `ran out of unconfirmed batches ${cycler.wraps}× (later batches re-confirm)` : undefined),
  };
}

let confirmPools: ConfirmBatch[][] | undefined;
let confirmPoolsFor: Pool | undefined;

const endpoints: EndpointBench[] = [
  { api: 'v3', key: 'v3-list', label: 'list a 50-message case', floor: true, scale: true, writes: false, workload: async (ctx) => listWorkload(ctx) },
  {
    api: 'v3',
    key: 'v3-feed',
    label: 'feed page of 100',
    floor: true,
    scale: true,
    writes: false,
    workload: async (ctx) => feedWorkload(await feedCutoffs(ctx)),
  },
  { api: 'v3', key: 'v3-create', label: 'create', floor: true, scale: false, writes: true, workload: async (ctx, target) => createWorkload(ctx, target) },
  {
    api: 'v3',
    key: 'v3-confirm',
    label: 'confirm a batch of 100',
    floor: true,
    scale: false,
    writes: true,
    workload: async (ctx, target) => {
      if (!confirmPools || confirmPoolsFor !== ctx.pool) {
        confirmPools = await confirmBatches(ctx);
        confirmPoolsFor = ctx.pool;
      }
      return confirmWorkload(confirmPools[target === 'app' ? 0 : 1]);
    },
  },
];

export const caseMessagesSuite: Suite = {
  api: 'v3',
  seed: async (pool, rows, cases) => {
    await pool.query(scenario.seedCaseMessagesSql(rows, cases));
  },
  endpoints,
};
