import { randomUUID } from 'node:crypto';
import { createUser, UserFixture } from './factories';
import { CallAs, Send, startUserMessagesApp } from './factories/user-messages';
import { TestApp } from './support/test-app';

describe('user messages v2: receivers and validation', () => {
  let app: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let service: UserFixture;
  let as: CallAs;
  let send: Send;

  beforeAll(async () => {
    ({ app, alice, bob, service, as, send } = await startUserMessagesApp());
  });
  afterAll(async () => {
    await app.close();
  });

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
    ['additionalData', (b: any) => (b.additionalData = 'x'.repeat(65_537)), 'child "additionalData" fails because ["additionalData" must be a text of at most 65536 characters or an object of at most 64 KiB as JSON]'],
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
    // A named sender's address is its stored one, so its longest is what the admin API accepts: a 64-character local part.
    const longest = await createUser(app, 'user', undefined, `${randomUUID().slice(0, 8)}${'a'.repeat(56)}@${'b'.repeat(63)}.example.com`);
    const named = await send(service, { sender: { id: longest.id, email: longest.email }, receiver: { id: bob.id } });
    expect(named.sender).toEqual({ id: longest.id, email: longest.email });
  });

  it('rejects a body that is not an object', async () => {
    const res = await app.request('POST', '/v2/messages', { rawBody: '[1,2]', headers: { authorization: `BimPlus ${alice.token}` } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message: 'Request body must be a JSON object' } });
    const broken = await app.request('POST', '/v2/messages', { rawBody: '{"receiver":', headers: { authorization: `BimPlus ${alice.token}` } });
    expect(broken.status).toBe(400);
  });
});
