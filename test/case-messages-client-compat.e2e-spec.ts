import { AccountFixture, createAccount, createCase } from './factories';
import { HttpResult, startTestApp, TestApp } from './support/test-app';

const BASE = '/api/v3/case-messages';

/** What a Service Order Hub client sends that the seed excerpt does not show: its token header and its parameter notations. */
describe('Case Messages API v3: requests as Service Order Hub clients send them', () => {
  let app: TestApp;
  let partner: AccountFixture;
  let provider: AccountFixture;
  let kase: { id: number; guid: string };

  const hubToken = (token: string) => ({ 'x-hub-api-token': token });
  const ids = (res: HttpResult): number[] => res.body.map((m: { id: number }) => m.id);
  const countMessages = async (): Promise<number> => (await app.request('GET', `${BASE}?guid=${kase.guid}`, { headers: hubToken(partner.token) })).body.length;

  beforeAll(async () => {
    app = await startTestApp({ WORKERS_ENABLED: 'false' });
    [partner, provider] = await Promise.all([createAccount(app, 'partner'), createAccount(app, 'provider')]);
    kase = await createCase(app, partner, provider);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('X-Hub-Api-Token', () => {
    it('authenticates create, list, feed and confirm', async () => {
      const created = await app.request('POST', `${BASE}/create`, { body: { guid: kase.guid, type: 'serviceComment', content: 'by header' }, headers: hubToken(provider.token) });
      expect(created.status).toBe(200);
      expect(created.body.senderAccountId).toBe(provider.id);
      const listed = await app.request('GET', `${BASE}?guid=${kase.guid}`, { headers: hubToken(partner.token) });
      expect(ids(listed)).toContain(created.body.id);
      const feed = await app.request('GET', `${BASE}/feed?afterId=${created.body.id - 1}`, { headers: hubToken(partner.token) });
      expect(ids(feed)).toEqual([created.body.id]);
      const confirmed = await app.request('POST', `${BASE}/confirm`, { body: [created.body.id], headers: hubToken(partner.token) });
      expect(confirmed.body.data.confirmed).toEqual([created.body.id]);
    });

    it('takes the same token in several places, and refuses two different ones with a 400 that writes nothing', async () => {
      const body = { guid: kase.guid, type: 'serviceComment', content: 'which account?' };
      const same = await app.request('POST', `${BASE}/create?accessToken=${partner.token}`, { body, headers: { ...hubToken(partner.token), authorization: `Bearer ${partner.token}` } });
      expect(same.status).toBe(200);
      const before = await countMessages();
      const differ = await app.request('POST', `${BASE}/create`, { body, headers: { ...hubToken(provider.token), authorization: `Bearer ${partner.token}` } });
      expect(differ.status).toBe(400);
      expect(differ.body).toEqual({ error: { message: 'the Authorization header and the X-Hub-Api-Token header hold different tokens: send one' } });
      const differQuery = await app.request('POST', `${BASE}/create?access_token=${partner.token}`, { body, headers: hubToken(provider.token) });
      expect(differQuery.body).toEqual({ error: { message: '"accessToken" and the X-Hub-Api-Token header hold different tokens: send one' } });
      expect(await countMessages()).toBe(before);
    });

    it('answers a header of 10,000 bytes with a 400 naming it, and an unknown token with a 401', async () => {
      const long = await app.request('GET', `${BASE}?guid=${kase.guid}`, { headers: hubToken('x'.repeat(10_000)) });
      expect(long.status).toBe(400);
      expect(long.body).toEqual({ error: { message: 'the X-Hub-Api-Token header is too long: a token has at most 512 characters' } });
      const unknown = await app.request('GET', `${BASE}?guid=${kase.guid}`, { headers: hubToken('0'.repeat(64)) });
      expect(unknown.status).toBe(401);
    });

    it('answers 401 to a revoked token', async () => {
      const extra = await app.admin('POST', `/admin/accounts/${partner.id}/tokens`, {});
      expect((await app.request('GET', `${BASE}?guid=${kase.guid}`, { headers: hubToken(extra.body.token) })).status).toBe(200);
      expect((await app.admin('DELETE', `/admin/tokens/${extra.body.id}`)).status).toBeLessThan(300);
      const revoked = await app.request('GET', `${BASE}?guid=${kase.guid}`, { headers: hubToken(extra.body.token) });
      expect(revoked.status).toBe(401);
    });
  });

  describe('notation-indifferent query parameters', () => {
    it.each(['accessToken', 'access_token', 'access-token'])('reads the token as %s', async (name) => {
      const res = await app.request('GET', `${BASE}?${name}=${partner.token}&guid=${kase.guid}`);
      expect(res.status).toBe(200);
    });

    it.each([
      ['afterId', 'unconfirmed'],
      ['after_id', 'unconfirmed'],
      ['after-id', 'unconfirmed'],
    ])('pages the feed with %s', async (afterName, unconfirmedName) => {
      const created = await app.request('POST', `${BASE}/create?access-token=${provider.token}`, { body: { guid: kase.guid, type: 'reminder' } });
      const res = await app.request('GET', `${BASE}/feed?access_token=${partner.token}&${afterName}=${created.body.id - 1}&${unconfirmedName}=true&limit=5`);
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual([created.body.id]);
    });

    it('refuses one parameter under two notations with a 400 naming both, writing nothing', async () => {
      const before = await countMessages();
      const twice = await app.request('GET', `${BASE}/feed?accessToken=${partner.token}&afterId=1&after_id=2`);
      expect(twice.status).toBe(400);
      expect(twice.body).toEqual({ error: { message: '"afterId" is given twice, as "afterId" and "after_id": send it once' } });
      const token = await app.request('POST', `${BASE}/create?accessToken=${partner.token}&access_token=${partner.token}`, { body: { guid: kase.guid, type: 'reminder' } });
      expect(token.status).toBe(400);
      expect(await countMessages()).toBe(before);
    });

    it('still refuses a parameter it does not know, in any notation', async () => {
      for (const name of ['pageSize', 'page_size', 'page-size']) {
        const res = await app.request('GET', `${BASE}/feed?accessToken=${partner.token}&${name}=3`);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain('pageSize');
      }
    });

    it('replays the documentation example of the list', async () => {
      const res = await app.request('GET', `${BASE}?accessToken=${partner.token}&guid=${kase.guid}`);
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body)).toBe(true);
    });
  });

  describe('integrators (X-Service-Provider)', () => {
    let integrator: AccountFixture;
    let represented: AccountFixture;
    let other: AccountFixture;
    let representedCase: { id: number; guid: string };
    const as = (token: string, provider: string) => ({ 'x-hub-api-token': token, 'x-service-provider': provider });

    beforeAll(async () => {
      [integrator, represented, other] = await Promise.all([createAccount(app, 'partner'), createAccount(app, 'provider'), createAccount(app, 'provider')]);
      representedCase = await createCase(app, partner, represented);
      const set = await app.admin('PUT', `/admin/accounts/${integrator.id}/represents`, { providerAccountIds: [represented.id] });
      expect(set.body).toEqual({ accountId: integrator.id, providerAccountIds: [represented.id] });
    });

    it("acts as the represented provider: creates as it, reads its cases, confirms what it receives", async () => {
      const created = await app.request('POST', `${BASE}/create`, { body: { guid: representedCase.guid, type: 'serviceComment' }, headers: as(integrator.token, String(represented.id)) });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ senderAccountId: represented.id, senderType: 'provider' });
      const fromPartner = await app.request('POST', `${BASE}/create`, { body: { guid: representedCase.guid, type: 'reminder' }, headers: hubToken(partner.token) });
      const feed = await app.request('GET', `${BASE}/feed?afterId=${fromPartner.body.id - 1}`, { headers: as(integrator.token, String(represented.id)) });
      expect(ids(feed)).toEqual([fromPartner.body.id]);
      const confirmed = await app.request('POST', `${BASE}/confirm`, { body: [fromPartner.body.id], headers: as(integrator.token, String(represented.id)) });
      expect(confirmed.body.data.confirmed).toEqual([fromPartner.body.id]);
    });

    it('acts as its own account without the header, or with its own id', async () => {
      const own = await app.request('GET', `${BASE}?guid=${representedCase.guid}`, { headers: hubToken(integrator.token) });
      expect(own.status).toBe(403);
      const self = await app.request('GET', `${BASE}?guid=${representedCase.guid}`, { headers: as(integrator.token, String(integrator.id)) });
      expect(self.status).toBe(403);
    });

    it('answers 403 No access for a provider it does not represent, and 400 for a header that is not an id, writing nothing', async () => {
      const before = await app.request('GET', `${BASE}?guid=${representedCase.guid}`, { headers: hubToken(partner.token) });
      const notRepresented = await app.request('POST', `${BASE}/create`, { body: { guid: representedCase.guid, type: 'reminder' }, headers: as(integrator.token, String(other.id)) });
      expect(notRepresented.status).toBe(403);
      expect(notRepresented.body).toEqual({ error: { message: 'No access' } });
      for (const header of ['abc', '1.5', '0', '99999999999']) {
        const bad = await app.request('POST', `${BASE}/create`, { body: { guid: representedCase.guid, type: 'reminder' }, headers: as(integrator.token, header) });
        expect(bad.status).toBe(400);
        expect(bad.body).toEqual({ error: { message: 'the X-Service-Provider header must be a provider account id (a positive integer)' } });
      }
      const after = await app.request('GET', `${BASE}?guid=${representedCase.guid}`, { headers: hubToken(partner.token) });
      expect(after.body).toHaveLength(before.body.length);
    });

    it('stops acting for a provider once the operator takes it away', async () => {
      await app.admin('PUT', `/admin/accounts/${integrator.id}/represents`, { providerAccountIds: [] });
      const res = await app.request('GET', `${BASE}?guid=${representedCase.guid}`, { headers: as(integrator.token, String(represented.id)) });
      expect(res.status).toBe(403);
      await app.admin('PUT', `/admin/accounts/${integrator.id}/represents`, { providerAccountIds: [represented.id] });
    });

    it('validates the admin call: unknown account 404, non-provider or unknown ids and bad bodies 400, nothing changed', async () => {
      expect((await app.admin('PUT', '/admin/accounts/2147483000/represents', { providerAccountIds: [] })).status).toBe(404);
      expect((await app.admin('GET', '/admin/accounts/2147483000/represents')).status).toBe(404);
      const cases: Array<[unknown, string]> = [
        [{ providerAccountIds: [partner.id] }, `providerAccountIds: account ${partner.id} is not a provider account`],
        [{ providerAccountIds: [2147483000] }, 'providerAccountIds: account 2147483000 not found'],
        [{ providerAccountIds: ['7'] }, 'child "providerAccountIds" fails because ["providerAccountIds" must contain account ids (positive integers)]'],
        [{ providerAccountIds: 7 }, 'child "providerAccountIds" fails because ["providerAccountIds" must be an array]'],
        [{}, 'child "providerAccountIds" fails because ["providerAccountIds" is required]'],
      ];
      for (const [body, message] of cases) {
        const res = await app.admin('PUT', `/admin/accounts/${integrator.id}/represents`, body);
        expect([res.status, res.body]).toEqual([400, { error: { message } }]);
      }
      expect((await app.admin('GET', `/admin/accounts/${integrator.id}/represents`)).body).toEqual({ accountId: integrator.id, providerAccountIds: [represented.id] });
    });
  });
});
