import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { AccountFixture, createAccount, createCase } from './factories';
import { startTestApp, TestApp } from './support/test-app';
import { ReceivedCall, WebhookReceiver } from './support/webhook-receiver';

const BASE = '/api/v3/case-messages';
const WHSEC = `whsec_${randomBytes(32).toString('base64')}`;
const PLAIN = 'plain-shared-secret-0123456789';

function verificationError(verify: () => unknown): string {
  try {
    verify();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.message;
    throw error;
  }
  throw new Error('verification passed');
}

describe('Standard Webhooks headers on real deliveries', () => {
  const receiver = new WebhookReceiver();
  let app: TestApp;
  let partner: AccountFixture;
  let provider: AccountFixture;
  let kase: { guid: string };

  const deliver = async (content: string): Promise<[any, ReceivedCall]> => {
    receiver.calls.length = 0;
    const res = await app.request('POST', `${BASE}/create?accessToken=${partner.token}`, { body: { guid: kase.guid, content, type: 'serviceComment' } });
    expect(res.status).toBe(200);
    const [call] = await receiver.waitFor((calls) => calls.length >= 1);
    return [res.body, call];
  };
  const setSecret = async (secret: string) => {
    const res = await app.admin('PUT', `/admin/accounts/${provider.id}/webhook`, { url: receiver.url('/hook'), secret });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    await receiver.start();
    app = await startTestApp();
    [partner, provider] = await Promise.all([createAccount(app, 'partner'), createAccount(app, 'provider')]);
    kase = await createCase(app, partner, provider);
  });
  afterAll(async () => {
    await app.close();
    await receiver.stop();
  });

  it('signs with a whsec_ secret so the standardwebhooks package verifies the call as it arrived', async () => {
    await setSecret(WHSEC);
    const [message, call] = await deliver('standard webhooks');
    expect(new Webhook(WHSEC).verify(call.body, call.headers as Record<string, string>)).toEqual(message);
    expect(call.headers['webhook-id']).toBe(call.headers['x-webhook-id']);
    expect(call.headers['webhook-timestamp']).toBe(call.headers['x-webhook-timestamp']);
    expect(call.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(call.headers['x-webhook-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('signs with a plain secret as its UTF-8 bytes: whsec_ + base64(secret) verifies', async () => {
    await setSecret(PLAIN);
    const [message, call] = await deliver('plain secret');
    expect(new Webhook(`whsec_${Buffer.from(PLAIN).toString('base64')}`).verify(call.body, call.headers as Record<string, string>)).toEqual(message);
    expect(new Webhook(PLAIN, { format: 'raw' }).verify(call.body, call.headers as Record<string, string>)).toEqual(message);
  });

  it('fails verification with a reason for a changed body, another secret, a stale timestamp or a missing header', async () => {
    await setSecret(WHSEC);
    const [, call] = await deliver('tamper with me');
    const headers = call.headers as Record<string, string>;
    const hook = new Webhook(WHSEC);
    expect(verificationError(() => hook.verify(call.body.replace('tamper', 'TAMPER'), headers))).toBe('No matching signature found');
    expect(verificationError(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(call.body, headers))).toBe('No matching signature found');
    const stale = String(Math.floor(Date.now() / 1000) - 600);
    expect(verificationError(() => hook.verify(call.body, { ...headers, 'webhook-timestamp': stale }))).toBe('Message timestamp too old');
    const { 'webhook-id': _id, ...withoutId } = headers;
    expect(verificationError(() => hook.verify(call.body, withoutId))).toBe('Missing required headers');
  });

  it('refuses a malformed whsec_ secret and custom headers named webhook-*, writing nothing', async () => {
    const before = await app.admin('GET', `/admin/accounts/${provider.id}/webhooks`);
    const bad = await app.admin('PUT', `/admin/accounts/${provider.id}/webhook`, { url: receiver.url('/hook'), secret: 'whsec_not-base64-at-all!!' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('"secret" must be base64 of 24 to 64 bytes after "whsec_"');
    const header = await app.admin('POST', `/admin/accounts/${provider.id}/webhooks`, {
      events: ['message.created'],
      transport: 'http',
      url: receiver.url('/other'),
      secret: WHSEC,
      headers: { 'Webhook-Id': 'forged' },
    });
    expect(header.status).toBe(400);
    expect(header.body.error.message).toContain('"headers" must not set Webhook-Id: the service sets it');
    const after = await app.admin('GET', `/admin/accounts/${provider.id}/webhooks`);
    expect(after.body).toEqual(before.body);
  });
});
