import { DataSource } from 'typeorm';
import { AccountFixture, createAccount, createCase } from './factories';
import { startTestApp, TestApp } from './support/test-app';
import { queuedWebhookEvents } from './support/webhook-events';
import { WebhookReceiver } from './support/webhook-receiver';

jest.setTimeout(40_000);

const BASE = '/api/v3/case-messages';
const SECRET = 'fan-out-secret-0123456789';

/** Two instances need a database server: the embedded database serves one (webhook-subscriptions covers it there). */
const withServer = Boolean(process.env.DATABASE_URL);
const describeWithServer = withServer ? describe : describe.skip;
if (!withServer) console.warn('webhook fan-out across instances: SKIPPED, two instances need DATABASE_URL (the embedded database serves one)');

/**
 * A v3 statement queues one webhook event row; the workers fan it out into deliveries. An API instance
 * without workers keeps the events, and a worker instance started later delivers them.
 */
describeWithServer('Webhook events: queued with the message, fanned out by the workers', () => {
  const receiver = new WebhookReceiver();
  let api: TestApp;
  let worker: TestApp | undefined;
  let db: DataSource;
  let subscribed: AccountFixture;
  let unsubscribed: AccountFixture;
  let provider: AccountFixture;
  let cases: Array<{ id: number; guid: string }>;

  const subscribe = async (account: AccountFixture, events: string[], path: string) => {
    const res = await api.admin('POST', `/admin/accounts/${account.id}/webhooks`, { transport: 'http', secret: SECRET, events, url: receiver.url(path) });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const create = async (from: AccountFixture, guid: string, content: string): Promise<number> => {
    const res = await api.request('POST', `${BASE}/create?accessToken=${from.token}`, { body: { guid, content, type: 'serviceComment' } });
    expect(res.status).toBe(200);
    return res.body.id;
  };
  /** Waits until the worker has turned the waiting events (of `messageId`, or all) into deliveries. */
  const untilFannedOut = async (messageId?: number) => {
    for (const deadline = Date.now() + 15_000; (await queuedWebhookEvents(db, messageId)).length > 0; ) {
      if (Date.now() > deadline) throw new Error('webhook events never fanned out');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const confirm = (ids: number[]) => api.request('POST', `${BASE}/confirm?accessToken=${provider.token}`, { body: ids });

  beforeAll(async () => {
    await receiver.start();
    api = await startTestApp({ WORKERS_ENABLED: 'false' });
    db = api.running.app.get(DataSource);
    [subscribed, unsubscribed, provider] = await Promise.all([createAccount(api, 'partner'), createAccount(api, 'partner'), createAccount(api, 'provider')]);
    cases = [await createCase(api, subscribed, provider), await createCase(api, unsubscribed, provider)];
  });
  afterAll(async () => {
    await worker?.close();
    await api.close();
    await receiver.stop();
  });

  it('queues one event per confirm batch, only for senders that subscribe, none for a re-confirm; a worker started later sends each once', async () => {
    await subscribe(subscribed, ['message.confirmed'], '/confirmed');
    const mine = [await create(subscribed, cases[0].guid, 'one'), await create(subscribed, cases[0].guid, 'two')];
    const theirs = await create(unsubscribed, cases[1].guid, 'nobody listens');
    const before = (await db.query(`SELECT count(*)::int AS n FROM webhook_events`))[0].n;

    expect((await confirm([mine[1], theirs, mine[0]])).status).toBe(200);
    const afterFirst = (await db.query(`SELECT count(*)::int AS n FROM webhook_events`))[0].n;
    expect(afterFirst - before).toBe(1);
    const confirmed = (await queuedWebhookEvents(db)).filter((e) => e.event === 'message.confirmed');
    expect(confirmed.map((e) => [e.messageId, e.accountId]).sort()).toEqual(mine.map((id) => [String(id), subscribed.id]).sort());
    expect((await confirm(mine)).body.data.alreadyConfirmed).toEqual(mine);
    expect((await db.query(`SELECT count(*)::int AS n FROM webhook_events`))[0].n).toBe(afterFirst);

    worker = await startTestApp({}, { shareDatabaseUrl: api.databaseUrl });
    const calls = await receiver.waitFor((c) => c.filter((call) => call.path === '/confirmed').length >= 2);
    expect(calls.filter((c) => c.path === '/confirmed').map((c) => JSON.parse(c.body).id).sort()).toEqual([...mine].sort());
    await untilFannedOut();
    await worker.close();
    worker = undefined;
  });

  it('sends an event only to the webhooks that existed when it happened', async () => {
    const early = await subscribe(provider, ['message.created'], '/early');
    const message = await create(subscribed, cases[0].guid, 'before the second webhook');
    expect((await queuedWebhookEvents(db, message)).map((e) => e.accountId)).toEqual([provider.id]);
    const late = await subscribe(provider, ['message.created'], '/late');

    worker = await startTestApp({}, { shareDatabaseUrl: api.databaseUrl });
    await receiver.waitFor((c) => c.some((call) => call.path === '/early'));
    await untilFannedOut(message);
    const deliveries = await db.query(`SELECT webhook_id AS "webhookId" FROM deliveries WHERE event = 'message.created' AND message_id = $1`, [String(message)]);
    expect(deliveries).toEqual([{ webhookId: early.id }]);
    expect(receiver.calls.filter((c) => c.path === '/late')).toEqual([]);
    expect(late.id).not.toBe(early.id);
  });
});
