import { randomUUID } from 'node:crypto';
import { createAccount, createUser } from './factories';
import { startTestApp, TestApp } from './support/test-app';

describe('admin API', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  describe('authentication', () => {
    it('rejects calls without the admin token', async () => {
      const res = await app.request('POST', '/admin/accounts', { body: { type: 'partner', name: 'x' } });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { message: 'Missing admin token: use "Authorization: Bearer <ADMIN_TOKEN>"' } });
    });

    it('rejects a wrong admin token', async () => {
      const res = await app.request('POST', '/admin/accounts', { body: { type: 'partner', name: 'x' }, headers: { authorization: 'Bearer wrong-token-wrong-token' } });
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe('Invalid admin token');
    });

    it('rejects an account token on admin routes', async () => {
      const partner = await createAccount(app, 'partner');
      const res = await app.request('POST', '/admin/accounts', { body: { type: 'partner', name: 'x' }, headers: { authorization: `Bearer ${partner.token}` } });
      expect(res.status).toBe(401);
    });
  });

  describe('accounts', () => {
    it('creates partner and provider accounts', async () => {
      const res = await app.admin('POST', '/admin/accounts', { type: 'provider', name: 'Workshop Ltd' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(Number), type: 'provider', name: 'Workshop Ltd', webhookUrl: null });
    });

    it.each([
      [{ name: 'x' }, 'child "type" fails because ["type" is required]'],
      [{ type: 'insurer', name: 'x' }, 'child "type" fails because ["type" must be one of [partner, provider]]'],
      [{ type: 'partner' }, 'child "name" fails because ["name" is required]'],
      [{ type: 'partner', name: 'x', extra: 1 }, '"extra" is not allowed'],
      [{ type: 'partner', name: 'x'.repeat(256) }, 'child "name" fails because ["name" must be shorter than or equal to 255 characters]'],
      // A value of the wrong type is reported as that, not as failing a length check it cannot pass.
      [{ type: 'partner', name: 5 }, 'child "name" fails because ["name" must be a string]'],
      [{ type: 'partner', name: '' }, 'child "name" fails because ["name" must be longer than or equal to 1 characters]'],
    ])('rejects %j', async (body, message) => {
      const res = await app.admin('POST', '/admin/accounts', body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { message } });
    });

    it('issues tokens only for existing accounts', async () => {
      const res = await app.admin('POST', '/admin/accounts/999999/tokens', {});
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { message: 'Account not found' } });
      // Path ids are 1..2^31-1: 0 is malformed, the largest int4 is simply not there.
      expect(await app.admin('POST', '/admin/accounts/0/tokens', {})).toMatchObject({ status: 400, body: { error: { message: 'id must be a positive integer' } } });
      expect((await app.admin('POST', '/admin/accounts/2147483647/tokens', {})).status).toBe(404);
      const bad = await app.admin('POST', '/admin/accounts/abc/tokens', {});
      expect(bad.status).toBe(400);
    });

    it('issues 256-bit tokens shown once', async () => {
      const account = await createAccount(app, 'partner');
      expect(account.token).toMatch(/^[0-9a-f]{64}$/);
      expect(account.tokenId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('sets a webhook with an http(s) url and refuses others', async () => {
      const account = await createAccount(app, 'provider');
      const ok = await app.admin('PUT', `/admin/accounts/${account.id}/webhook`, { url: 'http://127.0.0.1:9/hook', secret: 'a-long-enough-secret' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ id: account.id, webhookUrl: 'http://127.0.0.1:9/hook' });
      expect(JSON.stringify(ok.body)).not.toContain('a-long-enough-secret');
      const ftp = await app.admin('PUT', `/admin/accounts/${account.id}/webhook`, { url: 'ftp://example.com/x', secret: 'a-long-enough-secret' });
      expect(ftp.status).toBe(400);
      expect(ftp.body.error.message).toBe('url must use http or https');
      const missing = await app.admin('PUT', `/admin/accounts/424242/webhook`, { url: 'http://127.0.0.1/x', secret: 'a-long-enough-secret' });
      expect(missing.status).toBe(404);
      const shortSecret = await app.admin('PUT', `/admin/accounts/${account.id}/webhook`, { url: 'http://127.0.0.1:9/hook', secret: 'fifteen-chars-x' });
      expect(shortSecret.body).toEqual({ error: { message: 'child "secret" fails because ["secret" must be longer than or equal to 16 characters]' } });
      // The account is looked up first: an unknown one is a 404 whatever the URL (was a 400 for a refused URL).
      const missingFtp = await app.admin('PUT', `/admin/accounts/424242/webhook`, { url: 'ftp://example.com/x', secret: 'a-long-enough-secret' });
      expect(missingFtp.status).toBe(404);
      expect(missingFtp.body).toEqual({ error: { message: 'Account not found' } });
    });
  });

  describe('cases', () => {
    it('creates a case with a given or generated guid, and refuses duplicates', async () => {
      const partner = await createAccount(app, 'partner');
      const provider = await createAccount(app, 'provider');
      const guid = randomUUID();
      const res = await app.admin('POST', '/admin/cases', { guid, partnerAccountId: partner.id, providerAccountId: provider.id });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: expect.any(Number), guid, partnerAccountId: partner.id, providerAccountId: provider.id });
      const again = await app.admin('POST', '/admin/cases', { guid, partnerAccountId: partner.id, providerAccountId: provider.id });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toBe(`A case with guid ${guid} already exists`);
      const generated = await app.admin('POST', '/admin/cases', { partnerAccountId: partner.id, providerAccountId: provider.id });
      expect(generated.status).toBe(201);
      expect(generated.body.guid).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('refuses swapped roles and unknown accounts', async () => {
      const partner = await createAccount(app, 'partner');
      const provider = await createAccount(app, 'provider');
      const swapped = await app.admin('POST', '/admin/cases', { partnerAccountId: provider.id, providerAccountId: partner.id });
      expect(swapped.status).toBe(400);
      expect(swapped.body.error.message).toBe(`partnerAccountId: account ${provider.id} is not a partner account`);
      const unknown = await app.admin('POST', '/admin/cases', { partnerAccountId: partner.id, providerAccountId: 987654 });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toBe('providerAccountId: account 987654 not found');
      // Beyond the int4 column: a 400 naming the field (was a 500 from PostgreSQL).
      const tooBig = await app.admin('POST', '/admin/cases', { partnerAccountId: 3_000_000_000, providerAccountId: provider.id });
      expect(tooBig.status).toBe(400);
      expect(tooBig.body.error.message).toBe('child "partnerAccountId" fails because ["partnerAccountId" must be less than or equal to 2147483647]');
      for (const [partnerAccountId, reason] of [['1', 'must be an integer'], [1.5, 'must be an integer'], [0, 'must be a positive number']] as const) {
        const bad = await app.admin('POST', '/admin/cases', { partnerAccountId, providerAccountId: provider.id });
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toBe(`child "partnerAccountId" fails because ["partnerAccountId" ${reason}]`);
      }
      const badGuid = await app.admin('POST', '/admin/cases', { guid: 'nope', partnerAccountId: partner.id, providerAccountId: provider.id });
      expect(badGuid.status).toBe(400);
      expect(badGuid.body.error.message).toBe('child "guid" fails because ["guid" must be a valid GUID]');
    });
  });

  describe('users, groups and tokens', () => {
    it('creates users with a given id and refuses duplicates', async () => {
      const id = '1110ac3b-fa49-e540-ac2f-8caff3dd72ed';
      const res = await app.admin('POST', '/admin/users', { id, email: 'customer1@bimplus.net', name: 'Customer One', role: 'service' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id, email: 'customer1@bimplus.net', name: 'Customer One', role: 'service' });
      const again = await app.admin('POST', '/admin/users', { id, email: 'other@bimplus.net' });
      expect(again.status).toBe(409);
      const badEmail = await app.admin('POST', '/admin/users', { email: 'not-an-email' });
      expect(badEmail.status).toBe(400);
      expect(badEmail.body.error.message).toBe('child "email" fails because ["email" must be an e-mail address]');
      const numericName = await app.admin('POST', '/admin/users', { email: 'named@bimplus.net', name: 42 });
      expect(numericName.status).toBe(400);
      expect(numericName.body.error.message).toBe('child "name" fails because ["name" must be a string]');
    });

    it('creates groups, replaces members, refuses unknown members and duplicates', async () => {
      const a = await createUser(app);
      const b = await createUser(app);
      const group = await app.admin('POST', '/admin/groups', { name: 'Team', memberIds: [a.id, a.id] });
      expect(group.status).toBe(201);
      expect(group.body).toEqual({ id: expect.any(String), name: 'Team', description: null, memberIds: [a.id] });
      const dup = await app.admin('POST', '/admin/groups', { id: group.body.id, name: 'Team', memberIds: [] });
      expect(dup.status).toBe(409);
      const replaced = await app.admin('PUT', `/admin/groups/${group.body.id}/members`, { memberIds: [a.id, b.id] });
      expect(replaced.status).toBe(200);
      expect(replaced.body.memberIds.sort()).toEqual([a.id, b.id].sort());
      const described = await app.admin('POST', '/admin/groups', { name: 'Described', description: 'd'.repeat(1001), memberIds: [] });
      expect(described.status).toBe(400);
      const unknownMember = randomUUID();
      const bad = await app.admin('PUT', `/admin/groups/${group.body.id}/members`, { memberIds: [unknownMember] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe(`memberIds: unknown user ${unknownMember}`);
      const missing = await app.admin('PUT', `/admin/groups/${randomUUID()}/members`, { memberIds: [] });
      expect(missing.status).toBe(404);
    });

    it('refuses a group id that is already a user id, and a user id that is already a group id (409): one id must address one receiver', async () => {
      const [user, member] = await Promise.all([createUser(app), createUser(app)]);
      const group = await app.admin('POST', '/admin/groups', { id: user.id, name: 'Clash', memberIds: [member.id] });
      expect(group.status).toBe(409);
      expect(group.body.error.message).toEqual(expect.any(String));
      const existing = await app.admin('POST', '/admin/groups', { name: 'Team', memberIds: [member.id] });
      expect(existing.status).toBe(201);
      const sameAsGroup = await app.admin('POST', '/admin/users', { id: existing.body.id.toUpperCase(), email: 'clash@example.com' });
      expect(sameAsGroup.status).toBe(409);
    });

    it('revokes tokens once they exist', async () => {
      const user = await createUser(app);
      // A GUID in capitals names the same token (ids are compared lower-cased).
      const res = await app.admin('DELETE', `/admin/tokens/${user.tokenId.toUpperCase()}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: user.tokenId, revoked: true });
      const unknown = await app.admin('DELETE', `/admin/tokens/${randomUUID()}`);
      expect(unknown.status).toBe(404);
      const malformed = await app.admin('DELETE', `/admin/tokens/xyz`);
      expect(malformed.status).toBe(400);
    });

    it('issues user tokens only for existing users', async () => {
      const res = await app.admin('POST', `/admin/users/${randomUUID()}/tokens`, {});
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { message: 'User not found' } });
    });
  });
});

describe('admin API without ADMIN_TOKEN', () => {
  it('answers 404 on every admin route, saying how to switch it on', async () => {
    const app = await startTestApp({ ADMIN_TOKEN: '' });
    try {
      const off = { error: { message: 'Not found: the admin API is off; set ADMIN_TOKEN to enable it' } };
      const res = await app.request('POST', '/admin/accounts', { body: { type: 'partner', name: 'x' }, headers: { authorization: 'Bearer anything-at-all-here' } });
      expect(res.status).toBe(404);
      expect(res.body).toEqual(off);
      const deliveries = await app.request('GET', '/admin/deliveries?status=failed');
      expect(deliveries.status).toBe(404);
      expect(deliveries.body).toEqual(off);
    } finally {
      await app.close();
    }
  });
});
