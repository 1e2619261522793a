import { verifyWebhook } from '../src/delivery/webhook/webhook-signature';
import { AccountFixture, createAccount, createCase } from './factories';
import { startTestApp, TestApp } from './support/test-app';
import { ReceivedCall, WebhookReceiver } from './support/webhook-receiver';

jest.setTimeout(40_000);

const BASE = '/api/v3/case-messages';
const SECRET = 'subscription-secret-0123456789';

describe('Webhook subscriptions over HTTP', () => {
  const receiver = new WebhookReceiver();
  let app: TestApp;
  let partner: AccountFixture;
  let provider: AccountFixture;
  let kase: { id: number; guid: string };

  const subscribe = async (account: AccountFixture, body: Record<string, unknown>) => {
    const res = await app.admin('POST', `/admin/accounts/${account.id}/webhooks`, { transport: 'http', secret: SECRET, ...body });
    if (res.status !== 201) throw new Error(`subscribe: ${res.status} ${res.text}`);
    return res.body;
  };
  const create = async (from: AccountFixture, content: string) => {
    const res = await app.request('POST', `${BASE}/create?accessToken=${from.token}`, { body: { guid: kase.guid, content, type: 'serviceComment' } });
    if (res.status !== 200) throw new Error(`create: ${res.status} ${res.text}`);
    return res.body;
  };
  const callsTo = (path: string): ReceivedCall[] => receiver.calls.filter((c) => c.path === path);

  beforeAll(async () => {
    await receiver.start();
    app = await startTestApp({ DELIVERY_BACKOFF_BASE_SECONDS: '1', DELIVERY_MAX_ATTEMPTS: '3', DELIVERY_RETRY_HOURS: '0', WEBHOOK_TIMEOUT_MS: '1000' });
    [partner, provider] = await Promise.all([createAccount(app, 'partner'), createAccount(app, 'provider')]);
    kase = await createCase(app, partner, provider);
  });
  afterAll(async () => {
    await app.close();
    await receiver.stop();
  });

  it('delivers message.created to every subscribed webhook with its method, constant headers and the event and delivery id', async () => {
    const put = await subscribe(provider, { events: ['message.created'], url: receiver.url('/created/put'), method: 'PUT', headers: { 'X-Api-Key': 'backoffice-key' } });
    const post = await subscribe(provider, { events: ['message.created', 'message.confirmed'], url: receiver.url('/created/post') });
    const message = await create(partner, 'to two webhooks');
    await receiver.waitFor(() => callsTo('/created/put').length >= 1 && callsTo('/created/post').length >= 1);
    const [viaPut] = callsTo('/created/put');
    expect(viaPut.method).toBe('PUT');
    expect(viaPut.headers['x-api-key']).toBe('backoffice-key');
    expect(viaPut.headers['x-webhook-event']).toBe('message.created');
    expect(JSON.parse(viaPut.body)).toEqual(message);
    expect(verifyWebhook(SECRET, viaPut.headers['x-webhook-timestamp'] as string, viaPut.body, viaPut.headers['x-webhook-signature'] as string)).toBe(true);
    const [viaPost] = callsTo('/created/post');
    expect(viaPost.method).toBe('POST');
    expect(viaPost.headers['x-webhook-id']).not.toBe(viaPut.headers['x-webhook-id']);
    const log = await app.admin('GET', `/admin/webhooks/${put.id}/deliveries`);
    expect(log.body).toEqual([expect.objectContaining({ id: viaPut.headers['x-webhook-id'], webhookId: put.id, event: 'message.created', status: 'sent', messageId: String(message.id) })]);
    await app.admin('DELETE', `/admin/webhooks/${put.id}`);
    await app.admin('DELETE', `/admin/webhooks/${post.id}`);
  });

  it("sends message.confirmed to the sender's webhooks once per newly confirmed message, with confirmedAt, never for a re-confirm", async () => {
    const hook = await subscribe(partner, { events: ['message.confirmed'], url: receiver.url('/confirmed') });
    const [first, second] = [await create(partner, 'confirm me'), await create(partner, 'and me')];
    const confirm = await app.request('POST', `${BASE}/confirm?accessToken=${provider.token}`, { body: [first.id, second.id] });
    expect(confirm.body.data.confirmed).toEqual([first.id, second.id]);
    await receiver.waitFor(() => callsTo('/confirmed').length >= 2);
    const again = await app.request('POST', `${BASE}/confirm?accessToken=${provider.token}`, { body: [first.id] });
    expect(again.body.data.alreadyConfirmed).toEqual([first.id]);
    const log = await app.admin('GET', `/admin/webhooks/${hook.id}/deliveries`);
    expect(log.body.map((d: { messageId: string }) => d.messageId).sort()).toEqual([String(first.id), String(second.id)].sort());
    const bodies = callsTo('/confirmed').map((c) => JSON.parse(c.body));
    expect(bodies.every((b) => typeof b.confirmedAt === 'string')).toBe(true);
    expect(callsTo('/confirmed').every((c) => c.headers['x-webhook-event'] === 'message.confirmed')).toBe(true);
    // Nothing for the partner's message.created: this webhook is subscribed to confirmations only.
    expect(bodies.map((b) => b.id).sort()).toEqual([first.id, second.id].sort());
    await app.admin('DELETE', `/admin/webhooks/${hook.id}`);
  });

  it('sends the v1 payload when asked: id, guid, content, type, the dates, and confirmedAt only for message.confirmed', async () => {
    const hook = await subscribe(provider, { events: ['message.created'], url: receiver.url('/v1'), payloadVersion: 'v1' });
    const message = await create(partner, 'v1 please');
    const [call] = await receiver.waitFor(() => callsTo('/v1').length >= 1).then(() => callsTo('/v1'));
    expect(JSON.parse(call.body)).toEqual({ id: message.id, guid: kase.guid, content: 'v1 please', type: 'serviceComment', createdAt: message.createdAt, updatedAt: message.updatedAt });
    await app.admin('DELETE', `/admin/webhooks/${hook.id}`);
  });

  it('keeps the same X-Webhook-Id on every retry and on a redelivery', async () => {
    receiver.status = 503;
    const hook = await subscribe(provider, { events: ['message.created'], url: receiver.url('/retry') });
    await create(partner, 'retry me');
    await receiver.waitFor(() => callsTo('/retry').length >= 2);
    receiver.status = 200;
    await receiver.waitFor(() => callsTo('/retry').length >= 3);
    const [delivery] = (await app.admin('GET', `/admin/webhooks/${hook.id}/deliveries`)).body;
    const deadline = Date.now() + 15_000;
    while ((await app.admin('GET', `/admin/deliveries/${delivery.id}`)).body.status !== 'sent' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const redelivered = await app.admin('POST', `/admin/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`);
    expect(redelivered.status).toBe(200);
    const calls = await receiver.waitFor(() => callsTo('/retry').length >= 4).then(() => callsTo('/retry'));
    expect(new Set(calls.map((c) => c.headers['x-webhook-id']))).toEqual(new Set([delivery.id]));
    const other = await subscribe(provider, { events: ['message.created'], url: receiver.url('/other') });
    expect((await app.admin('POST', `/admin/webhooks/${other.id}/deliveries/${delivery.id}/redeliver`)).status).toBe(404);
    await app.admin('DELETE', `/admin/webhooks/${hook.id}`);
    await app.admin('DELETE', `/admin/webhooks/${other.id}`);
  });

  it('sends nothing more to a deleted webhook and keeps its log reachable through /admin/deliveries', async () => {
    receiver.status = 503;
    const hook = await subscribe(provider, { events: ['message.created'], url: receiver.url('/deleted') });
    const message = await create(partner, 'then deleted');
    await receiver.waitFor(() => callsTo('/deleted').length >= 1);
    expect((await app.admin('DELETE', `/admin/webhooks/${hook.id}`)).body).toEqual({ id: hook.id, deleted: true });
    receiver.status = 200;
    const deadline = Date.now() + 15_000;
    let row: { status: string } | undefined;
    while (Date.now() < deadline) {
      const all = await app.admin('GET', '/admin/deliveries?kind=webhook&limit=1000');
      row = all.body.find((d: { messageId: string; webhookId: string | null }) => d.messageId === String(message.id) && d.webhookId === null);
      if (row && row.status !== 'pending' && row.status !== 'sending') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(row).toMatchObject({ status: 'cancelled', lastError: 'webhook removed' });
    expect((await app.admin('GET', `/admin/webhooks/${hook.id}`)).status).toBe(404);
  });
});

describe('Webhook subscriptions: the admin API', () => {
  let app: TestApp;
  let account: AccountFixture;

  const create = (body: Record<string, unknown>, id = account.id) =>
    app.admin('POST', `/admin/accounts/${id}/webhooks`, { events: ['message.created'], transport: 'http', url: 'http://127.0.0.1:9/hook', secret: SECRET, ...body });

  beforeAll(async () => {
    app = await startTestApp({ WORKERS_ENABLED: 'false' });
    account = await createAccount(app, 'partner');
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates, lists, reads, updates and deletes, never showing the secret or a broker password', async () => {
    const created = await create({ events: ['message.created', 'message.confirmed'], method: 'PATCH', headers: { 'X-Tenant': 'acme' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      accountId: account.id,
      events: ['message.created', 'message.confirmed'],
      transport: 'http',
      url: 'http://127.0.0.1:9/hook',
      method: 'PATCH',
      headers: { 'X-Tenant': 'acme' },
      exchange: '',
      routingKey: null,
      payloadVersion: 'v3',
      isDefault: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const amqp = await create({ transport: 'amqp', url: 'amqp://backoffice:broker-password@127.0.0.1:5672/%2F', routingKey: 'backoffice.messages' });
    expect(amqp.status).toBe(201);
    expect(amqp.body).toMatchObject({ transport: 'amqp', url: 'amqp://backoffice:***@127.0.0.1:5672/%2F', exchange: '', routingKey: 'backoffice.messages', method: 'POST' });
    const listed = await app.admin('GET', `/admin/accounts/${account.id}/webhooks`);
    expect(listed.body.map((w: { id: string }) => w.id)).toEqual([created.body.id, amqp.body.id]);
    expect(listed.text).not.toContain(SECRET);
    expect(listed.text).not.toContain('broker-password');

    const patched = await app.admin('PATCH', `/admin/webhooks/${created.body.id}`, { events: ['message.confirmed'], payloadVersion: 'v1' });
    expect(patched.body).toMatchObject({ events: ['message.confirmed'], payloadVersion: 'v1', method: 'PATCH', headers: { 'X-Tenant': 'acme' } });
    // Switching transport drops the other transport's settings.
    const toHttp = await app.admin('PATCH', `/admin/webhooks/${amqp.body.id}`, { transport: 'http', url: 'https://127.0.0.1/hook' });
    expect(toHttp.body).toMatchObject({ transport: 'http', exchange: '', routingKey: null, url: 'https://127.0.0.1/hook' });

    expect((await app.admin('DELETE', `/admin/webhooks/${created.body.id}`)).body).toEqual({ id: created.body.id, deleted: true });
    expect((await app.admin('GET', `/admin/webhooks/${created.body.id}`)).status).toBe(404);
    expect((await app.admin('DELETE', `/admin/webhooks/${created.body.id}`)).status).toBe(404);
  });

  it('keeps PUT /admin/accounts/{id}/webhook as the default webhook: created once, then replaced', async () => {
    const other = await createAccount(app, 'provider');
    await app.admin('PUT', `/admin/accounts/${other.id}/webhook`, { url: 'http://127.0.0.1:9/first', secret: SECRET });
    const replaced = await app.admin('PUT', `/admin/accounts/${other.id}/webhook`, { url: 'http://127.0.0.1:9/second', secret: SECRET });
    expect(replaced.body).toMatchObject({ id: other.id, webhookUrl: 'http://127.0.0.1:9/second' });
    const listed = await app.admin('GET', `/admin/accounts/${other.id}/webhooks`);
    expect(listed.body).toEqual([expect.objectContaining({ isDefault: true, url: 'http://127.0.0.1:9/second', events: ['message.created'], method: 'POST', payloadVersion: 'v3' })]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown event', { events: ['message.deleted'] }, 'child "events" fails because ["events" must contain only message.created, message.confirmed]'],
    ['no event', { events: [] }, 'child "events" fails because ["events" must contain at least one event]'],
    ['no events field', { events: undefined }, 'child "events" fails because ["events" is required]'],
    ['an unknown transport', { transport: 'smtp' }, 'child "transport" fails because ["transport" must be one of [http, amqp]]'],
    ['an amqp URL for http', { url: 'amqp://127.0.0.1/' }, 'url must use http or https'],
    ['an amqp URL without a host', { transport: 'amqp', url: 'amqp://', routingKey: 'q' }, 'child "url" fails because ["url" must name a host]'],
    ['an http URL for amqp', { transport: 'amqp', url: 'http://127.0.0.1/', routingKey: 'q' }, 'child "url" fails because ["url" must use the amqp: or amqps: scheme]'],
    ['amqp without a routing key on the default exchange', { transport: 'amqp', url: 'amqp://127.0.0.1/' }, 'child "routingKey" fails because ["routingKey" is required with the default exchange (it names the queue)]'],
    ['a method for amqp', { transport: 'amqp', url: 'amqp://127.0.0.1/', routingKey: 'q', method: 'PUT' }, 'child "method" fails because ["method" applies to http webhooks only]'],
    ['an exchange for http', { exchange: 'x' }, 'child "exchange" fails because ["exchange" applies to amqp webhooks only]'],
    ['a method that is not allowed', { method: 'DELETE' }, 'child "method" fails because ["method" must be one of [POST, PUT, PATCH]]'],
    ['X-Webhook-Signature as a header', { headers: { 'X-Webhook-Signature': 'forged' } }, 'child "headers" fails because ["headers" must not set X-Webhook-Signature: the service sets it]'],
    ['Content-Type as a header', { headers: { 'content-type': 'text/plain' } }, 'child "headers" fails because ["headers" must not set content-type: the service sets it]'],
    ['21 headers', { headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v'])) }, 'child "headers" fails because ["headers" must contain at most 20 headers]'],
    ['a header value with a line break', { headers: { 'X-A': 'a\r\nX-B: b' } }, 'child "headers" fails because ["headers" must not put line breaks in X-A]'],
    ['a header that is not a string', { headers: { 'X-A': 1 } }, 'child "headers" fails because ["headers" must map X-A to a string]'],
    ['headers as an array', { headers: ['X-A'] }, 'child "headers" fails because ["headers" must be an object of header names to values]'],
    ['a short secret', { secret: 'short' }, 'child "secret" fails because ["secret" must be longer than or equal to 16 characters]'],
    ['an unknown payload version', { payloadVersion: 'v2' }, 'child "payloadVersion" fails because ["payloadVersion" must be one of [v3, v1]]'],
  ])('refuses %s with a 400 naming the field, writing nothing', async (_case, body, message) => {
    const before = (await app.admin('GET', `/admin/accounts/${account.id}/webhooks`)).body.length;
    const res = await create(body);
    expect([res.status, res.body]).toEqual([400, { error: { message } }]);
    expect((await app.admin('GET', `/admin/accounts/${account.id}/webhooks`)).body).toHaveLength(before);
  });

  it('refuses a PATCH that would make the webhook invalid, changing nothing', async () => {
    const created = await create({});
    const res = await app.admin('PATCH', `/admin/webhooks/${created.body.id}`, { transport: 'amqp', url: 'amqp://127.0.0.1/' });
    expect(res.status).toBe(400);
    expect((await app.admin('GET', `/admin/webhooks/${created.body.id}`)).body).toEqual(created.body);
  });

  it('answers 404 for an unknown account or webhook, 400 for a malformed id', async () => {
    expect((await create({}, 2147483000)).status).toBe(404);
    expect((await app.admin('GET', '/admin/accounts/2147483000/webhooks')).status).toBe(404);
    expect((await app.admin('GET', '/admin/webhooks/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await app.admin('PATCH', '/admin/webhooks/00000000-0000-4000-8000-000000000000', { events: ['message.created'] })).status).toBe(404);
    expect((await app.admin('GET', '/admin/webhooks/nope')).status).toBe(400);
    expect((await app.admin('GET', '/admin/webhooks/00000000-0000-4000-8000-000000000000/deliveries')).status).toBe(404);
  });

  it('requires the admin token', async () => {
    const res = await app.request('GET', `/admin/accounts/${account.id}/webhooks`, { headers: { authorization: 'Bearer wrong' } });
    expect(res.status).toBe(401);
  });

  it('refuses a private address unless WEBHOOK_ALLOW_PRIVATE, for both transports', async () => {
    const strict = await startTestApp({ WORKERS_ENABLED: 'false', WEBHOOK_ALLOW_PRIVATE: 'false' });
    try {
      const owner = await createAccount(strict, 'partner');
      const http = await strict.admin('POST', `/admin/accounts/${owner.id}/webhooks`, { events: ['message.created'], transport: 'http', url: 'http://127.0.0.1:9/', secret: SECRET });
      expect([http.status, http.body.error.message]).toEqual([400, 'url resolves to a loopback or private address']);
      const amqp = await strict.admin('POST', `/admin/accounts/${owner.id}/webhooks`, { events: ['message.created'], transport: 'amqp', url: 'amqp://guest:guest@10.0.0.1/', routingKey: 'q', secret: SECRET });
      expect([amqp.status, amqp.body.error.message]).toEqual([400, 'url resolves to a loopback or private address']);
      expect(amqp.text).not.toContain('guest:guest');
    } finally {
      await strict.close();
    }
  });
});
