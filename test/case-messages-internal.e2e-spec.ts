import { randomUUID } from 'node:crypto';
import { AccountFixture, createAccount, createCase } from './factories';
import { DataSource } from 'typeorm';
import { HttpResult, startTestApp, TestApp } from './support/test-app';
import { queuedWebhookEvents } from './support/webhook-events';

const BASE = '/api/v3/case-messages';

describe('Case Messages API v3: internal messages', () => {
  let app: TestApp;
  let partner: AccountFixture;
  let provider: AccountFixture;
  let kase: { id: number; guid: string };

  const create = (account: AccountFixture, body: Record<string, unknown>): Promise<HttpResult> =>
    app.request('POST', `${BASE}/create?accessToken=${account.token}`, { body: { guid: kase.guid, type: 'serviceComment', ...body } });
  const ids = (res: HttpResult): number[] => res.body.map((m: { id: number }) => m.id);
  const list = (account: AccountFixture, query = '') => app.request('GET', `${BASE}?accessToken=${account.token}&guid=${kase.guid}${query}`);
  const feed = (account: AccountFixture, query = '') => app.request('GET', `${BASE}/feed?accessToken=${account.token}${query}`);
  const confirm = (account: AccountFixture, body: number[]) => app.request('POST', `${BASE}/confirm?accessToken=${account.token}`, { body });

  beforeAll(async () => {
    app = await startTestApp({ WORKERS_ENABLED: 'false' });
    [partner, provider] = await Promise.all([createAccount(app, 'partner'), createAccount(app, 'provider')]);
    kase = await createCase(app, partner, provider);
    // The provider has a webhook: a public message from the partner queues a webhook event, an internal one none.
    const hook = await app.admin('PUT', `/admin/accounts/${provider.id}/webhook`, { url: 'http://127.0.0.1:9/hook', secret: 'provider-secret-0123456789' });
    expect(hook.status).toBe(200);
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers isInternal on every message, false by default', async () => {
    const plain = await create(partner, { content: 'public' });
    const note = await create(partner, { content: 'note to self', isInternal: true });
    expect([plain.status, note.status]).toEqual([200, 200]);
    expect([plain.body.isInternal, note.body.isInternal]).toEqual([false, true]);
    const own = await list(partner);
    expect(own.body.find((m: { id: number }) => m.id === note.body.id)).toEqual(note.body);
  });

  it("keeps an internal message out of the other party's list, feed and unconfirmed set", async () => {
    const before = await feed(provider);
    const note = await create(partner, { content: 'internal', isInternal: true });
    const visible = await create(partner, { content: 'visible' });
    expect(ids(await list(partner))).toEqual(expect.arrayContaining([note.body.id, visible.body.id]));
    expect(ids(await list(provider))).toContain(visible.body.id);
    expect(ids(await list(provider))).not.toContain(note.body.id);
    expect(ids(await list(provider, '&unconfirmed=true'))).not.toContain(note.body.id);
    const after = (await feed(provider, `&afterId=${before.body.at(-1)?.id ?? 0}`)).body.map((m: { id: number }) => m.id);
    expect(after).toEqual([visible.body.id]);
    expect(ids(await feed(provider, '&unconfirmed=true'))).not.toContain(note.body.id);
  });

  it('queues no webhook for an internal message', async () => {
    const note = await create(partner, { content: 'no webhook', isInternal: true });
    const visible = await create(partner, { content: 'webhook' });
    const messageIds = (await queuedWebhookEvents(app.running.app.get(DataSource))).map((e) => e.messageId);
    expect(messageIds).toContain(String(visible.body.id));
    expect(messageIds).not.toContain(String(note.body.id));
  });

  it("answers Not found when the other party confirms an internal message, and Own message to its sender", async () => {
    const note = await create(partner, { content: 'not yours', isInternal: true });
    const res = await confirm(provider, [note.body.id]);
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([{ id: note.body.id, message: 'Not found' }]);
    expect((await confirm(partner, [note.body.id])).body.errors).toEqual([{ id: note.body.id, message: 'Own message' }]);
    expect((await list(partner)).body.find((m: { id: number }) => m.id === note.body.id).confirmedAt).toBeNull();
  });

  it("refuses a reply to the other party's internal message, as to a message of another case", async () => {
    const note = await create(provider, { content: 'provider only', isInternal: true });
    const reply = await create(partner, { content: 're', parentMessageId: note.body.id });
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toContain('parentMessageId');
    expect((await create(provider, { content: 'own reply', parentMessageId: note.body.id })).status).toBe(200);
  });

  it('compares isInternal on an idempotent retry: the same answer, or a 409 naming it', async () => {
    const externalId = `ext-${randomUUID()}`;
    const first = await create(partner, { content: 'once', externalId, isInternal: true });
    const retry = await create(partner, { content: 'once', externalId, isInternal: true });
    expect(retry.body).toEqual(first.body);
    const differs = await create(partner, { content: 'once', externalId });
    expect(differs.status).toBe(409);
    expect(differs.body.error.message).toContain('isInternal');
  });
});
