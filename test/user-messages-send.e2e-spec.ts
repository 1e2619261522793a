import { createUser, UserFixture } from './factories';
import { CallAs, MESSAGE_KEYS, Send, startUserMessagesApp } from './factories/user-messages';
import { TestApp } from './support/test-app';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('user messages v2: create and sender', () => {
  let app: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let carol: UserFixture;
  let service: UserFixture;
  let as: CallAs;
  let send: Send;

  beforeAll(async () => {
    ({ app, alice, bob, carol, service, as, send } = await startUserMessagesApp());
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
      const explicit = await send(service, { sender: { id: alice.id, email: alice.email.toUpperCase() }, receiver: { id: bob.id } });
      expect(explicit.sender).toEqual({ id: alice.id, email: alice.email });
      const none = await send(service, { sender: null, receiver: { id: bob.id } });
      expect(none.sender).toBeNull();
    });

    it("refuses a service's sender that is no user, or with another user's address, writing nothing", async () => {
      const before = (await as(bob, 'GET', `/v2/user/${bob.id}/messages`)).body.length;
      const body = { receiver: { id: bob.id }, source: 's', topic: 't', severity: 'Info', returnCode: 'r' };
      const unknown = await as(service, 'POST', '/v2/messages', { ...body, sender: { id: '71e0ac3b-fa49-e540-ac2f-8caff3dd72ed', email: 'testuser1@bimplus.net' } });
      expect([unknown.status, unknown.body]).toEqual([400, { error: { message: 'child "sender.id" fails because ["sender.id" must be an existing user]' } }]);
      const spoofed = await as(service, 'POST', '/v2/messages', { ...body, sender: { id: alice.id, email: 'ceo@example.com' } });
      expect([spoofed.status, spoofed.body]).toEqual([400, { error: { message: 'child "sender.email" fails because ["sender.email" must be the sender\'s own address]' } }]);
      expect((await as(bob, 'GET', `/v2/user/${bob.id}/messages`)).body).toHaveLength(before);
    });

    it('matches the keys inside sender case-insensitively', async () => {
      const res = await as(service, 'POST', '/v2/messages', {
        SENDER: { ID: carol.id.toUpperCase(), EMAIL: carol.email.toUpperCase() },
        receiver: { id: bob.id },
        source: 'S',
        topic: 'T',
        severity: 'Info',
        returnCode: 'OK',
      });
      expect(res.status).toBe(201);
      expect(res.body.sender).toEqual({ id: carol.id, email: carol.email });
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
});
