import { Pool } from 'pg';
import { benchIds, seedDirectory } from '../bench/lib/fixtures';
import * as v3 from '../bench/scenarios/case-messages';
import * as v2 from '../bench/scenarios/user-messages';
import { PreparedStatements } from '../src/database/prepared-statements';
import { FAN_OUT_WEBHOOK_EVENTS } from '../src/delivery/delivery-outbox.sql';
import { parseFilter } from '../src/user-messages/filter/filter-parser';
import { PageRequest } from '../src/user-messages/paging';
import { UserMessagesRepository } from '../src/user-messages/user-messages.repository';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The hot statements' plans on a database big enough for the planner to choose like production: every
 * one must be an index range scan on the index it was designed for, never a sequential scan and (for
 * the feed) never the primary key walked with a filter. The data is the benchmark's own seed, smaller.
 * On a PostgreSQL server only: the embedded PGlite is another major version with its own planner, and
 * production runs on a server.
 */
const describeWithServer = process.env.DATABASE_URL ? describe : describe.skip;

const CASES = 2_000;
const CASE_MESSAGES = 100_000;
const USER_MESSAGES = 50_000;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Filter?: string;
  'Conflict Arbiter Indexes'?: string[];
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

describeWithServer('query plans at volume', () => {
  let app: TestApp;
  let pool: Pool;
  let heavyUserId: string;

  /**
   * Every node of the statement's plan, with the session settings the app uses. The app runs these
   * statements prepared (src/database/prepared-statements.ts), and PostgreSQL may then switch to a generic
   * plan, made without the parameters' values: that plan must use the same indexes and no sequential scan.
   */
  async function plan(sql: string, params: unknown[], { prepared = true } = {}): Promise<PlanNode[]> {
    const { rows } = await pool.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    const custom = nodes(rows[0]['QUERY PLAN'][0].Plan as PlanNode);
    if (prepared) {
      const generic = await genericPlan(sql, params);
      expect({ indexes: indexes(generic), seqScans: seqScans(generic) }).toEqual({ indexes: indexes(custom), seqScans: [] });
    }
    return custom;
  }

  async function genericPlan(sql: string, params: unknown[]): Promise<PlanNode[]> {
    const client = await pool.connect();
    const literal = (value: unknown) =>
      value === null ? 'NULL' : Array.isArray(value) ? `'{${value.join(',')}}'` : typeof value === 'string' ? client.escapeLiteral(value) : String(value);
    try {
      await client.query('SET plan_cache_mode = force_generic_plan');
      await client.query(`PREPARE generic_plan AS ${sql}`);
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE generic_plan(${params.map(literal).join(', ')})`);
      return nodes(rows[0]['QUERY PLAN'][0].Plan as PlanNode);
    } finally {
      await client.query('DEALLOCATE ALL; RESET plan_cache_mode');
      client.release();
    }
  }
  const indexes = (plan: PlanNode[]) => plan.flatMap((node) => (node['Index Name'] ? [node['Index Name']] : []));
  const seqScans = (plan: PlanNode[]) => plan.filter((node) => node['Node Type'] === 'Seq Scan').map((node) => node['Relation Name']);

  beforeAll(async () => {
    app = await startTestApp();
    pool = new Pool({ connectionString: app.databaseUrl, max: 1, options: '-c jit=off -c max_parallel_workers_per_gather=0' });
    await seedDirectory(pool, { cases: CASES, users: 10_000 });
    await pool.query(v3.seedCaseMessagesSql(CASE_MESSAGES, CASES));
    await pool.query(v2.seedUserMessagesSql(USER_MESSAGES));
    await pool.query(v2.seedHeavySenderSql(USER_MESSAGES));
    // 50 webhook subscriptions per account, mostly to other events than message.confirmed, so the confirm
    // statement must find the sender's through the account index rather than read them all.
    await pool.query(
      `INSERT INTO webhooks (account_id, events, transport, url, secret)
       SELECT a.id, CASE WHEN g = 1 THEN ARRAY['message.confirmed'] ELSE ARRAY['message.created'] END, 'http', 'https://receiver.example.com/' || g, 'query-plan-secret-0123'
         FROM accounts a CROSS JOIN generate_series(1, 50) g`,
    );
    await pool.query('VACUUM ANALYZE');
    heavyUserId = (await benchIds(pool)).heavyUserId;
  });

  afterAll(async () => {
    await pool?.end();
    await app?.close();
  });

  it.each([
    ['partner', false, ['ix_case_messages_partner_feed', 'pk_case_message_confirmations']],
    ['partner', true, ['pk_case_message_unconfirmed', 'case_messages_pkey']],
    ['provider', false, ['ix_case_messages_provider_feed', 'pk_case_message_confirmations']],
    ['provider', true, ['pk_case_message_unconfirmed', 'case_messages_pkey']],
  ] as const)('v3 feed of a %s (unconfirmed only: %s) is a range scan on %s', async (side, unconfirmed, expected) => {
    const account = side === 'partner' ? 3 : 23;
    for (const afterId of [0, CASE_MESSAGES / 2, CASE_MESSAGES - 500]) {
      const steps = await plan(v3.feedSql(side, unconfirmed), [account, afterId, 100]);
      expect([...new Set(indexes(steps))].sort()).toEqual([...expected].sort());
      expect(seqScans(steps)).toEqual([]);
    }
  });

  it.each([false, true])('v3 list reads one case through (case_id, id) and each confirmation by primary key (unconfirmed only: %s)', async (unconfirmed) => {
    const kase = (await pool.query(`SELECT id, guid, partner_account_id AS partner FROM cases WHERE id = 7`)).rows[0];
    const steps = await plan(v3.listSql, [kase.guid, kase.partner, 0, unconfirmed, null]);
    expect(indexes(steps)).toEqual(expect.arrayContaining(['ix_case_messages_case_id_id', 'pk_case_message_confirmations']));
    expect(seqScans(steps)).toEqual([]);
  });

  it('v3 confirm looks each id up by primary key, appends the confirmations through theirs, and finds the subscribed senders by account', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => 1_000 + i * 37);
    const steps = await plan(v3.confirmSql, [ids, 3, 'partner']);
    expect(indexes(steps)).toContain('case_messages_pkey');
    // The first confirmation of a message wins on the confirmations' primary key; no message row is written.
    expect(steps.flatMap((node) => node['Conflict Arbiter Indexes'] ?? [])).toEqual(['pk_case_message_confirmations']);
    expect(steps.filter((node) => node['Node Type'] === 'ModifyTable').map((node) => node['Relation Name']).sort()).toEqual(['case_message_confirmations', 'case_message_unconfirmed', 'webhook_events']);
    expect(indexes(steps)).toContain('ix_webhooks_account_id');
    // Leaving the unconfirmed queue: one primary-key probe per (account, message) pair.
    expect(indexes(steps)).toContain('pk_case_message_unconfirmed');
    expect(seqScans(steps)).toEqual([]);
  });

  it('the webhook fan-out takes the oldest events by primary key, never scanning the waiting ones', async () => {
    await pool.query(
      `INSERT INTO webhook_events (event, message_ids, account_ids)
       SELECT 'message.confirmed', ARRAY[g::text, (g + 1)::text], ARRAY[1 + g % 40, 1 + (g + 1) % 40] FROM generate_series(1, 10000) g`,
    );
    await pool.query('ANALYZE webhook_events');
    try {
      // No parameters, so the plan a prepared statement gets is this one.
      const steps = await plan(FAN_OUT_WEBHOOK_EVENTS, [], { prepared: false });
      expect(indexes(steps)).toContain('webhook_events_pkey');
      // Never a scan of the waiting events, however many pile up while no worker runs. The 2,000 webhooks and
      // 40 accounts here are few enough that hashing them is the planner's cheaper choice over a probe per pair.
      expect(seqScans(steps).filter((relation) => relation !== 'webhooks' && relation !== 'accounts')).toEqual([]);
    } finally {
      await pool.query('DELETE FROM webhook_events');
    }
  });

  it('v2 inbox first page walks the user\'s inbox index', async () => {
    const steps = await plan(v2.inboxFirstPageSql, [heavyUserId, 101]);
    expect(indexes(steps)).toContain('ix_user_message_recipients_inbox');
    expect(seqScans(steps)).toEqual([]);
  });

  // Sent: one range over the sender index, each row's flags from the recipients' unread index (no walk of a
  // group's members). Group-sent: the partial index holds only messages to groups, so no row is read and dropped.
  it.each([
    ['sent', 'ix_user_messages_sender_timestamp', v2.sentFirstPageSql],
    ['group-sent', 'ix_user_messages_sender_group', v2.groupSentFirstPageSql],
  ])('v2 %s first page walks %s in its order', async (_name, index, sql) => {
    const steps = await plan(sql, [heavyUserId, 101]);
    expect(indexes(steps)).toContain(index);
    expect(seqScans(steps)).toEqual([]);
    expect(steps.filter((node) => node['Node Type'] === 'Sort')).toEqual([]);
  });

  it('v2 unread count reads only the user\'s unread index entries', async () => {
    const steps = await plan(v2.unreadCountSql, [heavyUserId]);
    expect(indexes(steps)).toEqual(['ix_user_message_recipients_user_unread']);
    expect(seqScans(steps)).toEqual([]);
  });

  it('v2 filter unread=true&source=… merges the received and the sent messages lazily, each by its own index', async () => {
    // The filter's SQL varies with its clauses: the app sends it unprepared, planned with its values each time.
    const steps = await plan(v2.filterUnreadSourceSql, [heavyUserId, 'Import Service', 'Import Service', 101], { prepared: false });
    expect(indexes(steps)).toEqual(expect.arrayContaining(['ix_user_message_recipients_inbox', 'ix_user_messages_sender_source']));
    expect(seqScans(steps)).toEqual([]);
    // A Sort would read both branches' whole limit before the first row; the merge reads what the page needs.
    expect(steps.map((node) => node['Node Type'])).toContain('Merge Append');
    expect(steps.filter((node) => node['Node Type'] === 'Sort')).toEqual([]);
  });

  /** The filter's SQL and parameters as the repository builds them. */
  async function filterStatement(filter: string, page: PageRequest): Promise<{ sql: string; params: unknown[] }> {
    let captured: { sql: string; params: unknown[] } | undefined;
    const record = async (sql: string, params: unknown[]) => ((captured = { sql, params }), []);
    const repository = new UserMessagesRepository({ query: record, queryDynamic: record } as unknown as PreparedStatements);
    await repository.search(heavyUserId, parseFilter(filter), page);
    if (!captured) throw new Error('no statement');
    return captured;
  }

  it.each([
    ['a later page of unread=true&source=…', 'unread=true&source=Import Service', true, 'ix_user_messages_sender_source'],
    ['severity >= Warning', 'severity>=Warning', false, 'ix_user_messages_sender_timestamp'],
    ['timestamp range', 'timestamp>=2020-01-01&timestamp<2100-01-01', false, 'ix_user_messages_sender_timestamp'],
  ])('v2 filter %s walks the received and the sent messages by their indexes, no sequential scan', async (_name, filter, laterPage, senderIndex) => {
    const page: PageRequest = { limit: 100, after: laterPage ? { timestamp: new Date().toISOString(), id: 'ffffffff-ffff-4fff-bfff-ffffffffffff' } : undefined };
    const { sql, params } = await filterStatement(filter, page);
    const steps = await plan(sql, params, { prepared: false });
    expect(indexes(steps)).toEqual(expect.arrayContaining(['ix_user_message_recipients_inbox', senderIndex]));
    expect(seqScans(steps)).toEqual([]);
  });

  // A source the heavy user received but never sent: the sent branch finds none through (sender_id, source, …)
  // instead of reading all its sent messages; the received branch tests source on its inbox index entries
  // (an Index Only Scan), before any message is joined.
  it('v2 filter source=… reads the sent messages of that source by (sender_id, source) and tests the received ones on the inbox index', async () => {
    for (const filter of ['source=Issue Service', 'unread=true&source=Issue Service']) {
      const { sql, params } = await filterStatement(filter, { limit: 100 });
      const steps = await plan(sql, params, { prepared: false });
      expect(indexes(steps)).toEqual(expect.arrayContaining(['ix_user_message_recipients_inbox', 'ix_user_messages_sender_source']));
      expect(indexes(steps)).not.toContain('ix_user_messages_sender_timestamp');
      const inboxScan = steps.find((node) => node['Index Name'] === 'ix_user_message_recipients_inbox');
      expect(inboxScan?.['Node Type']).toBe('Index Only Scan');
      expect(inboxScan?.Filter).toMatch(/\bsource\b.*'Issue Service'/);
      expect(seqScans(steps)).toEqual([]);
    }
  });

  // A selective correlationId matches a handful of messages: found through their own index, not by walking a
  // big inbox or scanning user_messages. (A selective topic or returnCode has no such index yet; see
  // docs/user-messages.md, "Known limit".)
  it('v2 filter correlationId of a user with a big inbox goes through the correlation index', async () => {
    const { sql, params } = await filterStatement('correlationId=00000000-0000-4000-8000-000000000001', { limit: 100 });
    const steps = await plan(sql, params, { prepared: false });
    expect(indexes(steps)).toContain('ix_user_messages_correlation_id');
    expect(seqScans(steps)).toEqual([]);
  });
});
