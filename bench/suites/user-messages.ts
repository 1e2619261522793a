import { BenchIds } from '../lib/fixtures';
import { Cycler, shuffled, userId } from '../lib/ids';
import { Workload } from '../lib/load';
import { GroupCreateResult } from '../lib/report';
import { EndpointBench, Suite, SuiteContext, Target } from '../lib/suite';
import * as scenario from '../scenarios/user-messages';

const GROUP_CREATES = 5;
const bimplus = (token: string) => ({ authorization: `BimPlus ${token}` });

/** The heavy user's own inbox through `me`, the first page (default limit 100). */
function inboxWorkload(ctx: SuiteContext): Workload {
  return { method: 'GET', headers: bimplus(ctx.tokens.heavyUser), next: () => ({ path: '/v2/user/me/messages' }) };
}

/** The heavy user's sent messages (to users and groups), or those to groups only, through `me`: the first page. */
function sentWorkload(ctx: SuiteContext, list: 'sent' | 'groupsent'): Workload {
  return { method: 'GET', headers: bimplus(ctx.tokens.heavyUser), next: () => ({ path: `/v2/user/me/messages/${list}` }) };
}

function countWorkload(ctx: SuiteContext): Workload {
  return { method: 'GET', headers: bimplus(ctx.tokens.heavyUser), next: () => ({ path: '/v2/user/me/messages/unreadcount' }) };
}

/** The seed's filter style: `unread=true&source=…` URL-encoded as one parameter, on the heavy user's most common source. */
async function filterWorkload(ctx: SuiteContext): Promise<Workload> {
  const source = await commonSource(ctx);
  const path = `/v2/messages?filter=${encodeURIComponent(`unread=true&source=${source}`)}`;
  return { method: 'GET', headers: bimplus(ctx.tokens.heavyUser), next: () => ({ path }) };
}

export async function commonSource(ctx: SuiteContext): Promise<string> {
  const { rows } = await ctx.pool.query<{ source: string }>(
    `SELECT m.source FROM user_message_recipients r JOIN user_messages m ON m.id = r.message_id
      WHERE r.user_id = $1 GROUP BY m.source ORDER BY count(*) DESC LIMIT 1`,
    [ctx.ids.heavyUserId],
  );
  if (!rows[0]) throw new Error('the heavy user has no messages: did the v2 seed run?');
  return rows[0].source;
}

let markIds: { pool: unknown; halves: string[][] } | undefined;

/**
 * The heavy user marks its own messages read, in random order; app and floor take alternate ids. All of
 * them are made unread first (earlier runs on a reused database left them read). Each side takes more
 * requests than it has messages, so passes alternate: read, then unread again, then read… and every
 * request flips the flag (marking a read message read again is a cheaper, HOT-only update).
 */
async function markWorkload(ctx: SuiteContext, target: Target): Promise<Workload> {
  if (!markIds || markIds.pool !== ctx.pool) {
    const { rows } = await ctx.pool.query<{ id: string }>(
      `UPDATE user_message_recipients SET unread_browser = true WHERE user_id = $1 RETURNING message_id::text AS id`,
      [ctx.ids.heavyUserId],
    );
    const ids = shuffled(rows.map((r) => r.id));
    markIds = { pool: ctx.pool, halves: [ids.filter((_, i) => i % 2 === 0), ids.filter((_, i) => i % 2 === 1)] };
  }
  const cycler = new Cycler(markIds.halves[target === 'app' ? 0 : 1]);
  return {
    method: 'POST',
    headers: bimplus(ctx.tokens.heavyUser),
    next: () => {
      const id = cycler.next();
      return { path: `/v2/messages/${id}/${cycler.wraps % 2 === 0 ? 'markasreadbrowser' : 'markasunreadbrowser'}` };
    },
    note: () => (cycler.wraps > 0 ? `${cycler.wraps + 1} passes over its ${markIds?.halves[0].length ?? 0} messages, read and unread in turn (every request flips the flag)` : undefined),
  };
}

/** A service posts to one user at a time, both unread flags at their default (true) unless `flags` says otherwise. */
export function createWorkload(ctx: SuiteContext, target: Target | 'delivery-on' | 'delivery-off', flags?: { unreadEmail: boolean; unreadBrowserNotification: boolean }): Workload {
  let n = 0;
  return {
    method: 'POST',
    headers: { ...bimplus(ctx.tokens.service), 'content-type': 'application/json' },
    next: () => {
      n++;
      const body = {
        receiver: { id: userId(2 + (n % 9_999)) },
        source: 'Bench Import Service',
        topic: `Import ${target} ${n} finished`,
        severity: n % 10 === 0 ? 'Warning' : 'Info',
        returnCode: 'OK',
        additionalData: '{"model":"bench.ifc","objects":1234}',
        ...flags,
      };
      return { path: '/v2/messages', body: JSON.stringify(body) };
    },
  };
}

/** Sequential creates to the 10,000-member group: the fan-out is one INSERT … SELECT in the create transaction. */
export async function measureGroupCreate(ctx: SuiteContext, baseUrl: string): Promise<GroupCreateResult> {
  const { rows } = await ctx.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM group_members WHERE group_id = $1`, [ctx.ids.groupId]);
  const millis: number[] = [];
  for (let i = 0; i < GROUP_CREATES; i++) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/v2/messages`, {
      method: 'POST',
      headers: { ...bimplus(ctx.tokens.service), 'content-type': 'application/json' },
      body: JSON.stringify(groupBody(ctx.ids, i)),
    });
    await response.arrayBuffer();
    if (response.status !== 201) throw new Error(`group create answered ${response.status}`);
    millis.push(performance.now() - started);
  }
  return { recipients: rows[0].n, millis };
}

function groupBody(ids: BenchIds, i: number) {
  return { receiver: { id: ids.groupId }, source: 'Bench Maintenance', topic: `Planned downtime ${i}`, severity: 'Warning', returnCode: 'MAINT' };
}

const endpoints: EndpointBench[] = [
  { api: 'v2', key: 'v2-inbox', label: 'inbox first page', floor: true, scale: true, writes: false, workload: async (ctx) => inboxWorkload(ctx) },
  { api: 'v2', key: 'v2-sent', label: 'sent first page', floor: true, scale: true, writes: false, workload: async (ctx) => sentWorkload(ctx, 'sent') },
  { api: 'v2', key: 'v2-groupsent', label: 'group-sent first page', floor: true, scale: true, writes: false, workload: async (ctx) => sentWorkload(ctx, 'groupsent') },
  { api: 'v2', key: 'v2-filter', label: 'filter unread=true&source=…', floor: true, scale: true, writes: false, workload: (ctx) => filterWorkload(ctx) },
  { api: 'v2', key: 'v2-count', label: 'unread count', floor: true, scale: true, writes: false, workload: async (ctx) => countWorkload(ctx) },
  { api: 'v2', key: 'v2-mark', label: 'mark as read (browser)', floor: true, scale: false, writes: true, workload: (ctx, target) => markWorkload(ctx, target) },
  { api: 'v2', key: 'v2-create', label: 'create to a single user', floor: true, scale: false, writes: true, workload: async (ctx, target) => createWorkload(ctx, target) },
];

export const userMessagesSuite: Suite = {
  api: 'v2',
  seed: async (pool, rows) => {
    await pool.query(scenario.seedUserMessagesSql(rows));
    await pool.query(scenario.seedHeavySenderSql(rows));
  },
  endpoints,
};
