import { Pool } from 'pg';
import { PARTNER_ACCOUNTS, PROVIDER_ACCOUNTS } from '../lib/fixtures';
import { caseGuid, shuffled } from '../lib/ids';
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

function listWorkload(ctx: SuiteContext, headers: Record<string, string> = {}): Workload {
  const path = withToken(`${BASE}?guid=${ctx.ids.listCaseGuid}`, ctx.tokens.partner);
  return { method: 'GET', headers, next: () => ({ path }) };
}

/**
 * The bench partner posts on its own cases: with the fixtures' mapping those are 1, 2, 41, 42, 81, …; it uses
 * 2, 42, 82, … so the list target (case 1) keeps its 50 messages. Those cases go to the 20 providers in turn;
 * `oneProvider` keeps to the ones of the first provider (2, 802, 1602, …): one busy receiving account.
 */
export function createWorkload(ctx: SuiteContext, target: Target | 'webhooks-on' | 'webhooks-off' | 'spread' | 'hot', oneProvider = false): Workload {
  const stride = 2 * PARTNER_ACCOUNTS * (oneProvider ? PROVIDER_ACCOUNTS : 1);
  const partnerCases = Math.max(1, Math.floor(ctx.cases / stride));
  let n = 0;
  const runId = Date.now().toString(36);
  return {
    method: 'POST',
    headers: JSON_HEADERS,
    next: () => {
      n++;
      const g = 2 + stride * (n % partnerCases);
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
  ids: number[];
  body: string;
}

/**
 * Batches of 100 unconfirmed messages that one account may confirm (the other side sent them), in feed
 * order as a back office would confirm a page it just read; the batches of all accounts shuffled.
 */
async function confirmBatches(ctx: SuiteContext): Promise<ConfirmBatch[]> {
  const { rows } = await ctx.pool.query<{ account: number; ids: number[] }>(`
    SELECT receiver AS account, array_agg(id ORDER BY id) AS ids FROM (
      SELECT id, CASE WHEN sender_type = 'partner' THEN provider_account_id ELSE partner_account_id END AS receiver
        FROM case_messages m WHERE NOT EXISTS (SELECT 1 FROM case_message_confirmations k WHERE k.message_id = m.id)
    ) r GROUP BY receiver`);
  const batches: ConfirmBatch[] = [];
  for (const row of rows) {
    const token = ctx.tokens.accounts.get(row.account);
    if (!token) continue;
    for (let i = 0; i + CONFIRM_BATCH <= row.ids.length; i += CONFIRM_BATCH) {
      const ids = row.ids.slice(i, i + CONFIRM_BATCH);
      batches.push({ token, ids, body: JSON.stringify(ids) });
    }
  }
  return shuffled(batches);
}

/**
 * Back to the seeded state: unconfirmed, in the receiving side's queue. Then VACUUM, so the next round does not
 * pay for the dead tuples this leaves.
 */
const UNCONFIRM_SQL = `
WITH reset AS (
  DELETE FROM case_message_confirmations k USING case_messages m
   WHERE k.message_id = ANY($1::int[]) AND m.id = k.message_id
  RETURNING m.id, m.partner_account_id, m.provider_account_id, m.sender_type
)
INSERT INTO case_message_unconfirmed (account_id, message_id)
SELECT s.account_id, r.id
  FROM reset r CROSS JOIN LATERAL (VALUES (r.partner_account_id, 'partner'), (r.provider_account_id, 'provider')) AS s(account_id, side)
 WHERE r.sender_type IS DISTINCT FROM s.side
ON CONFLICT DO NOTHING`;

/**
 * Every measured confirm confirms 100 unconfirmed messages: before each round (app's and floor's alike, outside
 * the measured time) the batches earlier rounds confirmed are made unconfirmed again, and both sides confirm the
 * same batches in the same order. Without this a 10 s run needed ~14,000 batches per side at ~1,000 req/s and the
 * 1,000,000-row seed holds ~9,000 in all: most requests re-confirmed confirmed messages, which updates no row and
 * flushes no WAL, so earlier runs' confirm figures were flattered.
 */
class ConfirmRounds {
  /** Batches [0, dirty) may have been confirmed since the last reset. */
  private dirty = 0;

  constructor(
    private readonly pool: Pool,
    private readonly batches: ConfirmBatch[],
  ) {}

  workload(): Workload {
    let handedOut = 0;
    let repeats = 0;
    return {
      method: 'POST',
      headers: JSON_HEADERS,
      next: () => {
        if (handedOut >= this.batches.length) repeats++;
        const batch = this.batches[handedOut++ % this.batches.length];
        this.dirty = Math.max(this.dirty, Math.min(handedOut, this.batches.length));
        return { path: withToken(`${BASE}/confirm`, batch.token), body: batch.body };
      },
      beforeRound: async () => {
        handedOut = 0;
        await this.reset();
      },
      note: () => (repeats > 0 ? `${repeats} requests outran the ${this.batches.length} batches and re-confirmed` : undefined),
    };
  }

  private async reset(): Promise<void> {
    if (this.dirty === 0) return;
    const ids = this.batches.slice(0, this.dirty).flatMap((b) => b.ids);
    this.dirty = 0;
    await this.pool.query(UNCONFIRM_SQL, [ids]);
    await this.pool.query('VACUUM (ANALYZE) case_message_confirmations, case_message_unconfirmed');
  }
}

let confirmRounds: ConfirmRounds | undefined;
let confirmRoundsFor: Pool | undefined;

const endpoints: EndpointBench[] = [
  { api: 'v3', key: 'v3-list', label: 'list a 50-message case', floor: true, scale: true, writes: false, wireBytes: true, workload: async (ctx) => listWorkload(ctx) },
  {
    api: 'v3',
    key: 'v3-list-gzip',
    label: 'list a 50-message case, Accept-Encoding: gzip',
    // The floor does not compress: this row sets the app's compressed answer beside its plain one above.
    floor: false,
    scale: false,
    writes: false,
    wireBytes: true,
    workload: async (ctx) => listWorkload(ctx, { 'accept-encoding': 'gzip' }),
  },
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
    workload: async (ctx) => {
      if (!confirmRounds || confirmRoundsFor !== ctx.pool) {
        confirmRounds = new ConfirmRounds(ctx.pool, await confirmBatches(ctx));
        confirmRoundsFor = ctx.pool;
      }
      return confirmRounds.workload();
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
