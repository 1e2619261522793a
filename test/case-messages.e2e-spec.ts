import { randomUUID } from 'node:crypto';
import { AccountFixture, createAccount, createCase, createUser } from './factories';
import { HttpResult, startTestApp, TestApp } from './support/test-app';

const BASE = '/api/v3/case-messages';
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SEED_KEYS = ['id', 'caseId', 'guid', 'senderAccountId', 'senderType', 'content', 'type', 'externalId', 'confirmedAt', 'createdAt', 'updatedAt', 'declaredAt'];
const ALL_KEYS = [...SEED_KEYS, 'parentMessageId', 'userEmail', 'userName', 'isInternal'].sort();
const ZONE_REQUIRED = '"declaredAt" must be an ISO 8601 date-time with a timezone (Z or ±hh:mm), e.g. 2017-07-25T10:12:54.003Z';

describe('Case Messages API v3: create and list', () => {
  let app: TestApp;
  let partner: AccountFixture;
  let provider: AccountFixture;
  let kase: { id: number; guid: string };

  const create = (token: string, body: unknown): Promise<HttpResult> =>
    app.request('POST', `${BASE}/create?accessToken=${token}`, { body });
  const list = (token: string, query: string): Promise<HttpResult> => app.request('GET', `${BASE}?accessToken=${token}&${query}`);

  beforeAll(async () => {
    app = await startTestApp();
    partner = await createAccount(app, 'partner');
    provider = await createAccount(app, 'provider');
    kase = await createCase(app, partner, provider);
  });
  afterAll(async () => {
    await app.close();
  });

  describe("the seed's examples", () => {
    it('creates the example message and answers with the seed shape, key by key', async () => {
      const guid = '1e0abcb7-b94c-4072-a9c0-37072a1ef015';
      const seeded = await createCase(app, partner, provider, guid);
      const res = await create(partner.token, {
        guid,
        content: 'Test message',
        type: 'serviceComment',
        declaredAt: '2017-07-25T10:12:54.003Z',
        externalId: 'test-42',
      });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(ALL_KEYS);
      expect(res.body).toEqual({
        id: expect.any(Number),
        caseId: seeded.id,
        guid,
        senderAccountId: partner.id,
        senderType: 'partner',
        content: 'Test message',
        type: 'serviceComment',
        externalId: 'test-42',
        confirmedAt: null,
        createdAt: expect.stringMatching(ISO_MS),
        updatedAt: expect.stringMatching(ISO_MS),
        declaredAt: '2017-07-25T10:12:54.003Z',
        parentMessageId: null,
        userEmail: null,
        userName: null,
        isInternal: false,
      });
      expect(res.body.updatedAt).toBe(res.body.createdAt);
      expect(Number.isInteger(res.body.id)).toBe(true);
    });

    it('lists a case as a bare array in id order, with the seed keys on every message', async () => {
      const own = await createCase(app, partner, provider);
      const first = await create(provider.token, { guid: own.guid, content: 'Hello!', type: 'serviceComment', externalId: 'test-42' });
      const second = await create(provider.token, { guid: own.guid, content: 'Test comemnt', type: 'serviceComment' });
      const res = await list(partner.token, `guid=${own.guid}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([first.body, second.body]);
      expect(res.body[0]).toMatchObject({ senderType: 'provider', senderAccountId: provider.id, externalId: 'test-42', caseId: own.id, guid: own.guid });
      expect(res.body[1].externalId).toBeNull();
      expect(res.body[0].id).toBeLessThan(res.body[1].id);
      for (const message of res.body) expect(Object.keys(message).sort()).toEqual(ALL_KEYS);
    });

    it('reads a declaredAt with an offset in UTC', async () => {
      const offset = await app.request('POST', `${BASE}/create?accessToken=${partner.token}`, { body: { guid: kase.guid, type: 'reminder', declaredAt: '2017-07-25T12:12:54.5+02:00' } });
      expect(offset.body.declaredAt).toBe('2017-07-25T10:12:54.500Z');
    });

    it.each([
      ['Python isoformat()', '2017-07-25T10:12:54.003000+00:00'],
      ['.NET "o"', '2017-07-25T10:12:54.0039999Z'],
    ])('reads a declaredAt with more fraction digits (%s) to the millisecond', async (_client, declaredAt) => {
      const res = await create(partner.token, { guid: kase.guid, type: 'reminder', declaredAt });
      expect(res.status).toBe(200);
      expect(res.body.declaredAt).toBe('2017-07-25T10:12:54.003Z');
    });

    it('reads an empty declaredAt as absent: the time of creation (the seed: "If empty, the current time will be used")', async () => {
      const res = await create(partner.token, { guid: kase.guid, type: 'reminder', declaredAt: '' });
      expect(res.status).toBe(200);
      expect(res.body.declaredAt).toBe(res.body.createdAt);
    });

    it('defaults declaredAt to the time of creation', async () => {
      const res = await create(partner.token, { guid: kase.guid, type: 'reminder' });
      expect(res.status).toBe(200);
      expect(res.body.declaredAt).toBe(res.body.createdAt);
      expect(res.body.content).toBeNull();
      expect(Math.abs(Date.parse(res.body.createdAt) - Date.now())).toBeLessThan(60_000);
    });

    it('stores every optional field and accepts all ten types', async () => {
      const types = ['serviceComment', 'customerCenterReply', 'costProposalRejectRur', 'costProposalRejectScrap', 'statusRequest', 'spareParts', 'reminder', 'costProposal', 'shipment', 'forwarding'];
      for (const type of types) {
        const res = await create(provider.token, { guid: kase.guid, type, content: type, userEmail: 'jane.doe@example.com', userName: 'Jane Doe' });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ type, content: type, userEmail: 'jane.doe@example.com', userName: 'Jane Doe', senderType: 'provider' });
      }
    });

    it('accepts the guid in upper case and answers with the stored guid', async () => {
      const res = await create(partner.token, { guid: kase.guid.toUpperCase(), type: 'shipment' });
      expect(res.status).toBe(200);
      expect(res.body.guid).toBe(kase.guid);
    });
  });

  describe('validation', () => {
    const valid = () => ({ guid: kase.guid, type: 'serviceComment' });
    it.each([
      ['guid (missing)', { type: 'serviceComment' }, 'child "guid" fails because ["guid" is required]'],
      ['guid', { guid: 'not-a-guid', type: 'serviceComment' }, 'child "guid" fails because ["guid" must be a valid GUID]'],
      ['guid', { guid: 42, type: 'serviceComment' }, 'child "guid" fails because ["guid" must be a valid GUID]'],
      ['type (missing)', { guid: '1e0abcb7-b94c-4072-a9c0-37072a1ef015' }, 'child "type" fails because ["type" is required]'],
      ['type', { type: 'gossip' }, 'child "type" fails because ["type" must be one of [serviceComment, customerCenterReply, costProposalRejectRur, costProposalRejectScrap, statusRequest, spareParts, reminder, costProposal, shipment, forwarding]]'],
      ['type', { type: 'x'.repeat(33) }, 'child "type" fails because ["type" must be shorter than or equal to 32 characters]'],
      ['type', { type: 7 }, 'child "type" fails because ["type" must be a string]'],
      ['content', { content: 'x'.repeat(100_001) }, 'child "content" fails because ["content" must be shorter than or equal to 100000 characters]'],
      ['content', { content: 12 }, 'child "content" fails because ["content" must be a string]'],
      ['externalId', { externalId: 'x'.repeat(513) }, 'child "externalId" fails because ["externalId" must be shorter than or equal to 512 characters]'],
      ['userName', { userName: 'x'.repeat(513) }, 'child "userName" fails because ["userName" must be shorter than or equal to 512 characters]'],
      ['userEmail', { userEmail: `${'x'.repeat(510)}@example.com` }, 'child "userEmail" fails because ["userEmail" must be shorter than or equal to 512 characters]'],
      ['userEmail', { userEmail: 'not-an-email' }, 'child "userEmail" fails because ["userEmail" must be a valid email]'],
      ['declaredAt', { declaredAt: 'yesterday' }, `child "declaredAt" fails because [${ZONE_REQUIRED}]`],
      ['declaredAt', { declaredAt: '2017-02-30T10:00:00Z' }, `child "declaredAt" fails because [${ZONE_REQUIRED}]`],
      ['declaredAt', { declaredAt: '2017-W30-1' }, `child "declaredAt" fails because [${ZONE_REQUIRED}]`],
      ['declaredAt', { declaredAt: '2017-123' }, `child "declaredAt" fails because [${ZONE_REQUIRED}]`],
      ['declaredAt', { declaredAt: '20170725T101254Z' }, `child "declaredAt" fails because [${ZONE_REQUIRED}]`],
      ['declaredAt', { declaredAt: '2017-07-25T10Z' }, `child "declaredAt" fails because [${ZONE_REQUIRED}]`],
      ['declaredAt', { declaredAt: '2017-07-25T10:12:54' }, `child "declaredAt" fails because [${ZONE_REQUIRED}]`],
      ['declaredAt', { declaredAt: '2017-07-25' }, `child "declaredAt" fails because [${ZONE_REQUIRED}]`],
      ['declaredAt', { declaredAt: '2017-07-25Z' }, `child "declaredAt" fails because [${ZONE_REQUIRED}]`],
      ['isInternal', { isInternal: 'yes' }, 'child "isInternal" fails because ["isInternal" must be a boolean]'],
      ['isInternal', { isInternal: 1 }, 'child "isInternal" fails because ["isInternal" must be a boolean]'],
      // Year 10000 once in UTC: PostgreSQL cannot read it back in this format (was a 500).
      ['declaredAt', { declaredAt: '9999-12-31T23:00:00-05:00' }, `child "declaredAt" fails because [${ZONE_REQUIRED}]`],
      ['parentMessageId', { parentMessageId: 1.5 }, 'child "parentMessageId" fails because ["parentMessageId" must be an integer]'],
      ['parentMessageId', { parentMessageId: '1' }, 'child "parentMessageId" fails because ["parentMessageId" must be an integer]'],
      ['parentMessageId', { parentMessageId: 0 }, 'child "parentMessageId" fails because ["parentMessageId" must be a positive number]'],
      ['parentMessageId', { parentMessageId: 2 ** 31 }, 'child "parentMessageId" fails because ["parentMessageId" must be less than or equal to 2147483647]'],
      ['senderAccountId', { senderAccountId: 1 }, '"senderAccountId" is not allowed'],
      ['messageType', { messageType: 'serviceComment' }, '"messageType" is not allowed'],
    ])('rejects a bad %s with a message naming the field', async (_field, patch, message) => {
      const before = await list(partner.token, `guid=${kase.guid}`);
      const body = { ...valid(), ...patch } as Record<string, unknown>;
      if (!('guid' in patch) && message.includes('"guid" is required')) delete body.guid;
      if (message.includes('"type" is required')) delete body.type;
      const res = await create(partner.token, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { message } });
      const after = await list(partner.token, `guid=${kase.guid}`);
      expect(after.body).toHaveLength(before.body.length);
    });

    it('accepts every length limit exactly: content 100,000, externalId and userName 512 characters', async () => {
      const body = { ...valid(), content: 'c'.repeat(100_000), externalId: 'e'.repeat(512), userName: 'n'.repeat(512) };
      const res = await create(provider.token, body);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ content: body.content, externalId: body.externalId, userName: body.userName });
      const listed = await list(partner.token, `guid=${kase.guid}&afterId=${res.body.id - 1}&limit=1`);
      expect(listed.body).toEqual([res.body]);
    });

    it('rejects a body that is not JSON, an empty body and a JSON array', async () => {
      const bad = await app.request('POST', `${BASE}/create?accessToken=${partner.token}`, { rawBody: '{"guid": ' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/JSON/);
      const empty = await app.request('POST', `${BASE}/create?accessToken=${partner.token}`, { rawBody: '' });
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toEqual(expect.any(String));
      const array = await create(partner.token, [valid()]);
      expect(array.status).toBe(400);
    });

    it('rejects a body over 1 MiB with 413 in the envelope', async () => {
      const res = await create(partner.token, { ...valid(), content: 'x'.repeat(1024 * 1024 + 10) });
      expect(res.status).toBe(413);
      expect(res.body.error.message).toMatch(/too large/);
    });

    it('refuses a body with more than 1,000 keys at once, nested or not, and writes nothing', async () => {
      // ~110,000 keys fit in 1 MiB; class-transformer's duplicate-key removal, quadratic in them, held the
      // event loop (every other request) for 6–18 s before answering "x" is not allowed.
      const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [i.toString(16), 0]));
      const before = await list(partner.token, `guid=${kase.guid}`);
      for (const body of [{ ...valid(), x: keys(110_000) }, { ...valid(), content: keys(110_000) }, { ...valid(), ...keys(1_000) }]) {
        const res = await create(partner.token, body);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ error: { message: 'Input has too many fields (at most 1000 in all)' } });
      }
      const after = await list(partner.token, `guid=${kase.guid}`);
      expect(after.body).toHaveLength(before.body.length);
    });

    it('rejects a NUL character in content', async () => {
      const res = await create(partner.token, { ...valid(), content: 'a\u0000b' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('content');
    });

    it('rejects unknown query parameters on create', async () => {
      const res = await app.request('POST', `${BASE}/create?accessToken=${partner.token}&debug=1`, { body: valid() });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { message: '"debug" is not allowed' } });
    });

    it.each([
      ['', 'child "guid" fails because ["guid" is required]'],
      ['guid=nope', 'child "guid" fails because ["guid" must be a valid GUID]'],
      ['guid=GUID&foo=bar', '"foo" is not allowed'],
      ['guid=GUID&limit=0', 'child "limit" fails because ["limit" must be greater than or equal to 1]'],
      ['guid=GUID&limit=1001', 'child "limit" fails because ["limit" must be less than or equal to 1000]'],
      ['guid=GUID&limit=ten', 'child "limit" fails because ["limit" must be an integer]'],
      ['guid=GUID&afterId=-1', 'child "afterId" fails because ["afterId" must be greater than or equal to 0]'],
      ['guid=GUID&afterId=2147483648', 'child "afterId" fails because ["afterId" must be less than or equal to 2147483647]'],
      ['guid=GUID&afterId=1.5', 'child "afterId" fails because ["afterId" must be an integer]'],
      ['guid=GUID&unconfirmed=yes', 'child "unconfirmed" fails because ["unconfirmed" must be a boolean]'],
    ])('rejects the list query %s', async (query, message) => {
      const res = await list(partner.token, query.replace('GUID', kase.guid));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { message } });
    });
  });

  describe('list filters', () => {
    it('pages with afterId and limit, and filters unconfirmed', async () => {
      const own = await createCase(app, partner, provider);
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await create(provider.token, { guid: own.guid, type: 'serviceComment', content: `m${i}` })).body.id);
      const page = await list(partner.token, `guid=${own.guid}&afterId=${ids[1]}&limit=2`);
      expect(page.status).toBe(200);
      expect(page.body.map((m: { id: number }) => m.id)).toEqual([ids[2], ids[3]]);
      const confirm = await app.request('POST', `${BASE}/confirm?accessToken=${partner.token}`, { body: [ids[0], ids[2]] });
      expect(confirm.status).toBe(200);
      const unconfirmed = await list(partner.token, `guid=${own.guid}&unconfirmed=true`);
      expect(unconfirmed.body.map((m: { id: number }) => m.id)).toEqual([ids[1], ids[3], ids[4]]);
      const everything = await list(partner.token, `guid=${own.guid}&unconfirmed=false`);
      expect(everything.body).toHaveLength(5);
    });

    it('lists every message of the case without a limit, even more than a feed page (100)', async () => {
      const busy = await createCase(app, partner, provider);
      const created = await Promise.all(Array.from({ length: 120 }, (_, i) => create(i % 2 ? partner.token : provider.token, { guid: busy.guid, type: 'serviceComment', content: `n${i}` })));
      expect(created.map((r) => r.status)).toEqual(Array(120).fill(200));
      const res = await list(partner.token, `guid=${busy.guid}`);
      expect(res.status).toBe(200);
      expect(res.body.map((m: { id: number }) => m.id)).toEqual(created.map((r) => r.body.id).sort((a, b) => a - b));
      const capped = await list(partner.token, `guid=${busy.guid}&limit=1000`);
      expect(capped.body).toHaveLength(120);
    });

    it('answers an empty array for a case without messages', async () => {
      const empty = await createCase(app, partner, provider);
      const res = await list(provider.token, `guid=${empty.guid}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    });
  });

  describe('access', () => {
    let strangerPartner: AccountFixture;
    let strangerProvider: AccountFixture;
    beforeAll(async () => {
      strangerPartner = await createAccount(app, 'partner');
      strangerProvider = await createAccount(app, 'provider');
    });

    it('lets both parties create and list, as accessToken or Bearer', async () => {
      const byQuery = await create(partner.token, { guid: kase.guid, type: 'serviceComment' });
      expect(byQuery.status).toBe(200);
      const byHeader = await app.request('POST', `${BASE}/create`, { body: { guid: kase.guid, type: 'serviceComment' }, headers: { authorization: `Bearer ${provider.token}` } });
      expect(byHeader.status).toBe(200);
      expect(byHeader.body.senderAccountId).toBe(provider.id);
      const listed = await app.request('GET', `${BASE}?guid=${kase.guid}`, { headers: { authorization: `Bearer ${partner.token}` } });
      expect(listed.status).toBe(200);
      expect(listed.body.map((m: { id: number }) => m.id)).toEqual(expect.arrayContaining([byQuery.body.id, byHeader.body.id]));
    });

    it('takes one token: the same in both places is fine, two different ones or accessToken twice is a 400 that writes nothing', async () => {
      const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
      const body = { guid: kase.guid, type: 'serviceComment', content: 'which account?' };
      const same = await app.request('GET', `${BASE}?guid=${kase.guid}&accessToken=${partner.token}`, { headers: bearer(partner.token) });
      expect(same.status).toBe(200);
      const before = same.body.length;
      const differ = await app.request('POST', `${BASE}/create?accessToken=${partner.token}`, { body, headers: bearer(provider.token) });
      expect(differ.status).toBe(400);
      expect(differ.body).toEqual({ error: { message: '"accessToken" and the Authorization header hold different tokens: send one' } });
      const twice = await app.request('POST', `${BASE}/create?accessToken=${partner.token}&accessToken=${partner.token}`, { body });
      expect(twice.status).toBe(400);
      expect(twice.body).toEqual({ error: { message: '"accessToken" must be given once' } });
      // An empty parameter is absent: the header's token is used.
      const empty = await app.request('GET', `${BASE}?guid=${kase.guid}&accessToken=`, { headers: bearer(partner.token) });
      expect(empty.status).toBe(200);
      expect(empty.body).toHaveLength(before);
    });

    it.each(['partner', 'provider'])('answers 403 No access to an unrelated %s, writing nothing', async (side) => {
      const stranger = side === 'partner' ? strangerPartner : strangerProvider;
      const before = await list(partner.token, `guid=${kase.guid}`);
      const created = await create(stranger.token, { guid: kase.guid, type: 'serviceComment', content: 'intrusion' });
      expect(created.status).toBe(403);
      expect(created.body).toEqual({ error: { message: 'No access' } });
      const listed = await list(stranger.token, `guid=${kase.guid}`);
      expect(listed.status).toBe(403);
      expect(listed.body).toEqual({ error: { message: 'No access' } });
      const after = await list(partner.token, `guid=${kase.guid}`);
      expect(after.body).toHaveLength(before.body.length);
    });

    it('answers 404 Case not found for an unknown guid', async () => {
      const guid = randomUUID();
      const created = await create(partner.token, { guid, type: 'serviceComment' });
      expect(created.status).toBe(404);
      expect(created.body).toEqual({ error: { message: 'Case not found' } });
      const listed = await list(partner.token, `guid=${guid}`);
      expect(listed.status).toBe(404);
      expect(listed.body).toEqual({ error: { message: 'Case not found' } });
    });

    it('answers 401 without a token, with an unknown or revoked token, and with a v2 user token', async () => {
      const none = await app.request('GET', `${BASE}?guid=${kase.guid}`);
      expect(none.status).toBe(401);
      expect(none.body.error.message).toEqual(expect.any(String));
      const unknown = await list('0'.repeat(64), `guid=${kase.guid}`);
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual({ error: { message: 'Invalid access token' } });
      const revokable = await createAccount(app, 'partner');
      const revokedCase = await createCase(app, revokable, provider);
      expect((await list(revokable.token, `guid=${revokedCase.guid}`)).status).toBe(200);
      expect((await app.admin('DELETE', `/admin/tokens/${revokable.tokenId}`)).status).toBe(200);
      const revoked = await create(revokable.token, { guid: revokedCase.guid, type: 'serviceComment' });
      expect(revoked.status).toBe(401);
      expect(revoked.body).toEqual({ error: { message: 'Invalid access token' } });
      // A valid v2 token is told it belongs to the other API, in every place a v3 token may travel.
      const user = await createUser(app);
      const wrongKind = { error: { message: 'This is a user token; the v3 API takes an account token' } };
      const v2 = await list(user.token, `guid=${kase.guid}`);
      expect({ status: v2.status, body: v2.body }).toEqual({ status: 401, body: wrongKind });
      for (const headers of [{ authorization: `Bearer ${user.token}` }, { 'x-hub-api-token': user.token }] as Array<Record<string, string>>) {
        const res = await app.request('GET', `${BASE}?guid=${kase.guid}`, { headers });
        expect({ headers, status: res.status, body: res.body }).toEqual({ headers, status: 401, body: wrongKind });
      }
    });

    it('takes sender and side from the token, never from the body', async () => {
      const res = await create(provider.token, { guid: kase.guid, type: 'serviceComment', senderType: 'partner' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { message: '"senderType" is not allowed' } });
    });
  });

  describe('threading', () => {
    it('accepts a reply to a message of the same case', async () => {
      const parent = await create(partner.token, { guid: kase.guid, type: 'statusRequest', content: 'Status?' });
      const reply = await create(provider.token, { guid: kase.guid, type: 'serviceComment', content: 'In repair', parentMessageId: parent.body.id });
      expect(reply.status).toBe(200);
      expect(reply.body.parentMessageId).toBe(parent.body.id);
      const listed = await list(partner.token, `guid=${kase.guid}&afterId=${parent.body.id}`);
      expect(listed.body[0]).toEqual(reply.body);
    });

    it('refuses a parent from another case, or one that does not exist', async () => {
      const other = await createCase(app, partner, provider);
      const foreign = await create(partner.token, { guid: other.guid, type: 'serviceComment' });
      const message = 'child "parentMessageId" fails because ["parentMessageId" must be a message of the same case]';
      const crossCase = await create(partner.token, { guid: kase.guid, type: 'serviceComment', parentMessageId: foreign.body.id });
      expect(crossCase.status).toBe(400);
      expect(crossCase.body).toEqual({ error: { message } });
      const missing = await create(partner.token, { guid: kase.guid, type: 'serviceComment', parentMessageId: 2147483647 });
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ error: { message } });
    });
  });

  describe('idempotency by externalId', () => {
    it('returns the stored message for the same request again', async () => {
      const body = { guid: kase.guid, type: 'serviceComment', content: 'once', externalId: `ext-${randomUUID()}`, declaredAt: '2020-01-01T00:00:00.000Z' };
      const first = await create(partner.token, body);
      const again = await create(partner.token, body);
      expect(first.status).toBe(200);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      const withoutDeclaredAt = await create(partner.token, { ...body, declaredAt: undefined });
      expect(withoutDeclaredAt.status).toBe(200);
      expect(withoutDeclaredAt.body.id).toBe(first.body.id);
      const listed = await list(partner.token, `guid=${kase.guid}`);
      expect(listed.body.filter((m: { externalId: string }) => m.externalId === body.externalId)).toHaveLength(1);
    });

    it.each([
      ['content', { content: 'changed' }],
      ['type', { type: 'reminder' }],
      ['userEmail', { userEmail: 'other@example.com' }],
      ['userName', { userName: 'Other' }],
      ['declaredAt', { declaredAt: '2021-01-01T00:00:00.000Z' }],
    ])('answers 409 when the retry differs in %s', async (field, patch) => {
      const body = { guid: kase.guid, type: 'serviceComment', content: 'original', externalId: `ext-${randomUUID()}`, declaredAt: '2020-01-01T00:00:00.000Z' };
      expect((await create(partner.token, body)).status).toBe(200);
      const res = await create(partner.token, { ...body, ...patch });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: { message: `A message with externalId "${body.externalId}" already exists on this case with a different ${field}` } });
    });

    it('answers 409 when the retry differs in parentMessageId', async () => {
      const parent = await create(provider.token, { guid: kase.guid, type: 'serviceComment' });
      const body = { guid: kase.guid, type: 'serviceComment', externalId: `ext-${randomUUID()}` };
      expect((await create(partner.token, body)).status).toBe(200);
      const res = await create(partner.token, { ...body, parentMessageId: parent.body.id });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('parentMessageId');
    });

    it('keys by sender account and case: the other party and another case may reuse an externalId', async () => {
      const externalId = `ext-${randomUUID()}`;
      const other = await createCase(app, partner, provider);
      const a = await create(partner.token, { guid: kase.guid, type: 'serviceComment', externalId });
      const b = await create(provider.token, { guid: kase.guid, type: 'serviceComment', externalId });
      const c = await create(partner.token, { guid: other.guid, type: 'serviceComment', externalId });
      expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
      expect(new Set([a.body.id, b.body.id, c.body.id]).size).toBe(3);
    });

    it('treats an empty externalId as absent: no deduplication', async () => {
      const a = await create(partner.token, { guid: kase.guid, type: 'serviceComment', content: 'a', externalId: '' });
      const b = await create(partner.token, { guid: kase.guid, type: 'serviceComment', content: 'b', externalId: '' });
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.body.externalId).toBeNull();
      expect(b.body.id).not.toBe(a.body.id);
    });

    it('stores exactly one row for 20 concurrent identical creates', async () => {
      const own = await createCase(app, partner, provider);
      const body = { guid: own.guid, type: 'serviceComment', content: 'race', externalId: 'race-1' };
      const results = await Promise.all(Array.from({ length: 20 }, () => create(provider.token, body)));
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      const listed = await list(partner.token, `guid=${own.guid}`);
      expect(listed.body).toHaveLength(1);
      expect(listed.body[0]).toEqual(results[0].body);
    });
  });
});
