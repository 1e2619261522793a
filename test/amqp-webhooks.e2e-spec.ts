import { Channel, ChannelModel, connect, ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { verifyWebhook } from '../src/delivery/webhook/webhook-signature';
import { AccountFixture, createAccount, createCase } from './factories';
import { describeWithRabbitMq, RABBITMQ_HOST, RABBITMQ_PORT, RABBITMQ_URL } from './support/rabbitmq';
import { TcpProxy } from './support/tcp-proxy';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

const BASE = '/api/v3/case-messages';
const SECRET = 'amqp-webhook-secret-0123456789';

describeWithRabbitMq('AMQP webhooks')('Webhooks into a RabbitMQ queue', () => {
  const proxy = new TcpProxy(RABBITMQ_HOST, RABBITMQ_PORT);
  let app: TestApp;
  let broker: ChannelModel;
  let channel: Channel;
  let partner: AccountFixture;
  let provider: AccountFixture;
  let kase: { id: number; guid: string };
  const queue = `webhooks-e2e-${randomUUID()}`;
  const received: ConsumeMessage[] = [];

  const create = async (content: string) => {
    const res = await app.request('POST', `${BASE}/create?accessToken=${partner.token}`, { body: { guid: kase.guid, content, type: 'serviceComment' } });
    if (res.status !== 200) throw new Error(`create: ${res.status} ${res.text}`);
    return res.body;
  };
  const waitForMessages = async (count: number, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (received.length < count) {
      if (Date.now() > deadline) throw new Error(`only ${received.length} of ${count} AMQP messages arrived`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return received;
  };

  beforeAll(async () => {
    await proxy.start();
    broker = await connect(RABBITMQ_URL);
    channel = await broker.createChannel();
    await channel.assertQueue(queue, { durable: true });
    await channel.consume(queue, (message) => message && received.push(message), { noAck: true });
    app = await startTestApp({ DELIVERY_BACKOFF_BASE_SECONDS: '1', DELIVERY_MAX_ATTEMPTS: '50', WEBHOOK_TIMEOUT_MS: '2000' });
    [partner, provider] = await Promise.all([createAccount(app, 'partner'), createAccount(app, 'provider')]);
    kase = await createCase(app, partner, provider);
    const hook = await app.admin('POST', `/admin/accounts/${provider.id}/webhooks`, {
      events: ['message.created'],
      transport: 'amqp',
      url: `amqp://guest:guest@127.0.0.1:${proxy.port}/`,
      routingKey: queue,
      secret: SECRET,
    });
    expect(hook.status).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await channel?.deleteQueue(queue).catch(() => undefined);
    await broker?.close();
    await proxy.cut();
  });
  beforeEach(() => {
    received.length = 0;
  });

  it('publishes the signed message persistent, with message_id = the delivery id, type = the event and the signature headers', async () => {
    const message = await create('over AMQP');
    const [delivered] = await waitForMessages(1);
    const body = delivered.content.toString('utf8');
    expect(JSON.parse(body)).toEqual(message);
    expect(delivered.properties).toMatchObject({ contentType: 'application/json', deliveryMode: 2, type: 'message.created' });
    const headers = delivered.properties.headers as Record<string, string>;
    expect(verifyWebhook(SECRET, String(headers['x-webhook-timestamp']), body, String(headers['x-webhook-signature']))).toBe(true);
    const standard = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, String(headers[name])]));
    expect(new Webhook(`whsec_${Buffer.from(SECRET).toString('base64')}`).verify(body, standard)).toEqual(message);
    const deliveries = await app.admin('GET', '/admin/deliveries?kind=amqp');
    const row = deliveries.body.find((d: { messageId: string }) => d.messageId === String(message.id));
    expect(row).toMatchObject({ kind: 'amqp', status: 'sent', event: 'message.created' });
    expect(delivered.properties.messageId).toBe(row.id);
    expect(headers['webhook-id']).toBe(row.id);
  });

  it('loses nothing while the broker is unreachable: the deliveries wait and arrive once it is back', async () => {
    await proxy.cut();
    const messages = [await create('during the outage 1'), await create('during the outage 2'), await create('during the outage 3')];
    // The worker tries, fails (the error names the broker without its password) and keeps the rows pending.
    const deadline = Date.now() + 20_000;
    let failing: Array<{ lastError: string | null; status: string }> = [];
    while (Date.now() < deadline) {
      const all = await app.admin('GET', '/admin/deliveries?kind=amqp&limit=1000');
      failing = all.body.filter((d: { messageId: string; lastError: string | null }) => messages.some((m) => String(m.id) === d.messageId) && d.lastError);
      if (failing.length === messages.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(failing).toHaveLength(messages.length);
    for (const row of failing) {
      expect(row.status).toBe('pending');
      expect(row.lastError).not.toContain('guest:guest');
    }
    expect(received).toHaveLength(0);
    await proxy.restore();
    const arrived = await waitForMessages(messages.length, 45_000);
    expect(arrived.map((m) => JSON.parse(m.content.toString('utf8')).id).sort()).toEqual(messages.map((m) => m.id).sort());
  });
});
