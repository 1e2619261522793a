import { Client } from 'pg';
import { FEED_LOCK_NAMESPACE } from '../src/case-messages/case-messages.sql';
import { AccountFixture, createAccount, createCase } from './factories';
import { startTestApp, TestApp } from './support/test-app';

const BASE = '/api/v3/case-messages';

// Both races need two real concurrent transactions. The embedded PGlite runs one transaction at a
// time (its socket server queues the others), so neither race can happen there, and a second
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

  it('commits one receiving account\'s messages in id order, so the feed cannot skip one', async () => {
    const before = await create(provider, 'settled');
    const slow = new Client({ connectionString: app.env.DATABASE_URL });
    await slow.connect();
    try {
      // A writer that follows the same rule as the create endpoint: lock the receiver, then draw the id.
      await slow.query('BEGIN');
      await slow.query('SELECT pg_advisory_xact_lock($1, $2)', [FEED_LOCK_NAMESPACE, partner.id]);
      const [{ id: inFlight }] = (
        await slow.query(
          `INSERT INTO case_messages (case_id, case_guid, partner_account_id, provider_account_id, sender_account_id, sender_type, type, content, declared_at)
           SELECT id, guid, partner_account_id, provider_account_id, $2, 'provider', 'serviceComment', 'slow writer', now() FROM cases WHERE id = $1 RETURNING id`,
          [kase.id, provider.id],
        )
      ).rows;
      const pending = create(provider, 'waits for the slow writer');
      expect(await feedIds(partner, before)).toEqual([]);
      await slow.query('COMMIT');
      const later = await pending;
      expect(later).toBeGreaterThan(inFlight);
      expect(await feedIds(partner, before)).toEqual([inFlight, later]);
    } finally {
      await slow.end();
    }
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
