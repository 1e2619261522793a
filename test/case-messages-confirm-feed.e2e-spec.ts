import { DataSource } from 'typeorm';
import { AccountFixture, createAccount, createCase, createUser } from './factories';
import { recordStatements } from './support/statement-recorder';
import { queuedWebhookEvents } from './support/webhook-events';
import { HttpResult, startTestApp, TestApp } from './support/test-app';

const BASE = '/api/v3/case-messages';

describe('Case Messages API v3: confirm and feed', () => {
  let app: TestApp;
  let db: DataSource;
  let partner: AccountFixture;
  let provider: AccountFixture;
  let kase: { id: number; guid: string };

  const create = async (account: AccountFixture, guid: string, content = 'hello'): Promise<number> => {
    const res = await app.request('POST', `${BASE}/create?accessToken=${account.token}`, { body: { guid, type: 'serviceComment', content } });
    if (res.status !== 200) throw new Error(`create failed: ${res.status} ${res.text}`);
    return res.body.id;
  };
  const confirm = (account: AccountFixture, body: unknown): Promise<HttpResult> => app.request('POST', `${BASE}/confirm?accessToken=${account.token}`, { body });
  const feed = (account: AccountFixture, query = ''): Promise<HttpResult> =>
    app.request('GET', `${BASE}/feed${query ? `?${query}` : ''}`, { headers: { authorization: `Bearer ${account.token}` } });
  const ids = (res: HttpResult): number[] => res.body.map((m: { id: number }) => m.id);
  /**
   * A message the system wrote (no sender), as an operator's script would insert it: the message, and a row
   * in both parties' unconfirmed queues (docs/case-messages.md).
   */
  const systemMessage = async (caseId: number): Promise<number> => {
    const rows: { id: number }[] = await db.query(
      `WITH m AS (
         INSERT INTO case_messages (case_id, case_guid, partner_account_id, provider_account_id, type, content, declared_at)
         SELECT id, guid, partner_account_id, provider_account_id, 'reminder', 'system', now() FROM cases WHERE id = $1
         RETURNING id, partner_account_id, provider_account_id
       ), q AS (
         INSERT INTO case_message_unconfirmed (account_id, message_id)
         SELECT partner_account_id, id FROM m UNION ALL SELECT provider_account_id, id FROM m
       )
       SELECT id FROM m`,
      [caseId],
    );
    return rows[0].id;
  };

  beforeAll(async () => {
    // No delivery workers: their polls of the deliveries table would mix with the statements counted below.
    app = await startTestApp({ WORKERS_ENABLED: 'false' });
    db = app.running.app.get(DataSource);
    partner = await createAccount(app, 'partner');
    provider = await createAccount(app, 'provider');
    kase = await createCase(app, partner, provider);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('confirm', () => {
    it("confirms the other side's messages with partial success, errors in input order, duplicates once", async () => {
      const fromProvider = await create(provider, kase.guid, 'for the partner');
      const alreadyDone = await create(provider, kase.guid, 'confirmed earlier');
      const own = await create(partner, kase.guid, 'mine');
      const strangers = await createCase(app, await createAccount(app, 'partner'), provider);
      const foreign = await create(provider, strangers.guid, 'not yours');
      expect((await confirm(partner, [alreadyDone])).body.data.confirmed).toEqual([alreadyDone]);

      const res = await confirm(partner, [2147483647, fromProvider, foreign, own, alreadyDone, fromProvider]);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        success: true,
        errors: [
          { id: 2147483647, message: 'Not found' },
          { id: foreign, message: 'No access' },
          { id: own, message: 'Own message' },
        ],
        data: { confirmed: [fromProvider], alreadyConfirmed: [alreadyDone] },
      });
    });

    it('keeps the first confirmedAt, changes updatedAt, and records the confirming account', async () => {
      const id = await create(provider, kase.guid);
      const before = (await app.request('GET', `${BASE}?guid=${kase.guid}&afterId=${id - 1}&limit=1&accessToken=${partner.token}`)).body[0];
      expect(before.confirmedAt).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await confirm(partner, [id])).body.data).toEqual({ confirmed: [id], alreadyConfirmed: [] });
      const first = (await app.request('GET', `${BASE}?guid=${kase.guid}&afterId=${id - 1}&limit=1&accessToken=${partner.token}`)).body[0];
      expect(first.confirmedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(first.updatedAt).toBe(first.confirmedAt);
      expect(Date.parse(first.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
      expect(first.createdAt).toBe(before.createdAt);
      // The sender reads the same confirmation in its own list.
      const seenBySender = (await app.request('GET', `${BASE}?guid=${kase.guid}&afterId=${id - 1}&limit=1&accessToken=${provider.token}`)).body[0];
      expect(seenBySender).toEqual(first);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await confirm(partner, [id])).body.data).toEqual({ confirmed: [], alreadyConfirmed: [id] });
      const second = (await app.request('GET', `${BASE}?guid=${kase.guid}&afterId=${id - 1}&limit=1&accessToken=${partner.token}`)).body[0];
      expect(second.confirmedAt).toBe(first.confirmedAt);
      expect(second.updatedAt).toBe(first.updatedAt);
      const [row] = await db.query('SELECT confirmed_by_account_id FROM case_message_confirmations WHERE message_id = $1', [id]);
      expect(row.confirmed_by_account_id).toBe(partner.id);
    });

    it('lets either party confirm a system message', async () => {
      const id = await systemMessage(kase.id);
      const unconfirmedIds = async (account: AccountFixture): Promise<number[]> =>
        ids(await feed(account, `unconfirmed=true&afterId=${id - 1}`)).filter((seen) => seen === id);
      expect(await unconfirmedIds(partner)).toEqual([id]);
      expect(await unconfirmedIds(provider)).toEqual([id]);
      const res = await confirm(provider, [id]);
      expect(res.body).toEqual({ success: true, errors: [], data: { confirmed: [id], alreadyConfirmed: [] } });
      // Confirmed by one party, it leaves both parties' unconfirmed feeds.
      expect(await unconfirmedIds(partner)).toEqual([]);
      expect(await unconfirmedIds(provider)).toEqual([]);
    });

    it('confirms each id exactly once under concurrent batches', async () => {
      const batch = [await create(provider, kase.guid), await create(provider, kase.guid), await create(provider, kase.guid)];
      const results = await Promise.all(Array.from({ length: 5 }, () => confirm(partner, batch)));
      const confirmed = results.flatMap((r) => r.body.data.confirmed);
      expect(confirmed.sort()).toEqual([...batch].sort());
      for (const r of results) expect(r.body.data.confirmed.length + r.body.data.alreadyConfirmed.length).toBe(3);
    });

    it.each([
      ['a string id', ['4377'], '"value" at position 0 fails because ["0" must be a number]'],
      ['a fraction', [1, 2.5], '"value" at position 1 fails because ["1" must be an integer]'],
      ['zero', [0], '"value" at position 0 fails because ["0" must be a positive number]'],
      ['2^31', [2 ** 31], '"value" at position 0 fails because ["0" must be less than or equal to 2147483647]'],
      ['null', [null], '"value" at position 0 fails because ["0" must be a number]'],
      ['an object', { ids: [1] }, '"value" must be an array'],
      ['a bare number', 4377, '"value" must be an array'],
      ['an empty array', [], '"value" must contain at least 1 items'],
      ['1001 ids', Array.from({ length: 1001 }, (_, i) => i + 1), '"value" must contain less than or equal to 1000 items'],
    ])('rejects %s with 400', async (_name, body, message) => {
      const res = await confirm(partner, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { message } });
    });

    it('confirms nothing when one id of the batch is invalid', async () => {
      const id = await create(provider, kase.guid);
      const res = await confirm(partner, [id, '4378']);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { message: '"value" at position 1 fails because ["1" must be a number]' } });
      const still = await app.request('GET', `${BASE}?guid=${kase.guid}&afterId=${id - 1}&limit=1&accessToken=${partner.token}`);
      expect(still.body[0].confirmedAt).toBeNull();
    });

    it('accepts exactly 1000 ids', async () => {
      const res = await confirm(partner, Array.from({ length: 1000 }, (_, i) => 2_000_000_000 + i));
      expect(res.status).toBe(200);
      expect(res.body.errors).toHaveLength(1000);
      expect(res.body.errors[0]).toEqual({ id: 2_000_000_000, message: 'Not found' });
    });

    it('rejects a body that is not JSON, and unknown query parameters', async () => {
      const bad = await app.request('POST', `${BASE}/confirm?accessToken=${partner.token}`, { rawBody: '[1,' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/JSON/);
      const extra = await app.request('POST', `${BASE}/confirm?accessToken=${partner.token}&dryRun=true`, { body: [1] });
      expect(extra.status).toBe(400);
      expect(extra.body).toEqual({ error: { message: '"dryRun" is not allowed' } });
    });

    it('answers 401 without a token and for a v2 user token', async () => {
      expect((await app.request('POST', `${BASE}/confirm`, { body: [1] })).status).toBe(401);
      const user = await createUser(app);
      const res = await app.request('POST', `${BASE}/confirm`, { body: [1], headers: { authorization: `Bearer ${user.token}` } });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { message: 'This is a user token; the v3 API takes an account token' } });
    });

    it('answers 401 to a revoked token and confirms nothing', async () => {
      const leaving = await createAccount(app, 'partner');
      const own = await createCase(app, leaving, provider);
      const id = await create(provider, own.guid);
      expect((await feed(leaving)).status).toBe(200); // the token is now cached
      expect((await app.admin('DELETE', `/admin/tokens/${leaving.tokenId}`)).status).toBe(200);
      const res = await confirm(leaving, [id]);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { message: 'Invalid access token' } });
      const listed = await app.request('GET', `${BASE}?guid=${own.guid}&accessToken=${provider.token}`);
      expect(listed.body.map((m: { id: number; confirmedAt: string | null }) => [m.id, m.confirmedAt])).toEqual([[id, null]]);
    });
  });

  describe('feed', () => {
    let p: AccountFixture;
    let v1: AccountFixture;
    let v2: AccountFixture;
    let expected: { p: number[]; v1: number[] };

    beforeAll(async () => {
      p = await createAccount(app, 'partner');
      const p2 = await createAccount(app, 'partner');
      v1 = await createAccount(app, 'provider');
      v2 = await createAccount(app, 'provider');
      const a = await createCase(app, p, v1);
      const b = await createCase(app, p, v2);
      const c = await createCase(app, p2, v1);
      const v1OnA = await create(v1, a.guid);
      const pOnA = await create(p, a.guid);
      const v2OnB = await create(v2, b.guid);
      const systemOnB = await systemMessage(b.id);
      await create(v1, c.guid); // v1's own message on c: in neither p's feed (not p's case) nor v1's (its own)
      const p2OnC = await create(p2, c.guid);
      const systemOnA = await systemMessage(a.id);
      expected = { p: [v1OnA, v2OnB, systemOnB, systemOnA], v1: [pOnA, p2OnC, systemOnA] };
    });

    it("gives each account what the other side or the system sent on its cases, in id order", async () => {
      const forP = await feed(p);
      expect(forP.status).toBe(200);
      expect(ids(forP)).toEqual(expected.p);
      expect(ids(await feed(v1))).toEqual(expected.v1);
      // v2's only case is b, where it sent one message itself and the system one.
      expect(ids(await feed(v2))).toEqual([expected.p[2]]);
    });

    it('answers the seed shape for every message', async () => {
      const forP = await feed(p, 'limit=1');
      expect(Object.keys(forP.body[0]).sort()).toEqual(
        ['id', 'caseId', 'guid', 'senderAccountId', 'senderType', 'content', 'type', 'externalId', 'confirmedAt', 'createdAt', 'updatedAt', 'declaredAt', 'parentMessageId', 'userEmail', 'userName', 'isInternal'].sort(),
      );
      expect(forP.body[0]).toMatchObject({ id: expected.p[0], senderAccountId: v1.id, senderType: 'provider' });
    });

    it('walks the cursor with afterId and limit across cases', async () => {
      const seen: number[] = [];
      let afterId = 0;
      for (let page = 0; page < 10; page++) {
        const res = await feed(p, `afterId=${afterId}&limit=1`);
        expect(res.status).toBe(200);
        if (res.body.length === 0) break;
        expect(res.body).toHaveLength(1);
        seen.push(res.body[0].id);
        afterId = res.body[0].id;
      }
      expect(seen).toEqual(expected.p);
      expect(ids(await feed(p, `afterId=${expected.p[1]}`))).toEqual(expected.p.slice(2));
    });

    it('filters unconfirmed', async () => {
      expect((await confirm(p, [expected.p[1]])).body.data.confirmed).toEqual([expected.p[1]]);
      expect(ids(await feed(p, 'unconfirmed=true'))).toEqual([expected.p[0], expected.p[2], expected.p[3]]);
      expect(ids(await feed(p, 'unconfirmed=false'))).toEqual(expected.p);
      expect(ids(await feed(p, `unconfirmed=true&afterId=${expected.p[0]}&limit=1`))).toEqual([expected.p[2]]);
    });

    it('pages 100 by default and up to 1000 on request', async () => {
      const busy = await createAccount(app, 'partner');
      const busyCase = await createCase(app, busy, v2);
      await db.query(
        `INSERT INTO case_messages (case_id, case_guid, partner_account_id, provider_account_id, sender_account_id, sender_type, type, declared_at)
         SELECT id, guid, partner_account_id, provider_account_id, provider_account_id, 'provider', 'shipment', now() FROM cases, generate_series(1, 105) WHERE id = $1`,
        [busyCase.id],
      );
      expect((await feed(busy)).body).toHaveLength(100);
      expect((await feed(busy, 'limit=1000')).body).toHaveLength(105);
    });

    it.each([
      ['limit=0', 'child "limit" fails because ["limit" must be greater than or equal to 1]'],
      ['limit=1001', 'child "limit" fails because ["limit" must be less than or equal to 1000]'],
      ['afterId=abc', 'child "afterId" fails because ["afterId" must be an integer]'],
      ['unconfirmed=1', 'child "unconfirmed" fails because ["unconfirmed" must be a boolean]'],
      ['guid=1e0abcb7-b94c-4072-a9c0-37072a1ef015', '"guid" is not allowed'],
    ])('rejects %s', async (query, message) => {
      const res = await feed(p, query);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { message } });
    });

    it('answers 401 without a token, with a revoked token and for a v2 user token', async () => {
      expect((await app.request('GET', `${BASE}/feed`)).status).toBe(401);
      const user = await createUser(app);
      expect((await app.request('GET', `${BASE}/feed?accessToken=${user.token}`)).status).toBe(401);
      const leaving = await createAccount(app, 'provider');
      expect((await feed(leaving)).status).toBe(200);
      expect((await app.admin('DELETE', `/admin/tokens/${leaving.tokenId}`)).status).toBe(200);
      expect((await feed(leaving)).status).toBe(401);
    });
  });

  describe('statements per request and the delivery hand-off', () => {
    let recorder: ReturnType<typeof recordStatements>;
    let queries: string[];
    beforeEach(() => {
      recorder = recordStatements();
      queries = recorder.statements;
    });
    afterEach(() => recorder.stop());

    it('sends one statement for list, feed and confirm (token already cached)', async () => {
      const id = await create(provider, kase.guid);
      await feed(partner);
      queries.length = 0;
      await app.request('GET', `${BASE}?guid=${kase.guid}&accessToken=${partner.token}`);
      expect(queries).toHaveLength(1);
      queries.length = 0;
      await feed(partner);
      expect(queries).toHaveLength(1);
      queries.length = 0;
      await confirm(partner, [id, id + 1000000]);
      expect(queries).toHaveLength(1);
    });

    it("creates in one statement that also queues the webhook event for the other party (never the sender)", async () => {
      const webhooks = async (messageId: number): Promise<number[]> => (await queuedWebhookEvents(db, messageId)).map((e) => e.accountId);
      for (const account of [partner, provider]) {
        const res = await app.admin('PUT', `/admin/accounts/${account.id}/webhook`, { url: `https://hooks.example.com/${account.id}`, secret: 'a-long-random-shared-secret' });
        expect(res.status).toBe(200);
      }
      await feed(provider);
      queries.length = 0;
      const fromProvider = await create(provider, kase.guid);
      expect(recorder.firstWords()).toEqual(['WITH']);
      expect(await webhooks(fromProvider)).toEqual([partner.id]);
      expect(await webhooks(await create(partner, kase.guid))).toEqual([provider.id]);

      const retry = { guid: kase.guid, type: 'serviceComment', content: 'once', externalId: 'webhook-once' };
      const first = await app.request('POST', `${BASE}/create?accessToken=${partner.token}`, { body: retry });
      const again = await app.request('POST', `${BASE}/create?accessToken=${partner.token}`, { body: retry });
      expect(again.body.id).toBe(first.body.id);
      expect(await webhooks(first.body.id)).toEqual([provider.id]);
    });

    it('stores no message when its webhook event cannot be written', async () => {
      const before = (await app.request('GET', `${BASE}?guid=${kase.guid}&accessToken=${partner.token}`)).body.length;
      await app.admin('PUT', `/admin/accounts/${provider.id}/webhook`, { url: 'https://hooks.example.com/provider', secret: 'a-long-random-shared-secret' });
      await db.query(`ALTER TABLE webhook_events ADD CONSTRAINT test_no_webhooks CHECK (event <> 'message.created') NOT VALID`);
      try {
        const res = await app.request('POST', `${BASE}/create?accessToken=${partner.token}`, { body: { guid: kase.guid, type: 'serviceComment' } });
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ error: { message: 'Internal server error' } });
      } finally {
        await db.query(`ALTER TABLE webhook_events DROP CONSTRAINT test_no_webhooks`);
      }
      const after = (await app.request('GET', `${BASE}?guid=${kase.guid}&accessToken=${partner.token}`)).body.length;
      expect(after).toBe(before);
    });
  });

  it('documents every v3 endpoint, its body, its errors and the message shape in OpenAPI', async () => {
    const doc = (await app.request('GET', '/docs-json')).body;
    const expectations: [string, string, string[]][] = [
      [`${BASE}/create`, 'post', ['200', '400', '401', '403', '404', '409', '413', '429']],
      [BASE, 'get', ['200', '400', '401', '403', '404', '429']],
      [`${BASE}/feed`, 'get', ['200', '400', '401', '429']],
      [`${BASE}/confirm`, 'post', ['200', '400', '401', '429']],
    ];
    for (const [path, method, codes] of expectations) {
      const operation = doc.paths[path][method];
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(codes));
      expect(operation.responses['400'].content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorResponseDto');
      expect(operation.summary).toEqual(expect.any(String));
    }
    expect(doc.paths[`${BASE}/confirm`].post.requestBody.content['application/json'].schema).toMatchObject({ type: 'array', maxItems: 1000 });
    const shape = doc.components.schemas.CaseMessageResponseDto;
    expect(Object.keys(shape.properties).sort()).toEqual(
      ['id', 'caseId', 'guid', 'senderAccountId', 'senderType', 'content', 'type', 'externalId', 'confirmedAt', 'createdAt', 'updatedAt', 'declaredAt', 'parentMessageId', 'userEmail', 'userName', 'isInternal'].sort(),
    );
    for (const property of Object.values(shape.properties) as { example?: unknown }[]) expect(property).toHaveProperty('example');
    expect(doc.components.schemas.CreateCaseMessageDto.properties.type.enum).toHaveLength(10);
  });
});
