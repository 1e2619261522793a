import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccountFixture, createAccount, createCase, createGroup, createUser, UserFixture } from './factories';
import { SseClient } from './support/sse-client';
import { ADMIN_TOKEN, HttpResult, startTestApp, TestApp } from './support/test-app';

jest.setTimeout(30_000);

const V3 = '/api/v3/case-messages';
/** A heartbeat far beyond the test's timeouts: a stream that ends, ends because of the auth-cache TTL. */
const STREAM_TIMING = { SSE_HEARTBEAT_MS: '300000', AUTH_CACHE_TTL_MS: '1000' };
const ADMIN_ACTOR = `admin:${createHash('sha256').update(ADMIN_TOKEN).digest('hex').slice(0, 8)}`;

describe('operators: the lifecycle of accounts, cases, users, groups and tokens', () => {
  let app: TestApp;
  const streams: SseClient[] = [];
  const v3 = (account: AccountFixture, method: string, path: string, body?: unknown): Promise<HttpResult> =>
    app.request(method, `${V3}${path}${path.includes('?') ? '&' : '?'}accessToken=${account.token}`, { body });
  const v2 = (user: UserFixture, method: string, path: string, body?: unknown): Promise<HttpResult> =>
    app.request(method, path, { body, headers: { authorization: `BimPlus ${user.token}` } });
  const send = async (from: UserFixture, to: string, extra: Record<string, unknown> = {}) => {
    const res = await v2(from, 'POST', '/v2/messages', { receiver: { id: to }, source: 'Jobs', topic: 'done', severity: 'info', returnCode: 'OK', ...extra });
    if (res.status !== 201) throw new Error(`send: ${res.status} ${res.text}`);
    return res.body;
  };
  const sql = <T = any>(text: string, params: unknown[] = []): Promise<T[]> => app.running.app.get(DataSource).query(text, params);
  /** The path and query of a Link: rel="next" header. */
  const nextOf = (res: HttpResult) => /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1];

  beforeAll(async () => {
    app = await startTestApp(STREAM_TIMING);
  });
  afterAll(async () => {
    await Promise.all(streams.map((s) => s.close()));
    await app.close();
  });

  describe('accounts', () => {
    it('lists accounts page by page, searchable by name and filtered by type', async () => {
      const tag = randomUUID().slice(0, 8);
      const made = [];
      for (const name of [`Alpha ${tag}`, `Beta ${tag}`, `alpha two ${tag}`]) made.push(await createAccount(app, 'provider', name));
      const first = await app.admin('GET', `/admin/accounts?q=${tag}&limit=2`);
      expect(first.status).toBe(200);
      expect(first.body.map((a: { id: number }) => a.id)).toEqual([made[0].id, made[1].id]);
      expect(first.body[0]).toEqual({ id: made[0].id, type: 'provider', name: `Alpha ${tag}`, status: 'active', createdAt: expect.any(String), deactivatedAt: null, webhookUrl: null });
      const next = nextOf(first);
      expect(next).toMatch(/^\/admin\/accounts\?q=.*&limit=2&cursor=/);
      const second = await app.admin('GET', next!);
      expect(second.body.map((a: { id: number }) => a.id)).toEqual([made[2].id]);
      expect(second.headers.get('link')).toBeNull();
      const alpha = await app.admin('GET', `/admin/accounts?q=ALPHA%20${tag}`);
      expect(alpha.body.map((a: { name: string }) => a.name)).toEqual([`Alpha ${tag}`]);
      expect((await app.admin('GET', `/admin/accounts?q=${tag}&type=partner`)).body).toEqual([]);
      // LIKE's wildcards are taken literally.
      expect((await app.admin('GET', `/admin/accounts?q=%25${tag}`)).body).toEqual([]);
    });

    it.each([
      ['/admin/accounts?limit=0', 'child "limit" fails because ["limit" must be greater than or equal to 1]'],
      ['/admin/accounts?type=insurer', 'child "type" fails because ["type" must be one of [partner, provider]]'],
      ['/admin/accounts?status=gone', 'child "status" fails because ["status" must be one of [active, deactivated]]'],
      ['/admin/accounts?cursor=bm90LW91cnM', 'cursor is invalid; use the Link header of the previous page'],
      ['/admin/accounts?sort=name', '"sort" is not allowed'],
    ])('refuses %s', async (path, message) => {
      const res = await app.admin('GET', path);
      expect(res).toMatchObject({ status: 400, body: { error: { message } } });
    });

    it('gets and renames an account; an unknown one is a 404', async () => {
      const account = await createAccount(app, 'partner');
      expect((await app.admin('GET', `/admin/accounts/${account.id}`)).body).toMatchObject({ id: account.id, type: 'partner' });
      const renamed = await app.admin('PATCH', `/admin/accounts/${account.id}`, { name: 'Renamed AG' });
      expect(renamed).toMatchObject({ status: 200, body: { id: account.id, name: 'Renamed AG' } });
      expect(await app.admin('PATCH', `/admin/accounts/${account.id}`, { name: '' })).toMatchObject({
        status: 400,
        body: { error: { message: 'child "name" fails because ["name" must be longer than or equal to 1 characters]' } },
      });
      expect(await app.admin('PATCH', `/admin/accounts/${account.id}`, { name: 'x', type: 'provider' })).toMatchObject({ status: 400, body: { error: { message: '"type" is not allowed' } } });
      expect(await app.admin('GET', '/admin/accounts/2147483647')).toMatchObject({ status: 404, body: { error: { message: 'Account not found' } } });
      expect((await app.admin('PATCH', '/admin/accounts/2147483647', { name: 'x' })).status).toBe(404);
      expect((await app.admin('POST', '/admin/accounts/2147483647/deactivate')).status).toBe(404);
    });

    it('deactivates an account: its tokens answer 401 until it is reactivated; twice is not an error', async () => {
      const partner = await createAccount(app, 'partner');
      const provider = await createAccount(app, 'provider');
      const kase = await createCase(app, partner, provider);
      expect((await v3(partner, 'GET', `?guid=${kase.guid}`)).status).toBe(200);
      const off = await app.admin('POST', `/admin/accounts/${partner.id}/deactivate`);
      expect(off).toMatchObject({ status: 200, body: { id: partner.id, status: 'deactivated', deactivatedAt: expect.any(String) } });
      const again = await app.admin('POST', `/admin/accounts/${partner.id}/deactivate`);
      expect(again).toMatchObject({ status: 200, body: { status: 'deactivated', deactivatedAt: off.body.deactivatedAt } });
      expect(await v3(partner, 'GET', `?guid=${kase.guid}`)).toMatchObject({ status: 401, body: { error: { message: 'Account deactivated' } } });
      expect((await app.admin('GET', `/admin/accounts?status=deactivated&type=partner`)).body.map((a: { id: number }) => a.id)).toContain(partner.id);
      expect((await app.admin('GET', `/admin/accounts?status=active&type=partner`)).body.map((a: { id: number }) => a.id)).not.toContain(partner.id);
      expect((await v3(provider, 'GET', `?guid=${kase.guid}`)).status).toBe(200);
      expect(await app.admin('POST', `/admin/accounts/${partner.id}/reactivate`)).toMatchObject({ status: 200, body: { status: 'active', deactivatedAt: null } });
      expect((await v3(partner, 'GET', `?guid=${kase.guid}`)).status).toBe(200);
    });

    it('lists tokens with their last use and revocation, never a secret or a hash', async () => {
      const account = await createAccount(app, 'provider');
      const second = await app.admin('POST', `/admin/accounts/${account.id}/tokens`, { label: 'export' });
      const before = await app.admin('GET', `/admin/accounts/${account.id}/tokens`);
      expect(before.status).toBe(200);
      expect(before.body).toEqual([
        { id: account.tokenId, label: null, createdAt: expect.any(String), lastUsedAt: null, revokedAt: null },
        { id: second.body.id, label: 'export', createdAt: expect.any(String), lastUsedAt: null, revokedAt: null },
      ]);
      const started = Date.now();
      await v3(account, 'GET', '/feed');
      await app.admin('DELETE', `/admin/tokens/${second.body.id}`);
      const after = await app.admin('GET', `/admin/accounts/${account.id}/tokens?limit=1`);
      expect(after.body).toHaveLength(1);
      expect(Date.parse(after.body[0].lastUsedAt)).toBeGreaterThanOrEqual(started - 1000);
      const rest = await app.admin('GET', nextOf(after)!);
      expect(rest.body).toEqual([expect.objectContaining({ id: second.body.id, lastUsedAt: null, revokedAt: expect.any(String) })]);
      expect(rest.text).not.toContain(account.token);
      expect((await app.admin('GET', '/admin/accounts/2147483647/tokens')).status).toBe(404);
    });

    it('writes token uses in one batch, not per request', async () => {
      const account = await createAccount(app, 'provider');
      await v3(account, 'GET', '/feed');
      await v3(account, 'GET', '/feed');
      // Until the recorder's minute is up, the row is unchanged: no request wrote it.
      expect(await sql(`SELECT last_used_at FROM api_tokens WHERE id = $1`, [account.tokenId])).toEqual([{ last_used_at: null }]);
    });
  });

  describe('cases', () => {
    let partner: AccountFixture;
    let provider: AccountFixture;
    let other: AccountFixture;
    let kase: { id: number; guid: string };
    beforeAll(async () => {
      [partner, provider, other] = await Promise.all([createAccount(app, 'partner'), createAccount(app, 'provider'), createAccount(app, 'provider')]);
      kase = await createCase(app, partner, provider);
    });

    it('lists the cases of an account and gets one by guid', async () => {
      const list = await app.admin('GET', `/admin/cases?accountId=${provider.id}`);
      expect(list.body).toEqual([{ id: kase.id, guid: kase.guid, partnerAccountId: partner.id, providerAccountId: provider.id, createdAt: expect.any(String) }]);
      expect((await app.admin('GET', `/admin/cases/${kase.guid.toUpperCase()}`)).body).toMatchObject({ id: kase.id });
      expect(await app.admin('GET', `/admin/cases/${randomUUID()}`)).toMatchObject({ status: 404, body: { error: { message: 'Case not found' } } });
      expect((await app.admin('GET', '/admin/cases/not-a-guid')).status).toBe(400);
      expect((await app.admin('GET', '/admin/cases?accountId=x')).status).toBe(400);
    });

    it('refuses to forward to a partner account, to its own provider or to no account (400)', async () => {
      const path = `/admin/cases/${kase.guid}`;
      expect(await app.admin('PATCH', path, { providerAccountId: partner.id })).toMatchObject({
        status: 400,
        body: { error: { message: `providerAccountId: account ${partner.id} is not a provider account` } },
      });
      expect(await app.admin('PATCH', path, { providerAccountId: provider.id })).toMatchObject({
        status: 400,
        body: { error: { message: `providerAccountId: account ${provider.id} is already the case's provider` } },
      });
      expect((await app.admin('PATCH', path, { providerAccountId: 2147483647 })).status).toBe(400);
      expect((await app.admin('PATCH', path, {})).status).toBe(400);
      expect((await app.admin('PATCH', `/admin/cases/${randomUUID()}`, { providerAccountId: other.id })).status).toBe(404);
    });

    it('forwards a case: the old provider loses access, the new one sees the messages', async () => {
      const created = await v3(partner, 'POST', '/create', { guid: kase.guid, type: 'serviceComment', content: 'before forwarding' });
      expect(created.status).toBe(200);
      const forwarded = await app.admin('PATCH', `/admin/cases/${kase.guid}`, { providerAccountId: other.id });
      expect(forwarded).toMatchObject({ status: 200, body: { guid: kase.guid, providerAccountId: other.id } });
      expect((await v3(provider, 'GET', `?guid=${kase.guid}`)).status).toBeGreaterThanOrEqual(403);
      const seen = await v3(other, 'GET', `?guid=${kase.guid}`);
      expect(seen.status).toBe(200);
      expect(seen.body.map((m: { content: string }) => m.content)).toEqual(['before forwarding']);
    });
  });

  describe('users', () => {
    it('lists users by e-mail, searchable, filtered by role, and updates one', async () => {
      const tag = randomUUID().slice(0, 8);
      const b = await createUser(app, 'user', undefined, `b.${tag}@example.com`);
      const a = await createUser(app, 'service', undefined, `A.${tag}@example.com`);
      const list = await app.admin('GET', `/admin/users?q=${tag}`);
      expect(list.body.map((u: { id: string }) => u.id)).toEqual([a.id, b.id]);
      expect(list.body[0]).toEqual({ id: a.id, email: `A.${tag}@example.com`, name: null, role: 'service', status: 'active', createdAt: expect.any(String), deactivatedAt: null });
      const paged = await app.admin('GET', `/admin/users?q=${tag}&limit=1`);
      expect((await app.admin('GET', nextOf(paged)!)).body.map((u: { id: string }) => u.id)).toEqual([b.id]);
      expect((await app.admin('GET', `/admin/users?q=${tag}&role=user`)).body.map((u: { id: string }) => u.id)).toEqual([b.id]);
      const updated = await app.admin('PATCH', `/admin/users/${b.id}`, { name: 'Bea', email: `bea.${tag}@example.com` });
      expect(updated).toMatchObject({ status: 200, body: { id: b.id, name: 'Bea', email: `bea.${tag}@example.com`, role: 'user' } });
      expect(await app.admin('PATCH', `/admin/users/${b.id}`, { email: 'not-an-address' })).toMatchObject({
        status: 400,
        body: { error: { message: 'child "email" fails because ["email" must be an e-mail address]' } },
      });
      expect((await app.admin('PATCH', `/admin/users/${randomUUID()}`, { name: 'x' })).status).toBe(404);
      expect(await app.admin('GET', `/admin/users/${randomUUID()}`)).toMatchObject({ status: 404, body: { error: { message: 'User not found' } } });
    });

    it('deactivates a user: 401, skipped in group fan-out, no e-mail for a direct message; data stays', async () => {
      const [service, active, off] = await Promise.all([createUser(app, 'service'), createUser(app), createUser(app)]);
      const group = await createGroup(app, [active, off]);
      const kept = await send(service, off.id);
      expect((await app.admin('POST', `/admin/users/${off.id}/deactivate`)).body).toMatchObject({ status: 'deactivated' });
      expect((await app.admin('POST', `/admin/users/${off.id}/deactivate`)).status).toBe(200);
      expect(await v2(off, 'GET', `/v2/user/${off.id}/messages`)).toMatchObject({ status: 401, body: { error: { message: 'User deactivated' } } });
      const toGroup = await send(service, group.id);
      const direct = await send(service, off.id);
      const rows = await sql(`SELECT message_id FROM user_message_recipients WHERE user_id = $1 ORDER BY message_id`, [off.id]);
      expect(rows.map((r) => r.message_id).sort()).toEqual([kept.id, direct.id].sort());
      expect(await sql(`SELECT 1 FROM user_message_recipients WHERE user_id = $1 AND message_id = $2`, [active.id, toGroup.id])).toHaveLength(1);
      // The e-mail queued before deactivation is cancelled; none is queued after.
      const mails = await sql(`SELECT message_id, status FROM deliveries WHERE user_id = $1 ORDER BY id`, [off.id]);
      expect(mails.filter((m) => m.message_id !== kept.id)).toEqual([]);
      expect(mails.every((m) => m.status === 'cancelled' || m.status === 'sent')).toBe(true);
      expect(await sql(`SELECT count(*)::int AS n FROM user_stream_events WHERE user_id = $1 AND message_id = $2`, [off.id, direct.id])).toEqual([{ n: 0 }]);
      await app.admin('POST', `/admin/users/${off.id}/reactivate`);
      const inbox = await v2(off, 'GET', `/v2/user/${off.id}/messages`);
      expect(inbox.status).toBe(200);
      expect(inbox.body.map((m: { id: string }) => m.id).sort()).toEqual([kept.id, direct.id].sort());
    });

    it("ends a deactivated user's open streams on another instance within AUTH_CACHE_TTL_MS, not at the heartbeat, and refuses new ones", async () => {
      // On a database server the stream is held by a second instance, which hears of the deactivation only from the database.
      const other = app.databaseUrl ? await startTestApp({ ...STREAM_TIMING, WORKERS_ENABLED: 'false' }, { shareDatabaseUrl: app.databaseUrl }) : app;
      try {
        const user = await createUser(app);
        const stream = await SseClient.open(`${other.baseUrl}/v2/user/me/messages/stream`, { authorization: `BimPlus ${user.token}` });
        streams.push(stream);
        expect(stream.status).toBe(200);
        expect((await app.admin('POST', `/admin/users/${user.id}/deactivate`)).status).toBe(200);
        await stream.waitUntilEnded();
        expect(stream.comments).toBe(1); // the ': connected' preamble: no heartbeat came before the end
        // Refused at once where the deactivation happened; the other instance's cached token expires within the same TTL.
        const again = await SseClient.open(`${app.baseUrl}/v2/user/me/messages/stream`, { authorization: `BimPlus ${user.token}` });
        streams.push(again);
        expect(again.status).toBe(401);
      } finally {
        if (other !== app) await other.close();
      }
    });

    it('lists the tokens of a user', async () => {
      const user = await createUser(app);
      const res = await app.admin('GET', `/admin/users/${user.id}/tokens`);
      expect(res.body).toEqual([{ id: user.tokenId, label: null, createdAt: expect.any(String), lastUsedAt: null, revokedAt: null }]);
      expect((await app.admin('GET', `/admin/users/${randomUUID()}/tokens`)).status).toBe(404);
    });
  });

  describe('groups', () => {
    it('lists, gets, updates and deletes a group; sent messages stay', async () => {
      const [service, member] = await Promise.all([createUser(app, 'service'), createUser(app)]);
      const tag = randomUUID().slice(0, 8);
      const group = await app.admin('POST', '/admin/groups', { name: `zz ${tag}`, memberIds: [member.id] });
      const message = await send(service, group.body.id);
      const list = await app.admin('GET', '/admin/groups?limit=1000');
      expect(list.body).toContainEqual({ id: group.body.id, name: `zz ${tag}`, description: null });
      expect((await app.admin('GET', `/admin/groups/${group.body.id}`)).body).toEqual({ id: group.body.id, name: `zz ${tag}`, description: null, memberIds: [member.id] });
      const updated = await app.admin('PATCH', `/admin/groups/${group.body.id}`, { name: `Renamed ${tag}`, description: 'Night shift' });
      expect(updated).toMatchObject({ status: 200, body: { name: `Renamed ${tag}`, description: 'Night shift', memberIds: [member.id] } });
      expect((await app.admin('PATCH', `/admin/groups/${group.body.id}`, { name: '' })).status).toBe(400);
      expect(await app.admin('DELETE', `/admin/groups/${group.body.id}`)).toMatchObject({ status: 200, body: { id: group.body.id, deleted: true } });
      expect((await app.admin('DELETE', `/admin/groups/${group.body.id}`)).status).toBe(404);
      expect((await app.admin('GET', `/admin/groups/${group.body.id}`)).status).toBe(404);
      expect((await v2(member, 'GET', `/v2/messages/${message.id}`)).status).toBe(200);
    });
  });

  describe('audit log', () => {
    it('records every admin write with the actor, the target and the secrets masked', async () => {
      const account = await createAccount(app, 'provider');
      await app.admin('PUT', `/admin/accounts/${account.id}/webhook`, { url: 'http://127.0.0.1:9/hook', secret: 'a-long-enough-secret' });
      await app.admin('POST', `/admin/accounts/${account.id}/deactivate`);
      await app.admin('PATCH', `/admin/accounts/${account.id}`, { name: '' });
      const res = await app.admin('GET', `/admin/audit?target=account:${account.id}`);
      expect(res.status).toBe(200);
      expect(res.body.map((e: { action: string }) => e.action)).toEqual(['accounts:deactivate', 'accounts:webhook', 'accounts:token', 'accounts:create']);
      expect(res.body[0]).toEqual({ id: expect.any(String), at: expect.any(String), actor: ADMIN_ACTOR, action: 'accounts:deactivate', target: `account:${account.id}`, details: { params: { id: String(account.id) } } });
      expect(res.body[1].details.body).toEqual({ url: 'http://127.0.0.1:9/hook', secret: '***' });
      expect(res.body[2].details.result).toEqual({ id: account.tokenId });
      expect(res.text).not.toContain('a-long-enough-secret');
      expect(res.text).not.toContain(account.token);
      const paged = await app.admin('GET', `/admin/audit?target=account:${account.id}&limit=3`);
      expect(paged.body).toHaveLength(3);
      expect((await app.admin('GET', nextOf(paged)!)).body.map((e: { action: string }) => e.action)).toEqual(['accounts:create']);
      const byAction = await app.admin('GET', `/admin/audit?action=accounts:webhook&limit=1000`);
      expect(byAction.body.every((e: { action: string }) => e.action === 'accounts:webhook')).toBe(true);
      expect((await app.admin('GET', '/admin/audit?cursor=abc')).status).toBe(400);
      expect((await app.request('GET', '/admin/audit')).status).toBe(401);
    });
  });

  describe('erasure', () => {
    it('refuses without erase=true, erases in one go with a report, then answers 404', async () => {
      const email = `Erase.Me.${randomUUID().slice(0, 8)}@example.com`;
      const [service, other] = await Promise.all([createUser(app, 'service'), createUser(app)]);
      const person = await createUser(app, 'user', undefined, email);
      const group = await createGroup(app, [person, other]);
      const partner = await createAccount(app, 'partner');
      const kase = await createCase(app, partner, await createAccount(app, 'provider'));
      await v3(partner, 'POST', '/create', { guid: kase.guid, type: 'serviceComment', content: 'case note', userEmail: email.toLowerCase(), userName: 'Erase Me' });
      const toPerson = await send(service, person.id);
      await send(service, group.id);
      const sent = await send(person, other.id, { additionalData: 'kept content' });
      await v2(service, 'POST', '/v2/messages', { receiver: { id: person.id }, source: 'Jobs', topic: 't', severity: 'info', returnCode: 'OK' });
      await app.admin('PATCH', `/admin/users/${person.id}`, { name: 'Erase Me' });

      const refused = await app.admin('DELETE', `/admin/users/${person.id}`);
      expect(refused).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('cannot be undone') } } });
      const erased = await app.admin('DELETE', `/admin/users/${person.id}?erase=true`);
      expect(erased.status).toBe(200);
      expect(erased.body).toMatchObject({ erased: true, tokens: 1, groupMemberships: 1, recipientRows: 3, sentMessagesScrubbed: 1, receivedMessagesScrubbed: 2, caseMessagesScrubbed: 1 });
      expect(erased.body.deliveries).toBeGreaterThanOrEqual(3);
      expect((await app.admin('DELETE', `/admin/users/${person.id}?erase=true`)).status).toBe(404);
      expect((await app.admin('GET', `/admin/users/${person.id}`)).status).toBe(404);
      expect((await v2(person, 'GET', `/v2/user/${person.id}/messages`)).status).toBe(401);

      // The message the person sent stays with its recipient, without the sender.
      const kept = await v2(other, 'GET', `/v2/messages/${sent.id}`);
      expect(kept.status).toBe(200);
      expect(kept.body.additionalData).toBe('kept content');
      expect(JSON.stringify(kept.body)).not.toContain(person.id);
      expect((await v2(service, 'GET', `/v2/messages/${toPerson.id}`)).status).toBeLessThan(500);

      // Nothing anywhere names the person: every column of every table, as text.
      const tables = await sql<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
      expect(tables.length).toBeGreaterThan(10);
      const found: string[] = [];
      for (const { table_name } of tables) {
        const [row] = await sql(`SELECT count(*)::int AS n FROM "${table_name}" t WHERE t::text ILIKE $1 OR t::text ILIKE $2`, [`%${person.id}%`, `%${email}%`]);
        if (row.n > 0) found.push(`${table_name}: ${row.n}`);
      }
      expect(found).toEqual([]);

      // The audit log keeps the erasure under a pseudonym that the id leads to.
      const pseudonym = `user:erased:${createHash('sha256').update(person.id).digest('hex').slice(0, 16)}`;
      const audit = await app.admin('GET', `/admin/audit?target=${pseudonym}`);
      expect(audit.body.map((e: { action: string }) => e.action)).toEqual(['users:erase', 'users:update', 'users:token', 'users:create']);
      expect(audit.body[0].details).toEqual({});
    });
  });
});
