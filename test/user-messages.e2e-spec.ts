import { DataSource } from 'typeorm';
import { IdempotencyKeyPruner } from '../src/user-messages/idempotency-key.pruner';
import { createAccount, createGroup, createUser, UserFixture } from './factories';
import { HttpResult, startTestApp, TestApp } from './support/test-app';

const MESSAGE_KEYS = [
  'additionalData',
  'correlationId',
  'id',
  'receiver',
  'receiverType',
  'returnCode',
  'sender',
  'severity',
  'source',
  'timestamp',
  'topic',
  'unreadBrowserNotification',
  'unreadEmail',
];
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('user messages v2', () => {
  let app: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let carol: UserFixture;
  let service: UserFixture;

  const as = (user: UserFixture | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> =>
    app.request(method, path, { body, headers: { ...(user ? { authorization: `BimPlus ${user.token}` } : {}), ...headers } });
  const send = async (from: UserFixture, body: Record<string, unknown>) => {
    const res = await as(from, 'POST', '/v2/messages', { source: 'ServiceName', topic: 'SKETCHUP_JOB', severity: 'Info', returnCode: 'OK', ...body });
    if (res.status !== 201) throw new Error(`send failed: ${res.status} ${res.text}`);
    return res.body;
  };

  beforeAll(async () => {
    app = await startTestApp();
    [alice, bob, carol, service] = await Promise.all([createUser(app), createUser(app), createUser(app), createUser(app, 'service')]);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('the seed examples', () => {
    it('creates a message from the seed body: case-insensitive keys, Warn → Warning, ignored id/timestamp, 201', async () => {
      const sender = await createUser(app, 'user', '1110ac3b-fa49-e540-ac2f-8caff3dd72ed');
      const receiver = await createUser(app, 'user', '1e2223bf-fa49-e540-ac2f-8caff3dd72ed');
      const res = await as(sender, 'POST', '/v2/messages', {
        id: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
        timestamp: '2001-01-01T00:00:00',
        sender: { id: '1110ac3b-fa49-e540-ac2f-8caff3dd72ed' },
        receiver: { id: '1e2223bf-fa49-e540-ac2f-8caff3dd72ed' },
        source: 'ServiceName',
        topic: 'SKETCHUP_JOB',
        severity: 'Warn',
        returncode: 'FILE_TOO_BIG',
        unreadBrowserNotification: true,
      });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(MESSAGE_KEYS);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        sender: { id: sender.id, email: sender.email },
        receiver: { id: receiver.id, email: receiver.email },
        receiverType: 'user',
        source: 'ServiceName',
        topic: 'SKETCHUP_JOB',
        severity: 'Warning',
        returnCode: 'FILE_TOO_BIG',
        timestamp: expect.stringMatching(ISO_UTC),
        unreadEmail: true,
        unreadBrowserNotification: true,
        additionalData: null,
        correlationId: null,
      });
      expect(res.body.id).not.toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
      expect(res.body.timestamp.startsWith('2001')).toBe(false);

      const inbox = await as(receiver, 'GET', `/v2/user/${receiver.id}/messages`);
      expect(inbox.status).toBe(200);
      expect(inbox.body).toEqual([res.body]);
      const one = await as(receiver, 'GET', `/v2/messages/${res.body.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(res.body);
    });

    it('accepts keys in any case at every level and ignores unknown keys', async () => {
      const res = await as(alice, 'POST', '/v2/messages', {
        RECEIVER: { Id: bob.id.toUpperCase(), EMAIL: 'Other.Address@example.com', extra: 1 },
        Source: 'S',
        TOPIC: 'T',
        severity: 'ERROR',
        RETURNCODE: 'RC',
        UnreadEmail: false,
        unreadbrowsernotification: false,
        ADDITIONALDATA: 'more',
        correlationid: 'DE96F4AE-79FD-4D83-99E9-07CEC7A80906',
        somethingElse: { nested: true },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        receiver: { id: bob.id, email: 'Other.Address@example.com' },
        source: 'S',
        topic: 'T',
        severity: 'Error',
        returnCode: 'RC',
        unreadEmail: false,
        unreadBrowserNotification: false,
        additionalData: 'more',
        correlationId: 'de96f4ae-79fd-4d83-99e9-07cec7a80906',
      });
      expect(res.text).not.toMatch(/"returncode"|"RETURNCODE"|"Source"/);
    });

    it('deletes with 200 and an empty body; a second DELETE is 404', async () => {
      const message = await send(alice, { receiver: { id: bob.id } });
      const first = await as(bob, 'DELETE', `/v2/messages/${message.id}`);
      expect(first.status).toBe(200);
      expect(first.text).toBe('');
      const second = await as(bob, 'DELETE', `/v2/messages/${message.id}`);
      expect(second.status).toBe(404);
      expect(second.body).toEqual({ error: { message: 'Message not found' } });
    });

    it('answers exactly one of two simultaneous DELETEs with 200, by a recipient and by the sender', async () => {
      const forBob = await send(alice, { receiver: { id: bob.id } });
      const byRecipient = await Promise.all([1, 2].map(() => as(bob, 'DELETE', `/v2/messages/${forBob.id}`)));
      expect(byRecipient.map((r) => r.status).sort()).toEqual([200, 404]);
      const fromAlice = await send(alice, { receiver: { id: bob.id } });
      const bySender = await Promise.all([1, 2].map(() => as(alice, 'DELETE', `/v2/messages/${fromAlice.id}`)));
      expect(bySender.map((r) => r.status).sort()).toEqual([200, 404]);
    });
  });

  describe('authentication and visibility', () => {
    let message: any;
    beforeAll(async () => {
      message = await send(alice, { receiver: { id: bob.id } });
    });

    it.each([
      ['GET', (id: string) => `/v2/messages/${id}`],
      ['DELETE', (id: string) => `/v2/messages/${id}`],
      ['POST', (id: string) => `/v2/messages/${id}/markasreadbrowser`],
      ['POST', (id: string) => `/v2/messages/${id}/markasunreadbrowser`],
      ['POST', (id: string) => `/v2/messages/${id}/markasreademail`],
      ['POST', (id: string) => `/v2/messages/${id}/markasunreademail`],
      ['GET', () => `/v2/messages?filter=unread=true`],
      ['GET', () => `/v2/user/me/messages`],
      ['GET', () => `/v2/user/me/messages/unreadcount`],
      ['POST', () => `/v2/user/me/messages/markallasreadbrowser`],
      ['POST', () => `/v2/user/me/messages/markallasreademail`],
      ['POST', () => `/v2/messages`],
    ])('%s %s without a token is 401', async (method, path) => {
      const res = await as(undefined, method, path(message.id), method === 'POST' ? {} : undefined);
      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(/token/i);
    });

    it('rejects a bearer or unknown token', async () => {
      const bearer = await app.request('GET', '/v2/user/me/messages', { headers: { authorization: `Bearer ${bob.token}` } });
      expect(bearer.status).toBe(401);
      const unknown = await app.request('GET', '/v2/user/me/messages', { headers: { authorization: 'BimPlus 0000000000000000000000000000000000' } });
      expect(unknown.status).toBe(401);
      const lowerScheme = await app.request('GET', '/v2/user/me/messages', { headers: { authorization: `bimplus ${bob.token}` } });
      expect(lowerScheme.status).toBe(200);
    });

    it('answers 401 on every v2 route to a revoked user token and to a v3 account token, changing nothing', async () => {
      const leaving = await createUser(app);
      const kept = await send(alice, { receiver: { id: leaving.id } });
      expect((await as(leaving, 'GET', `/v2/messages/${kept.id}`)).status).toBe(200); // the token is now cached
      expect((await app.admin('DELETE', `/admin/tokens/${leaving.tokenId}`)).status).toBe(200);
      const account = await createAccount(app, 'partner');
      const asAccount = { ...leaving, token: account.token };
      const body = { receiver: { id: alice.id }, source: 's', topic: 't', severity: 'Info', returnCode: 'r' };
      const routes: [string, string, unknown?][] = [
        ['GET', `/v2/messages/${kept.id}`],
        ['DELETE', `/v2/messages/${kept.id}`],
        ['POST', `/v2/messages/${kept.id}/markasreadbrowser`],
        ['POST', `/v2/messages/${kept.id}/markasreademail`],
        ['GET', '/v2/messages?filter=unread=true'],
        ['GET', '/v2/user/me/messages'],
        ['GET', `/v2/user/${leaving.id}/messages/unreadcount`],
        ['POST', '/v2/user/me/messages/markallasreadbrowser'],
        ['POST', '/v2/messages', body],
      ];
      for (const caller of [leaving, asAccount]) {
        for (const [method, path, payload] of routes) {
          const res = await as(caller, method, path, payload);
          expect({ route: `${method} ${path}`, status: res.status, body: res.body }).toEqual({ route: `${method} ${path}`, status: 401, body: { error: { message: 'Invalid token' } } });
        }
      }
      const seenBySender = await as(alice, 'GET', `/v2/messages/${kept.id}`);
      expect(seenBySender.status).toBe(200);
      expect(seenBySender.body).toMatchObject({ unreadEmail: true, unreadBrowserNotification: true });
      const fromLeaving = await as(alice, 'GET', `/v2/messages?filter=sender.id=${leaving.id}`);
      expect(fromLeaving.status).toBe(200);
      expect(fromLeaving.body).toEqual([]);
    });

    it('shows the message to its recipient and its sender, 404 to a stranger and to an unrelated service user', async () => {
      expect((await as(bob, 'GET', `/v2/messages/${message.id}`)).status).toBe(200);
      expect((await as(alice, 'GET', `/v2/messages/${message.id}`)).status).toBe(200);
      const stranger = await as(carol, 'GET', `/v2/messages/${message.id}`);
      expect(stranger.status).toBe(404);
      expect(stranger.body).toEqual({ error: { message: 'Message not found' } });
      expect((await as(service, 'GET', `/v2/messages/${message.id}`)).status).toBe(404);
      expect((await as(carol, 'DELETE', `/v2/messages/${message.id}`)).status).toBe(404);
      expect((await as(carol, 'POST', `/v2/messages/${message.id}/markasreadbrowser`)).status).toBe(404);
      const stillThere = await as(bob, 'GET', `/v2/messages/${message.id}`);
      expect(stillThere.body.unreadBrowserNotification).toBe(true);
    });

    it('answers 400 for a malformed id and 404 for an unknown one', async () => {
      const bad = await as(bob, 'GET', '/v2/messages/not-a-guid');
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: { message: 'id must be a valid GUID' } });
      expect((await as(bob, 'POST', '/v2/messages/123/markasreademail')).status).toBe(400);
      expect((await as(bob, 'DELETE', '/v2/messages/123')).status).toBe(400);
      expect((await as(bob, 'GET', '/v2/messages/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    });

    it('gives the inbox, count and mark-all only to their owner', async () => {
      for (const path of [`/v2/user/${alice.id}/messages`, `/v2/user/${alice.id}/messages/unreadcount`]) {
        const res = await as(bob, 'GET', path);
        expect(res.status).toBe(403);
        expect(res.body.error.message).toBe('You can only access your own messages');
      }
      expect((await as(bob, 'POST', `/v2/user/${alice.id}/messages/markallasreadbrowser`)).status).toBe(403);
      expect((await as(bob, 'POST', `/v2/user/${alice.id}/messages/markallasreademail`)).status).toBe(403);
      expect((await as(service, 'GET', `/v2/user/${bob.id}/messages`)).status).toBe(403);
      expect((await as(bob, 'GET', `/v2/user/nobody/messages`)).status).toBe(400);
      const own = await as(bob, 'GET', `/v2/user/${bob.id.toUpperCase()}/messages`);
      expect(own.status).toBe(200);
      const me = await as(bob, 'GET', `/v2/user/ME/messages`);
      expect(me.body).toEqual(own.body);
    });
  });

  describe('senders', () => {
    it('defaults the sender to the caller', async () => {
      const message = await send(carol, { receiver: { id: bob.id } });
      expect(message.sender).toEqual({ id: carol.id, email: carol.email });
    });

    it('refuses another sender for a plain user (403) and allows it for a service user', async () => {
      const refused = await as(carol, 'POST', '/v2/messages', { sender: { id: alice.id }, receiver: { id: bob.id }, source: 's', topic: 't', severity: 'Info', returnCode: 'r' });
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ error: { message: 'Only a service user may name another sender' } });

      const onBehalf = await send(service, { sender: { id: alice.id }, receiver: { id: bob.id } });
      expect(onBehalf.sender).toEqual({ id: alice.id, email: alice.email });
      expect((await as(alice, 'GET', `/v2/messages/${onBehalf.id}`)).status).toBe(200);
      const explicit = await send(service, { sender: { id: '71e0ac3b-fa49-e540-ac2f-8caff3dd72ed', email: 'testuser1@bimplus.net' }, receiver: { id: bob.id } });
      expect(explicit.sender).toEqual({ id: '71e0ac3b-fa49-e540-ac2f-8caff3dd72ed', email: 'testuser1@bimplus.net' });
      const none = await send(service, { sender: null, receiver: { id: bob.id } });
      expect(none.sender).toBeNull();
    });

    it('matches the keys inside sender case-insensitively', async () => {
      const res = await as(service, 'POST', '/v2/messages', {
        SENDER: { ID: carol.id.toUpperCase(), EMAIL: 'Carol.Other@example.com' },
        receiver: { id: bob.id },
        source: 'S',
        topic: 'T',
        severity: 'Info',
        returnCode: 'OK',
      });
      expect(res.status).toBe(201);
      expect(res.body.sender).toEqual({ id: carol.id, email: 'Carol.Other@example.com' });
      expect((await as(carol, 'GET', `/v2/messages/${res.body.id}`)).status).toBe(200);
    });

    it('reads "sender": null from a plain user as the caller: only a service may send without a sender', async () => {
      const message = await send(carol, { sender: null, receiver: { id: bob.id } });
      expect(message.sender).toEqual({ id: carol.id, email: carol.email });
      const stored = await as(bob, 'GET', `/v2/messages/${message.id}`);
      expect(stored.body.sender).toEqual({ id: carol.id, email: carol.email });
    });

    it('lets a user name itself as sender but not change its address', async () => {
      const message = await send(carol, { sender: { id: carol.id.toUpperCase(), email: 'spoof@example.com' }, receiver: { id: bob.id } });
      expect(message.sender).toEqual({ id: carol.id, email: carol.email });
    });
  });

  describe('receivers and validation', () => {
    it('sends to the user\'s own address unless receiver.email overrides it', async () => {
      const own = await send(alice, { receiver: { id: bob.id } });
      expect(own.receiver).toEqual({ id: bob.id, email: bob.email });
      const override = await send(alice, { receiver: { id: bob.id, email: 'elsewhere@example.com' } });
      expect(override.receiver).toEqual({ id: bob.id, email: 'elsewhere@example.com' });
    });

    it('rejects a receiver that is neither a user nor a group', async () => {
      const res = await as(alice, 'POST', '/v2/messages', { receiver: { id: '00000000-0000-0000-0000-000000000001' }, source: 's', topic: 't', severity: 'Info', returnCode: 'r' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('child "receiver.id" fails because ["receiver.id" must be an existing user or group]');
    });

    const valid = () => ({ receiver: { id: bob.id }, source: 's', topic: 't', severity: 'Info', returnCode: 'r' });
    it.each([
      ['receiver', (b: any) => delete b.receiver, 'child "receiver" fails because ["receiver" is required]'],
      ['receiver type', (b: any) => (b.receiver = 'x'), 'child "receiver" fails because ["receiver" must be an object]'],
      ['receiver.id', (b: any) => (b.receiver = {}), 'child "receiver.id" fails because ["receiver.id" is required]'],
      ['receiver.id format', (b: any) => (b.receiver = { id: '1e2223b-fa49-e540-ac2f-8caff3dd72ed' }), 'child "receiver.id" fails because ["receiver.id" must be a valid GUID]'],
      ['receiver.email length', (b: any) => (b.receiver.email = `${'a'.repeat(310)}@example.com`), 'child "receiver.email" fails because ["receiver.email" must be shorter than or equal to 320 characters]'],
      ['receiver.email format', (b: any) => (b.receiver.email = 'no-at-sign'), 'child "receiver.email" fails because ["receiver.email" must be an e-mail address]'],
      ['sender.id', (b: any) => (b.sender = { id: 'x' }), 'child "sender.id" fails because ["sender.id" must be a valid GUID]'],
      ['sender.email', (b: any) => (b.sender = { id: bob.id, email: `${'a'.repeat(320)}@x` }), 'child "sender.email" fails because ["sender.email" must be shorter than or equal to 320 characters]'],
      ['source', (b: any) => delete b.source, 'child "source" fails because ["source" is required]'],
      ['source length', (b: any) => (b.source = 'x'.repeat(256)), 'child "source" fails because ["source" must be shorter than or equal to 255 characters]'],
      ['source type', (b: any) => (b.source = 5), 'child "source" fails because ["source" must be a string]'],
      ['source empty', (b: any) => (b.source = ''), 'child "source" fails because ["source" must be longer than or equal to 1 characters]'],
      ['topic', (b: any) => delete b.topic, 'child "topic" fails because ["topic" is required]'],
      ['topic length', (b: any) => (b.topic = 'x'.repeat(256)), 'child "topic" fails because ["topic" must be shorter than or equal to 255 characters]'],
      ['severity', (b: any) => delete b.severity, 'child "severity" fails because ["severity" is required]'],
      ['severity value', (b: any) => (b.severity = 'Fatal'), 'child "severity" fails because ["severity" must be one of [Info, Warning, Error]]'],
      ['returnCode', (b: any) => delete b.returnCode, 'child "returnCode" fails because ["returnCode" is required]'],
      ['returnCode length', (b: any) => (b.returncode = 'x'.repeat(256)), 'child "returnCode" fails because ["returnCode" must be shorter than or equal to 255 characters]'],
      ['unreadEmail', (b: any) => (b.unreadEmail = 'yes'), 'child "unreadEmail" fails because ["unreadEmail" must be a boolean]'],
      ['unreadBrowserNotification', (b: any) => (b.unreadBrowserNotification = 1), 'child "unreadBrowserNotification" fails because ["unreadBrowserNotification" must be a boolean]'],
      ['additionalData', (b: any) => (b.additionalData = 'x'.repeat(65_537)), 'child "additionalData" fails because ["additionalData" must be shorter than or equal to 65536 characters]'],
      ['correlationId', (b: any) => (b.correlationId = 'abc'), 'child "correlationId" fails because ["correlationId" must be a valid GUID]'],
    ])('rejects a bad %s', async (_name, mutate, message) => {
      const body = valid();
      mutate(body);
      const res = await as(alice, 'POST', '/v2/messages', body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { message } });
    });

    it('refuses address-list syntax in an e-mail, which the mailer would read as other or more addresses', async () => {
      for (const email of ['root,attacker@evil.com', '"Bank"<attacker@evil.com>', 'x(y)@evil.com', 'group:attacker@evil.com;', 'a@[127.0.0.1]', 'a b@example.com']) {
        const res = await as(alice, 'POST', '/v2/messages', { ...valid(), receiver: { id: bob.id, email } });
        expect([email, res.status, res.body]).toEqual([email, 400, { error: { message: 'child "receiver.email" fails because ["receiver.email" must be an e-mail address]' } }]);
      }
      const named = await send(alice, { receiver: { id: bob.id, email: "o'brien+tag@münchen.example" } });
      expect(named.receiver.email).toBe("o'brien+tag@münchen.example");
    });

    it('accepts the maximum lengths', async () => {
      const message = await send(alice, { receiver: { id: bob.id }, source: 'x'.repeat(255), topic: 'y'.repeat(255), returnCode: 'z'.repeat(255), additionalData: 'd'.repeat(65_536) });
      expect(message.additionalData).toHaveLength(65_536);
      const address = `${'a'.repeat(308)}@example.com`;
      expect(address).toHaveLength(320);
      const addressed = await send(alice, { receiver: { id: bob.id, email: address } });
      expect(addressed.receiver).toEqual({ id: bob.id, email: address });
      const named = await send(service, { sender: { id: alice.id, email: address }, receiver: { id: bob.id } });
      expect(named.sender).toEqual({ id: alice.id, email: address });
    });

    it('rejects a body that is not an object', async () => {
      const res = await app.request('POST', '/v2/messages', { rawBody: '[1,2]', headers: { authorization: `BimPlus ${alice.token}` } });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { message: 'Request body must be a JSON object' } });
      const broken = await app.request('POST', '/v2/messages', { rawBody: '{"receiver":', headers: { authorization: `BimPlus ${alice.token}` } });
      expect(broken.status).toBe(400);
    });
  });

  describe('read flags', () => {
    it('sets each of the recipient\'s own flags and returns the updated message', async () => {
      const message = await send(alice, { receiver: { id: bob.id } });
      const steps: [string, { unreadEmail: boolean; unreadBrowserNotification: boolean }][] = [
        ['markasreadbrowser', { unreadEmail: true, unreadBrowserNotification: false }],
        ['markasreademail', { unreadEmail: false, unreadBrowserNotification: false }],
        ['markasunreadbrowser', { unreadEmail: false, unreadBrowserNotification: true }],
        ['markasunreademail', { unreadEmail: true, unreadBrowserNotification: true }],
        ['markasreademail', { unreadEmail: false, unreadBrowserNotification: true }],
      ];
      for (const [route, flags] of steps) {
        const res = await as(bob, 'POST', `/v2/messages/${message.id}/${route}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ ...message, ...flags });
        const sender = await as(alice, 'GET', `/v2/messages/${message.id}`);
        expect(sender.body).toMatchObject(flags);
      }
    });

    it('accepts the seed\'s calls as written: Content-Type: application/json and no body on mark, mark-all and DELETE', async () => {
      const message = await send(alice, { receiver: { id: bob.id } });
      const json = { 'content-type': 'application/json' };
      for (const route of ['markasreadbrowser', 'markasunreadbrowser', 'markasreademail', 'markasunreademail']) {
        const res = await app.request('POST', `/v2/messages/${message.id}/${route}`, { rawBody: '', headers: { ...json, authorization: `BimPlus ${bob.token}` } });
        expect(res.status).toBe(200);
        expect(res.body.id).toBe(message.id);
      }
      const all = await app.request('POST', `/v2/user/me/messages/markallasreademail`, { rawBody: '', headers: { ...json, authorization: `BimPlus ${bob.token}` } });
      expect(all.status).toBe(200);
      const removed = await app.request('DELETE', `/v2/messages/${message.id}`, { rawBody: '', headers: { ...json, authorization: `BimPlus ${bob.token}` } });
      expect(removed.status).toBe(200);
      expect((await as(bob, 'GET', `/v2/messages/${message.id}`)).status).toBe(404);
    });

    it('routes paths in any letter case, as the .NET service did, keeping the ids as sent', async () => {
      const message = await send(alice, { receiver: { id: bob.id } });
      const upperId = message.id.toUpperCase();
      const marked = await as(bob, 'POST', `/V2/Messages/${upperId}/MarkAsReadBrowser`);
      expect(marked.status).toBe(200);
      expect(marked.body).toEqual({ ...message, unreadBrowserNotification: false });
      const read = await as(bob, 'GET', `/v2/Messages/${message.id}`);
      expect(read.body.unreadBrowserNotification).toBe(false);
      const count = await as(bob, 'GET', `/v2/User/ME/Messages/UnreadCount`);
      expect(count.status).toBe(200);
      expect(count.body).toEqual((await as(bob, 'GET', '/v2/user/me/messages/unreadcount')).body);
      // A trailing slash is not part of any route (the seeds never write one).
      const slash = await as(bob, 'GET', `/v2/user/me/messages/`);
      expect(slash.status).toBe(404);
      expect(slash.body).toEqual({ error: { message: 'Cannot GET /v2/user/me/messages/' } });
    });

    it('refuses marking by a sender who is not a recipient', async () => {
      const message = await send(alice, { receiver: { id: bob.id } });
      const res = await as(alice, 'POST', `/v2/messages/${message.id}/markasreadbrowser`);
      expect(res.status).toBe(403);
      expect((await as(bob, 'GET', `/v2/messages/${message.id}`)).body.unreadBrowserNotification).toBe(true);
    });

    it('counts unread messages per channel and marks all as read', async () => {
      const dave = await createUser(app);
      await send(alice, { receiver: { id: dave.id } });
      await send(alice, { receiver: { id: dave.id }, unreadEmail: false });
      await send(alice, { receiver: { id: dave.id }, unreadBrowserNotification: false });
      const count = await as(dave, 'GET', `/v2/user/me/messages/unreadcount`);
      expect(count.status).toBe(200);
      expect(count.body).toEqual({ browser: 2, email: 2 });

      const browser = await as(dave, 'POST', `/v2/user/${dave.id}/messages/markallasreadbrowser`);
      expect(browser.status).toBe(200);
      expect(browser.body).toEqual({ updated: 2 });
      expect((await as(dave, 'GET', `/v2/user/me/messages/unreadcount`)).body).toEqual({ browser: 0, email: 2 });
      const email = await as(dave, 'POST', `/v2/user/me/messages/markallasreademail`);
      expect(email.body).toEqual({ updated: 2 });
      expect((await as(dave, 'GET', `/v2/user/me/messages/unreadcount`)).body).toEqual({ browser: 0, email: 0 });
      expect((await as(dave, 'POST', `/v2/user/me/messages/markallasreademail`)).body).toEqual({ updated: 0 });
    });
    it("marks all as read only the caller's own recipient rows, and counts only the caller's", async () => {
      const [erin, frank] = await Promise.all([createUser(app), createUser(app)]);
      const group = await createGroup(app, [erin, frank]);
      const shared = await send(alice, { receiver: { id: group.id } });
      await send(alice, { receiver: { id: frank.id } });
      const count = async (user: UserFixture) => (await as(user, 'GET', '/v2/user/me/messages/unreadcount')).body;
      expect(await count(erin)).toEqual({ browser: 1, email: 1 });
      expect(await count(frank)).toEqual({ browser: 2, email: 2 });
      expect((await as(erin, 'POST', `/v2/user/${erin.id}/messages/markallasreadbrowser`)).body).toEqual({ updated: 1 });
      expect((await as(erin, 'POST', '/v2/user/me/messages/markallasreademail')).body).toEqual({ updated: 1 });
      expect(await count(erin)).toEqual({ browser: 0, email: 0 });
      expect(await count(frank)).toEqual({ browser: 2, email: 2 });
      expect((await as(frank, 'GET', `/v2/messages/${shared.id}`)).body).toMatchObject({ unreadEmail: true, unreadBrowserNotification: true });
      // The sender's group flags stay true while frank has not read it.
      expect((await as(alice, 'GET', `/v2/messages/${shared.id}`)).body).toMatchObject({ unreadEmail: true, unreadBrowserNotification: true });
    });
  });

  describe('groups', () => {
    it('fans out to every member with independent flags and deletions', async () => {
      const [m1, m2, m3] = await Promise.all([createUser(app), createUser(app), createUser(app)]);
      const group = await createGroup(app, [m1, m2, m3]);
      const message = await send(service, { receiver: { id: group.id, email: 'ignored@example.com' } });
      expect(message.receiver).toEqual({ id: group.id, email: null });
      expect(message.receiverType).toBe('group');

      for (const member of [m1, m2, m3]) {
        const inbox = await as(member, 'GET', '/v2/user/me/messages');
        expect(inbox.body.map((m: any) => m.id)).toEqual([message.id]);
      }
      expect((await as(m1, 'POST', `/v2/messages/${message.id}/markasreadbrowser`)).status).toBe(200);
      expect((await as(m1, 'GET', `/v2/messages/${message.id}`)).body.unreadBrowserNotification).toBe(false);
      expect((await as(m2, 'GET', `/v2/messages/${message.id}`)).body.unreadBrowserNotification).toBe(true);
      expect((await as(service, 'GET', `/v2/messages/${message.id}`)).body.unreadBrowserNotification).toBe(true);

      const deleted = await as(m2, 'DELETE', `/v2/messages/${message.id}`);
      expect(deleted.status).toBe(200);
      expect((await as(m2, 'GET', `/v2/messages/${message.id}`)).status).toBe(404);
      expect((await as(m1, 'GET', `/v2/messages/${message.id}`)).status).toBe(200);
      expect((await as(m3, 'GET', `/v2/messages/${message.id}`)).status).toBe(200);

      // The sender's flag stays true while any remaining member has it unread.
      expect((await as(m3, 'POST', `/v2/messages/${message.id}/markasreadbrowser`)).status).toBe(200);
      expect((await as(service, 'GET', `/v2/messages/${message.id}`)).body).toMatchObject({ unreadBrowserNotification: false, unreadEmail: true });
    });

    it('lets the sender delete for everyone', async () => {
      const [m1, m2] = await Promise.all([createUser(app), createUser(app)]);
      const group = await createGroup(app, [m1, m2]);
      const message = await send(alice, { receiver: { id: group.id } });
      expect((await as(alice, 'DELETE', `/v2/messages/${message.id}`)).status).toBe(200);
      for (const user of [m1, m2, alice]) expect((await as(user, 'GET', `/v2/messages/${message.id}`)).status).toBe(404);
      expect((await as(alice, 'DELETE', `/v2/messages/${message.id}`)).status).toBe(404);
    });

    it('does not reach users who join the group later', async () => {
      const [m1, late] = await Promise.all([createUser(app), createUser(app)]);
      const group = await createGroup(app, [m1]);
      const message = await send(alice, { receiver: { id: group.id } });
      const joined = await app.admin('PUT', `/admin/groups/${group.id}/members`, { memberIds: [m1.id, late.id] });
      expect(joined.status).toBe(200);
      expect((await as(late, 'GET', `/v2/messages/${message.id}`)).status).toBe(404);
      // The join took effect: the next group message reaches the late member (so the 404 above is not vacuous).
      const next = await send(alice, { receiver: { id: group.id } });
      const inbox = await as(late, 'GET', '/v2/user/me/messages');
      expect(inbox.body.map((m: any) => m.id)).toEqual([next.id]);
    });
  });

  describe('deletion of a message to a user', () => {
    it('by its sender removes it from the recipient too', async () => {
      const message = await send(alice, { receiver: { id: bob.id } });
      expect((await as(alice, 'DELETE', `/v2/messages/${message.id}`)).status).toBe(200);
      expect((await as(bob, 'GET', `/v2/messages/${message.id}`)).status).toBe(404);
      const inbox = await as(bob, 'GET', '/v2/user/me/messages?limit=1000');
      expect(inbox.body.map((m: any) => m.id)).not.toContain(message.id);
    });

    it('by its only recipient leaves the sender seeing both flags false (nobody has it unread any more)', async () => {
      const message = await send(alice, { receiver: { id: bob.id } });
      expect((await as(alice, 'GET', `/v2/messages/${message.id}`)).body).toMatchObject({ unreadEmail: true, unreadBrowserNotification: true });
      expect((await as(bob, 'DELETE', `/v2/messages/${message.id}`)).status).toBe(200);
      expect((await as(alice, 'GET', `/v2/messages/${message.id}`)).body).toMatchObject({ unreadEmail: false, unreadBrowserNotification: false });
    });
  });

  describe('recipient deletion', () => {
    it('removes the message from the recipient only; the sender still sees it', async () => {
      const message = await send(alice, { receiver: { id: bob.id } });
      expect((await as(bob, 'DELETE', `/v2/messages/${message.id}`)).status).toBe(200);
      expect((await as(bob, 'GET', `/v2/messages/${message.id}`)).status).toBe(404);
      const inbox = await as(bob, 'GET', '/v2/user/me/messages?limit=1000');
      expect(inbox.body.map((m: any) => m.id)).not.toContain(message.id);
      expect((await as(alice, 'GET', `/v2/messages/${message.id}`)).status).toBe(200);
    });
  });

  describe('Idempotency-Key', () => {
    const body = () => ({ receiver: { id: bob.id }, source: 'idem', topic: 't', severity: 'Info', returnCode: 'r' });

    it('replays the first result for the same key and body, per caller', async () => {
      const headers = { 'idempotency-key': 'key-1' };
      const first = await as(alice, 'POST', '/v2/messages', body(), headers);
      expect(first.status).toBe(201);
      expect((await as(bob, 'POST', `/v2/messages/${first.body.id}/markasreadbrowser`)).body.unreadBrowserNotification).toBe(false);
      const again = await as(alice, 'POST', '/v2/messages', { ...body(), RETURNCODE: 'r', returnCode: undefined }, headers);
      expect(again.status).toBe(201);
      expect(again.text).toBe(first.text);
      const otherCaller = await as(carol, 'POST', '/v2/messages', body(), headers);
      expect(otherCaller.status).toBe(201);
      expect(otherCaller.body.id).not.toBe(first.body.id);
      const inbox = await as(bob, 'GET', '/v2/user/me/messages?limit=1000');
      expect(inbox.body.filter((m: any) => m.source === 'idem')).toHaveLength(2);
    });

    it('replays a retry that names the default sender (the caller) instead of leaving it out', async () => {
      const headers = { 'idempotency-key': 'key-own-sender' };
      const first = await as(alice, 'POST', '/v2/messages', body(), headers);
      expect(first.status).toBe(201);
      const spelledOut = await as(alice, 'POST', '/v2/messages', { ...body(), sender: { id: alice.id.toUpperCase() } }, headers);
      expect(spelledOut.status).toBe(201);
      expect(spelledOut.text).toBe(first.text);
      // A service naming another sender is another request.
      const byService = await as(service, 'POST', '/v2/messages', body(), headers);
      expect(byService.status).toBe(201);
      const otherSender = await as(service, 'POST', '/v2/messages', { ...body(), sender: { id: carol.id } }, headers);
      expect(otherSender.status).toBe(409);
    });

    it('answers 409 for the same key with a different body', async () => {
      const headers = { 'idempotency-key': 'key-2' };
      expect((await as(alice, 'POST', '/v2/messages', body(), headers)).status).toBe(201);
      const conflict = await as(alice, 'POST', '/v2/messages', { ...body(), topic: 'other' }, headers);
      expect(conflict.status).toBe(409);
      expect(conflict.body).toEqual({ error: { message: 'Idempotency-Key was already used with a different request body' } });
    });

    it.each([
      ['receiver', { receiver: { id: 'CAROL' } }],
      ['receiver.email', { receiver: { id: 'BOB', email: 'elsewhere@example.com' } }],
      ['source', { source: 'other' }],
      ['severity', { severity: 'Error' }],
      ['returnCode', { returnCode: 'other' }],
      ['unreadEmail', { unreadEmail: false }],
      ['unreadBrowserNotification', { unreadBrowserNotification: false }],
      ['additionalData', { additionalData: 'more' }],
      ['correlationId', { correlationId: 'de96f4ae-79fd-4d83-99e9-07cec7a80906' }],
    ])('answers 409 for the same key with a body that differs in %s, and stores nothing', async (field, patch: Record<string, any>) => {
      const headers = { 'idempotency-key': `key-differs-${field}` };
      const first = await as(alice, 'POST', '/v2/messages', body(), headers);
      expect(first.status).toBe(201);
      const changed: Record<string, any> = { ...body(), ...patch };
      if (changed.receiver.id === 'CAROL') changed.receiver = { id: carol.id };
      if (changed.receiver.id === 'BOB') changed.receiver = { ...changed.receiver, id: bob.id };
      const before = await as(alice, 'GET', '/v2/messages?filter=source!=nothing&limit=1000');
      const conflict = await as(alice, 'POST', '/v2/messages', changed, headers);
      expect(conflict.status).toBe(409);
      expect(conflict.body).toEqual({ error: { message: 'Idempotency-Key was already used with a different request body' } });
      const after = await as(alice, 'GET', '/v2/messages?filter=source!=nothing&limit=1000');
      expect(after.body).toEqual(before.body);
    });

    it('replays, not conflicts, for the same body spelled differently (key case, severity alias, explicit defaults)', async () => {
      const headers = { 'idempotency-key': 'key-same-meaning' };
      const first = await as(alice, 'POST', '/v2/messages', { ...body(), severity: 'Warn' }, headers);
      expect(first.status).toBe(201);
      const again = await as(alice, 'POST', '/v2/messages', { RECEIVER: { ID: bob.id.toUpperCase() }, source: 'idem', Topic: 't', severity: 'WARNING', returncode: 'r', unreadEmail: true, unreadBrowserNotification: true }, headers);
      expect(again.status).toBe(201);
      expect(again.text).toBe(first.text);
    });

    it('forgets a key after a day, so the key can start a new message', async () => {
      const headers = { 'idempotency-key': 'key-expiring' };
      const first = await as(alice, 'POST', '/v2/messages', body(), headers);
      const db = app.running.app.get(DataSource);
      await db.query(`UPDATE user_message_idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'key-expiring'`);
      expect(await app.running.app.get(IdempotencyKeyPruner).prune()).toBeGreaterThanOrEqual(1);
      const later = await as(alice, 'POST', '/v2/messages', { ...body(), topic: 'a new one' }, headers);
      expect(later.status).toBe(201);
      expect(later.body.id).not.toBe(first.body.id);
    });

    it('rejects an over-long key', async () => {
      const res = await as(alice, 'POST', '/v2/messages', body(), { 'idempotency-key': 'k'.repeat(256) });
      expect(res.status).toBe(400);
    });
  });
});

describe('user messages v2: OpenAPI and concurrency', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('documents every v2 route with its body and answers', async () => {
    const res = await app.request('GET', '/docs-json');
    expect(res.status).toBe(200);
    const paths = res.body.paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v2/messages',
        '/v2/messages/{id}',
        '/v2/messages/{id}/markasreadbrowser',
        '/v2/messages/{id}/markasunreadbrowser',
        '/v2/messages/{id}/markasreademail',
        '/v2/messages/{id}/markasunreademail',
        '/v2/user/{userId}/messages',
        '/v2/user/{userId}/messages/unreadcount',
        '/v2/user/{userId}/messages/markallasreadbrowser',
        '/v2/user/{userId}/messages/markallasreademail',
      ]),
    );
    expect(JSON.stringify(paths['/v2/messages'].post.requestBody)).toContain('CreateUserMessageDto');
    expect(Object.keys(paths['/v2/messages'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
    expect(paths['/v2/messages'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['filter', 'limit', 'cursor']));
    expect(Object.keys(res.body.components.schemas.UserMessageResponseDto.properties).sort()).toEqual(MESSAGE_KEYS);
  });

  it('creates one message for concurrent retries with the same Idempotency-Key', async () => {
    const [sender, receiver] = await Promise.all([createUser(app), createUser(app)]);
    const body = { receiver: { id: receiver.id }, source: 'race', topic: 't', severity: 'Info', returnCode: 'r' };
    const headers = { authorization: `BimPlus ${sender.token}`, 'idempotency-key': 'race-1' };
    const results = await Promise.all(Array.from({ length: 5 }, () => app.request('POST', '/v2/messages', { body, headers })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
    const inbox = await app.request('GET', '/v2/user/me/messages', { headers: { authorization: `BimPlus ${receiver.token}` } });
    expect(inbox.body).toHaveLength(1);
  });
});
