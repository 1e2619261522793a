import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { DirectoryAdminService } from '../src/admin/directory-admin.service';
import { AuditService } from '../src/audit/audit.service';
import { ApiTokensRepository } from '../src/auth/api-tokens.repository';
import { PreparedStatements } from '../src/database/prepared-statements';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The admin lists' plans on tables big enough for the planner to choose like production: each page is a
 * walk of the index in the list's order (docs/operating.md), never a sequential scan and a sort. On a
 * PostgreSQL server only, as test/query-plans.e2e-spec.ts.
 */
const describeWithServer = process.env.DATABASE_URL ? describe : describe.skip;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

describeWithServer('admin list plans at volume', () => {
  let app: TestApp;
  let pool: Pool;

  /** The statement (text and parameters) that `run` sends first, captured on its way to the database. */
  async function statementOf(run: () => Promise<unknown>): Promise<[string, unknown[]]> {
    const calls: Array<[string, unknown[]]> = [];
    const dataSource = app.running.app.get(DataSource);
    const statements = app.running.app.get(PreparedStatements);
    const spies = [
      jest.spyOn(dataSource, 'query').mockImplementation(async (sql: string, params?: unknown) => (calls.push([sql, (params as unknown[] | undefined) ?? []]), [])),
      jest.spyOn(statements, 'query').mockImplementation(async (sql: string, params: unknown[]) => (calls.push([sql, params]), [])),
    ];
    try {
      await run();
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    return calls[0];
  }

  async function planOf(run: () => Promise<unknown>): Promise<{ indexes: string[]; seqScans: string[]; sorts: number }> {
    const [sql, params] = await statementOf(run);
    const { rows } = await pool.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    const steps = nodes(rows[0]['QUERY PLAN'][0].Plan as PlanNode);
    return {
      indexes: steps.flatMap((n) => (n['Index Name'] ? [n['Index Name']] : [])),
      seqScans: steps.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'] as string),
      sorts: steps.filter((n) => n['Node Type'] === 'Sort').length,
    };
  }

  beforeAll(async () => {
    app = await startTestApp({ WORKERS_ENABLED: 'false' });
    pool = new Pool({ connectionString: app.databaseUrl, max: 1, options: '-c jit=off -c max_parallel_workers_per_gather=0' });
    await pool.query(`INSERT INTO accounts (type, name) SELECT CASE WHEN g % 2 = 0 THEN 'partner' ELSE 'provider' END, 'Account ' || g FROM generate_series(1, 20000) g`);
    await pool.query(`INSERT INTO users (id, email, name) SELECT gen_random_uuid(), 'user' || g || '@example.com', 'User ' || g FROM generate_series(1, 20000) g`);
    await pool.query(`INSERT INTO api_tokens (token_hash, account_id) SELECT sha256(g::text::bytea), 1 + g % 20000 FROM generate_series(1, 40000) g`);
    await pool.query(
      `INSERT INTO webhooks (account_id, is_default, events, transport, url, secret)
       SELECT id, true, ARRAY['message.created'], 'http', 'https://receiver.example.com/' || id, 'query-plan-secret-0123' FROM accounts WHERE id % 10 = 0`,
    );
    await pool.query(`INSERT INTO audit_log (actor, action, target) SELECT 'cli', 'accounts:update', 'account:' || (1 + g % 20000) FROM generate_series(1, 100000) g`);
    await pool.query('VACUUM ANALYZE');
  });

  afterAll(async () => {
    await pool?.end();
    await app?.close();
  });

  it('pages accounts on the primary key, filtered by type and status on the way, each with its default webhook by index', async () => {
    const admin = () => app.running.app.get(DirectoryAdminService);
    for (const query of [{}, { type: 'partner' }, { status: 'active' }, { cursor: Buffer.from('[10000]').toString('base64url') }] as const) {
      const plan = await planOf(() => admin().listAccounts({ limit: 100, ...query } as never));
      expect(plan).toEqual({ indexes: expect.arrayContaining(['accounts_pkey']), seqScans: [], sorts: 0 });
    }
  });

  it('pages users on (lower(email), id)', async () => {
    const plan = await planOf(() => app.running.app.get(DirectoryAdminService).listUsers({ limit: 100 }));
    expect(plan).toEqual({ indexes: ['ix_users_lower_email'], seqScans: [], sorts: 0 });
  });

  it("reads one owner's tokens through the owner index", async () => {
    const plan = await planOf(() => app.running.app.get(ApiTokensRepository).listByOwner({ accountId: 7 }, { limit: 101 }));
    expect(plan.indexes).toEqual(['ix_api_tokens_account_id']);
    expect(plan.seqScans).toEqual([]);
  });

  it('reads the audit of one target on (target, id), newest first, and the whole log on the primary key', async () => {
    const audit = app.running.app.get(AuditService);
    // A target has few entries: the planner may sort them after the index probe, which costs nothing.
    expect(await planOf(() => audit.list({ target: 'account:7' }, { limit: 100 }))).toMatchObject({ indexes: ['ix_audit_log_target_id'], seqScans: [] });
    expect(await planOf(() => audit.list({}, { limit: 100 }))).toEqual({ indexes: ['PK_audit_log_id'], seqScans: [], sorts: 0 });
  });
});
