import { Client } from 'pg';
import { AccountFixture, createAccount, createCase } from './factories';
import { startTestApp, TestApp } from './support/test-app';

const BASE = '/api/v3/case-messages';

// These races need real concurrent transactions. The embedded PGlite runs one transaction at a
// time (its socket server queues the others), so none can happen there, and a second
// connection holding a transaction open would block the app itself: these need DATABASE_URL.
const describeWithServer = process.env.DATABASE_URL ? describe : describe.skip;

describeWithServer('Case Messages API v3 under concurrency', () => {
  let app: TestApp;
  let partner: AccountFixture;
  let provider: AccountFixture;
  let kase: { id: number; guid: string };

  const create = async (account: AccountFixture, content: string): Promise<number> => {
    const res = await app.request('POST', `${BASE}/create?accessToken=${account.token}`, { body: { guid: kase.guid, type: 'serviceComment', content } });
    if (res.status !== 200) throw new Error(`create failed: ${res.status} ${res.text}`);
    return res.body.id;
  };
  const feedIds = async (account: AccountFixture, afterId: number): Promise<number[]> => {
    const res = await app.request('GET', `${BASE}/feed?afterId=${afterId}&accessToken=${account.token}`);
    expect(res.status).toBe(200);
    return res.body.map((m: { id: number }) => m.id);
  };

  beforeAll(async () => {
    app = await startTestApp();
    partner = await createAccount(app, 'partner');
    provider = await createAccount(app, 'provider');
    kase = await createCase(app, partner, provider);
  });
  afterAll(async () => {
    await app.close();
  });

  /** Connections of a test beside the app's (ended after it, which rolls back what they left open). */
  const clients: Client[] = [];
  const connect = async (database?: string): Promise<Client> => {
    const url = database ? app.env.DATABASE_URL!.replace(/\/[^/?]+(\?|$)/, `/${database}$1`) : app.env.DATABASE_URL;
    const client = new Client({ connectionString: url });
    clients.push(client);
    await client.connect();
    return client;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end()));
  });

  it("does not make a create wait for another writer's open transaction, and holds back in the feed what that writer could still precede", async () => {
    const before = await create(provider, 'settled');
    const slow = await connect();
    // A writer that follows the same rule as the create endpoint: its transaction id and message id in one step.
    await slow.query('BEGIN');
    const [{ id: inFlight }] = (
      await slow.query(
        `INSERT INTO case_messages (id, writer_xid, case_id, case_guid, partner_account_id, provider_account_id, sender_account_id, sender_type, type, content, declared_at)
         SELECT next_case_message_id(), pg_current_xact_id()::text::bigint, id, guid, partner_account_id, provider_account_id, $2, 'provider', 'serviceComment', 'slow writer', now() FROM cases WHERE id = $1 RETURNING id`,
        [kase.id, provider.id],
      )
    ).rows;
    // Answered while the slow writer is still open: nothing serialises the receiving account's writers.
    const later = await create(provider, 'does not wait for the slow writer');
    expect(later).toBeGreaterThan(inFlight);
    // Committed, but the slow writer could still commit a smaller id: a reader that moved past `later` would skip it.
    expect(await feedIds(partner, before)).toEqual([]);
    await slow.query('COMMIT');
    expect(await feedIds(partner, before)).toEqual([inFlight, later]);
  });

  it('shows the later messages once a slow writer rolls back', async () => {
    const before = await create(provider, 'settled');
    const slow = await connect();
    await slow.query('BEGIN');
    await slow.query(`SELECT next_case_message_id()`);
    const later = await create(provider, 'after a writer that gives up');
    expect(await feedIds(partner, before)).toEqual([]);
    await slow.query('ROLLBACK');
    expect(await feedIds(partner, before)).toEqual([later]);
  });

  it('is not held back by a transaction open in another database of the same server', async () => {
    const before = await create(provider, 'settled');
    const elsewhere = await connect('postgres');
    await elsewhere.query('BEGIN');
    await elsewhere.query('SELECT pg_current_xact_id()'); // older than the create below, and still running
    const later = await create(provider, 'while another database has a transaction open');
    expect(await feedIds(partner, before)).toEqual([later]);
  });

  it('releases the id lock when a call is cancelled while it waits, so later creates go on', async () => {
    const [holder, waiter] = await Promise.all([connect(), connect()]);
    await holder.query('SELECT pg_advisory_lock(3100, 0)');
    await waiter.query(`SET statement_timeout = '200ms'`);
    await expect(waiter.query('SELECT next_case_message_id()')).rejects.toThrow(/statement timeout/);
    await holder.query('SELECT pg_advisory_unlock(3100, 0)');
    await waiter.query('SELECT next_case_message_id()');
    expect(await create(provider, 'after the cancelled call')).toBeGreaterThan(0);
  });

  it('takes many concurrent creates for one receiving account, each once in the feed, in id order', async () => {
    const before = await create(provider, 'settled');
    const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => create(provider, `burst ${i}`)));
    const feed = await feedIds(partner, before);
    expect(feed).toEqual([...ids].sort((a, b) => a - b));
  });

  it('confirms overlapping batches sent in opposite orders without a deadlock', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 60; i++) ids.push(await create(provider, `batch ${i}`));
    const forward = [...ids];
    const backward = [...ids].reverse();
    const results = await Promise.all(
      [forward, backward, forward, backward].map((body) => app.request('POST', `${BASE}/confirm?accessToken=${partner.token}`, { body })),
    );
    for (const res of results) expect(res.status).toBe(200);
    const confirmedOnce = results.flatMap((r) => r.body.data.confirmed as number[]).sort((a, b) => a - b);
    expect(confirmedOnce).toEqual(ids);
  });
});
