import { AccountFixture, createAccount, createCase } from './factories';
import { verifyWebhook } from '../src/delivery/webhook/webhook-signature';
import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';
import { queuedWebhookEvents } from './support/webhook-events';
import { WebhookReceiver } from './support/webhook-receiver';

// Retries wait out real backoffs (1 s, 2 s …).
jest.setTimeout(40_000);

const BASE = '/api/v3/case-messages';

async function waitForDelivery(app: TestApp, predicate: (rows: any[]) => boolean): Promise<any[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await app.admin('GET', '/admin/deliveries?kind=webhook');
    expect(res.status).toBe(200);
    if (predicate(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`deliveries never matched: ${res.text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Delivery: signed case-message webhooks', () => {
  const receiver = new WebhookReceiver();
  let app: TestApp;
  let partner: AccountFixture;
  let provider: AccountFixture;
  let kase: { id: number; guid: string };

  const create = async (from: AccountFixture, content: string) => {
    const res = await app.request('POST', `${BASE}/create?accessToken=${from.token}`, { body: { guid: kase.guid, content, type: 'serviceComment' } });
    if (res.status !== 200 && res.status !== 201) throw new Error(`create: ${res.status} ${res.text}`);
    return res.body;
  };

  beforeAll(async () => {
    await receiver.start();
    app = await startTestApp({ DELIVERY_BACKOFF_BASE_SECONDS: '1', DELIVERY_MAX_ATTEMPTS: '3', DELIVERY_RETRY_HOURS: '0', WEBHOOK_TIMEOUT_MS: '1000' });
    [partner, provider] = await Promise.all([createAccount(app, 'partner'), createAccount(app, 'provider')]);
    kase = await createCase(app, partner, provider);
    for (const [account, secret] of [
      [partner, 'partner-secret-0123456789'],
      [provider, 'provider-secret-0123456789'],
    ] as const) {
      const res = await app.admin('PUT', `/admin/accounts/${account.id}/webhook`, { url: receiver.url(`/hook/${account.type}`), secret });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await app.close();
    await receiver.stop();
  });
  beforeEach(() => {
    receiver.calls.length = 0;
    receiver.status = 200;
  });

  it("POSTs the message to the receiving party's webhook only, signed with its secret", async () => {
    const message = await create(partner, 'from the partner');
    const [call] = await receiver.waitFor((c) => c.length >= 1);
    await new Promise((r) => setTimeout(r, 600));
    expect(receiver.calls).toHaveLength(1);
    expect(call.path).toBe('/hook/provider');
    expect(JSON.parse(call.body)).toEqual(message);
    const timestamp = call.headers['x-webhook-timestamp'] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(verifyWebhook('provider-secret-0123456789', timestamp, call.body, call.headers['x-webhook-signature'] as string)).toBe(true);
    expect(verifyWebhook('partner-secret-0123456789', timestamp, call.body, call.headers['x-webhook-signature'] as string)).toBe(false);
  });

  it('calls the partner when the provider writes', async () => {
    const message = await create(provider, 'from the provider');
    const [call] = await receiver.waitFor((c) => c.length >= 1);
    expect(call.path).toBe('/hook/partner');
    expect(JSON.parse(call.body).id).toBe(message.id);
  });

  it('retries a failing receiver with backoff, logs each attempt, and stops once it answers', async () => {
    receiver.status = 503;
    const message = await create(partner, 'retry me');
    await receiver.waitFor((c) => c.length >= 2);
    receiver.status = 204;
    const rows = await waitForDelivery(app, (r) => r.some((d: any) => d.messageId === String(message.id) && d.status === 'sent'));
    const row = rows.find((d: any) => d.messageId === String(message.id));
    const detail = await app.admin('GET', `/admin/deliveries/${row.id}`);
    expect(detail.body.accountId).toBe(provider.id);
    expect(detail.body.attemptLog.map((a: any) => a.statusCode)).toEqual([503, 503, 204]);
    expect(detail.body.attemptLog[0]).toMatchObject({ ok: false, error: 'HTTP 503' });
    expect(detail.body.attemptLog.every((a: any) => typeof a.latencyMs === 'number')).toBe(true);
    expect(receiver.calls).toHaveLength(3);
  });

  it('redelivers a sent webhook when an operator asks', async () => {
    const message = await create(partner, 'again please');
    await receiver.waitFor((c) => c.length >= 1);
    const rows = await waitForDelivery(app, (r) => r.some((d: any) => d.messageId === String(message.id) && d.status === 'sent'));
    const row = rows.find((d: any) => d.messageId === String(message.id));
    const retried = await app.admin('POST', `/admin/deliveries/${row.id}/retry`);
    expect(retried.status).toBe(200);
    const calls = await receiver.waitFor((c) => c.length >= 2);
    expect(calls[1].body).toBe(calls[0].body);
    expect(calls[1].headers['x-webhook-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('ends failed after the last attempt when the receiver never answers in time', async () => {
    receiver.status = 500;
    const message = await create(provider, 'never accepted');
    const rows = await waitForDelivery(app, (r) => r.some((d: any) => d.messageId === String(message.id) && d.status === 'failed'));
    expect(rows.find((d: any) => d.messageId === String(message.id))).toMatchObject({ attempts: 3, lastError: 'HTTP 500', accountId: partner.id });
    const failed = await app.admin('GET', '/admin/deliveries?status=failed&kind=webhook');
    expect(failed.body.map((d: any) => d.messageId)).toContain(String(message.id));
  });

  it('queues nothing for a receiving account without a webhook', async () => {
    const [otherPartner, otherProvider] = await Promise.all([createAccount(app, 'partner'), createAccount(app, 'provider')]);
    const other = await createCase(app, otherPartner, otherProvider);
    const res = await app.request('POST', `${BASE}/create?accessToken=${otherPartner.token}`, { body: { guid: other.guid, content: 'x', type: 'serviceComment' } });
    expect([200, 201]).toContain(res.status);
    const all = await app.admin('GET', '/admin/deliveries?kind=webhook&limit=1000');
    expect(all.body.some((d: any) => d.messageId === String(res.body.id))).toBe(false);
  });

  it('sends a deactivated account nothing: pending deliveries are cancelled, events meanwhile are dropped, reactivation resumes', async () => {
    const [sender, workshop] = await Promise.all([createAccount(app, 'partner'), createAccount(app, 'provider')]);
    const own = await createCase(app, sender, workshop);
    expect((await app.admin('PUT', `/admin/accounts/${workshop.id}/webhook`, { url: receiver.url('/hook/deactivated'), secret: 'workshop-secret-0123456789' })).status).toBe(200);
    const send = async (content: string): Promise<string> => {
      const res = await app.request('POST', `${BASE}/create?accessToken=${sender.token}`, { body: { guid: own.guid, content, type: 'serviceComment' } });
      expect(res.status).toBe(200);
      return String(res.body.id);
    };
    const deliveryOf = async (messageId: string) => (await app.admin('GET', '/admin/deliveries?kind=webhook&limit=1000')).body.find((d: any) => d.messageId === messageId);
    const db = app.running.app.get(DataSource);
    const fannedOut = async (messageId: string) => {
      for (const deadline = Date.now() + 15_000; (await queuedWebhookEvents(db, Number(messageId))).length > 0; ) {
        if (Date.now() > deadline) throw new Error('webhook event never fanned out');
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    receiver.status = 503;
    const waiting = await send('retried until the account is switched off');
    await receiver.waitFor((c) => c.some((call) => call.path === '/hook/deactivated'));
    expect((await app.admin('POST', `/admin/accounts/${workshop.id}/deactivate`)).status).toBe(200);
    expect(await deliveryOf(waiting)).toMatchObject({ status: 'cancelled' });

    receiver.status = 200;
    const dropped = await send('while switched off');
    await fannedOut(dropped);
    expect(await deliveryOf(dropped)).toBeUndefined();

    expect((await app.admin('POST', `/admin/accounts/${workshop.id}/reactivate`)).status).toBe(200);
    const resumed = await send('back on');
    await waitForDelivery(app, (rows) => rows.some((d: any) => d.messageId === resumed && d.status === 'sent'));
    const bodies = receiver.calls.filter((c) => c.path === '/hook/deactivated').map((c) => JSON.parse(c.body).id);
    expect(bodies).toContain(Number(resumed));
    expect(bodies).not.toContain(Number(dropped));
  });

  it('cancels, at its turn, a delivery whose account was deactivated after it was queued', async () => {
    const [sender, workshop] = await Promise.all([createAccount(app, 'partner'), createAccount(app, 'provider')]);
    const own = await createCase(app, sender, workshop);
    expect((await app.admin('PUT', `/admin/accounts/${workshop.id}/webhook`, { url: receiver.url('/hook/late'), secret: 'workshop-secret-0123456789' })).status).toBe(200);
    receiver.status = 503;
    const res = await app.request('POST', `${BASE}/create?accessToken=${sender.token}`, { body: { guid: own.guid, content: 'queued first', type: 'serviceComment' } });
    await receiver.waitFor((c) => c.some((call) => call.path === '/hook/late'));
    // As another instance's fan-out that committed after the deactivation's cancel would leave it: still pending.
    await app.running.app.get(DataSource).query(`UPDATE accounts SET deactivated_at = now() WHERE id = $1`, [workshop.id]);
    const rows = await waitForDelivery(app, (r) => r.some((d: any) => d.messageId === String(res.body.id) && d.status === 'cancelled'));
    const detail = await app.admin('GET', `/admin/deliveries/${rows.find((d: any) => d.messageId === String(res.body.id)).id}`);
    expect(detail.body.attemptLog.at(-1)).toMatchObject({ ok: false, error: 'account deactivated' });
  });
});
