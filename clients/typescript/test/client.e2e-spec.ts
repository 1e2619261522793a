import { randomBytes } from 'node:crypto';
import { AccountFixture, createAccount, createCase, createUser, UserFixture } from '../../../test/factories';
import { startTestApp, TestApp } from '../../../test/support/test-app';
import { WebhookReceiver } from '../../../test/support/webhook-receiver';
import {
  BadRequestError,
  CaseMessage,
  createClient,
  InvalidRequestError,
  NotFoundError,
  RateLimitedError,
  ServiceUnavailableError,
  UnauthorizedError,
  verifyWebhook,
  WebhookVerificationError,
} from '../src';
import { FaultProxy } from './fault-proxy';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('TypeScript client against the running service', () => {
  let app: TestApp;
  let proxy: FaultProxy;
  let partner: AccountFixture;
  let provider: AccountFixture;
  let kase: { guid: string };
  let service: UserFixture;
  let reader: UserFixture;

  const userMessage = (topic: string, source = 'ClientTest') => ({ receiver: { id: reader.id }, source, topic, severity: 'Info' as const, returnCode: 'OK' });

  beforeAll(async () => {
    app = await startTestApp();
    proxy = new FaultProxy(app.baseUrl);
    await proxy.start();
    [partner, provider, service, reader] = await Promise.all([createAccount(app, 'partner'), createAccount(app, 'provider'), createUser(app, 'service'), createUser(app)]);
    kase = await createCase(app, partner, provider);
  });
  afterAll(async () => {
    await proxy.stop();
    await app.close();
  });
  beforeEach(() => proxy.reset());

  describe('v3 case messages', () => {
    it('creates, lists, drains the feed across pages and confirms, with each token style', async () => {
      const writer = createClient({ baseUrl: app.baseUrl, token: partner.token, auth: 'hub-api-token' });
      const created: CaseMessage[] = [];
      for (let i = 0; i < 5; i++) created.push(await writer.caseMessages.create({ guid: kase.guid, content: `m${i}`, type: 'serviceComment', externalId: `client-${i}` }));
      expect(await writer.caseMessages.create({ guid: kase.guid, content: 'm0', type: 'serviceComment', externalId: 'client-0' })).toEqual(created[0]);

      const reader3 = createClient({ baseUrl: app.baseUrl, token: provider.token });
      expect((await reader3.caseMessages.list(kase.guid)).map((m) => m.id)).toEqual(expect.arrayContaining(created.map((m) => m.id)));
      const fed = await collect(reader3.caseMessages.feed({ pageSize: 2, unconfirmed: true }));
      expect(fed.map((m) => m.id)).toEqual(created.map((m) => m.id));

      const byQuery = createClient({ baseUrl: app.baseUrl, token: provider.token, auth: 'access-token' });
      const confirmed = await byQuery.caseMessages.confirm(created.map((m) => m.id));
      expect(confirmed).toMatchObject({ success: true, errors: [] });
      expect([...confirmed.data.confirmed].sort()).toEqual(created.map((m) => m.id).sort());
      expect(await collect(reader3.caseMessages.feed({ unconfirmed: true }))).toEqual([]);
      expect((await collect(reader3.caseMessages.feed({ afterId: created[2].id }))).map((m) => m.id)).toEqual([created[3].id, created[4].id]);
    });

    it('throws typed errors carrying the service message and request id', async () => {
      const stranger = createClient({ baseUrl: app.baseUrl, token: 'not-a-real-token' });
      const unauthorized = await rejection(stranger.caseMessages.list(kase.guid));
      expect(unauthorized).toBeInstanceOf(UnauthorizedError);
      expect(unauthorized).toMatchObject({ status: 401, message: 'Invalid access token' });
      expect((unauthorized as UnauthorizedError).requestId).toMatch(/.+/);

      const client = createClient({ baseUrl: app.baseUrl, token: partner.token });
      const missing = await rejection(client.caseMessages.list('3f2504e0-4f89-41d3-9a0c-0305e82c3301'));
      expect(missing).toBeInstanceOf(NotFoundError);
      expect(missing.message).toBe('Case not found');
      const invalid = await rejection(client.caseMessages.create({ guid: kase.guid, type: 'nonsense' as 'serviceComment' }));
      expect(invalid).toBeInstanceOf(BadRequestError);
      expect(invalid.message).toContain('"type"');
    });

    it('refuses before sending what the service would refuse', async () => {
      let sent = 0;
      const client = createClient({ baseUrl: app.baseUrl, token: partner.token, fetch: (request) => (sent++, fetch(request)) });
      for (const call of [
        () => client.caseMessages.confirm([]),
        () => client.caseMessages.confirm([1, 2.5]),
        () => client.caseMessages.confirm(Array.from({ length: 1001 }, (_, i) => i + 1)),
        () => client.caseMessages.list('not-a-guid'),
        () => client.caseMessages.create({ guid: 'nope', type: 'serviceComment' }),
        () => collect(client.caseMessages.feed({ pageSize: 0 })),
        () => collect(client.caseMessages.feed({ afterId: -1 })),
      ]) {
        expect(await rejection((async () => call())())).toBeInstanceOf(InvalidRequestError);
      }
      expect(sent).toBe(0);
      expect(() => createClient({ baseUrl: 'localhost:3000', token: 't' })).toThrow(InvalidRequestError);
      expect(() => createClient({ baseUrl: app.baseUrl, token: '' })).toThrow('token is required');
    });
  });

  describe('v2 user messages', () => {
    it('sends, pages the inbox by Link, filters with a plain &, counts and marks as read', async () => {
      const sender = createClient({ baseUrl: app.baseUrl, token: service.token });
      const sent = [];
      for (let i = 0; i < 5; i++) sent.push(await sender.userMessages.create(userMessage(`t${i}`, i === 4 ? 'Other' : 'ClientTest')));
      const inbox = createClient({ baseUrl: app.baseUrl, token: reader.token });
      const all = await collect(inbox.userMessages.inbox('me', { pageSize: 2 }));
      expect(all.map((m) => m.id)).toEqual(sent.map((m) => m.id).reverse());
      const filtered = await collect(inbox.userMessages.search({ filter: 'unread=true&source=Other' }));
      expect(filtered.map((m) => m.id)).toEqual([sent[4].id]);
      expect((await inbox.userMessages.unreadCount()).browser).toBe(5);
      const read = await inbox.userMessages.markAsReadBrowser(sent[0].id);
      expect(read.unreadBrowserNotification).toBe(false);
      expect((await inbox.userMessages.get(sent[0].id)).id).toBe(sent[0].id);
      const gone = await rejection(inbox.userMessages.get('3f2504e0-4f89-41d3-9a0c-0305e82c3301'));
      expect(gone).toBeInstanceOf(NotFoundError);
      expect(gone.message).toBe('Message not found');
      await inbox.userMessages.delete(sent[1].id);
      expect(await rejection(inbox.userMessages.get(sent[1].id))).toBeInstanceOf(NotFoundError);
    });
  });

  describe('retries', () => {
    const through = (token: string) => createClient({ baseUrl: proxy.url, token, retry: { baseDelayMs: 50 } });

    it('retries a v2 create after a 503 with the same Idempotency-Key, so one message is stored', async () => {
      proxy.inject({ status: 503, retryAfter: '1', times: 1, matches: (m, p) => m === 'POST' && p === '/v2/messages' });
      const message = await through(service.token).userMessages.create(userMessage('after a 503'));
      const creates = proxy.seen.filter((s) => s.path === '/v2/messages');
      expect(creates.map((s) => s.faulted)).toEqual([true, false]);
      expect(creates[1].headers['idempotency-key']).toBe(creates[0].headers['idempotency-key']);
      const inbox = await collect(createClient({ baseUrl: app.baseUrl, token: reader.token }).userMessages.search({ filter: 'topic=after a 503' }));
      expect(inbox.map((m) => m.id)).toEqual([message.id]);
    });

    it('retries a v3 create after a 503 only when it has an externalId', async () => {
      proxy.inject({ status: 503, retryAfter: '1', times: 2, matches: (_m, p) => p === '/api/v3/case-messages/create' });
      const refused = await rejection(through(partner.token).caseMessages.create({ guid: kase.guid, content: 'no externalId', type: 'serviceComment' }));
      expect(refused).toBeInstanceOf(ServiceUnavailableError);
      expect(refused).toMatchObject({ status: 503, retryAfterSeconds: 1, message: 'injected 503' });
      expect(proxy.seen).toHaveLength(1);
      const message = await through(partner.token).caseMessages.create({ guid: kase.guid, content: 'with externalId', type: 'serviceComment', externalId: 'retry-503' });
      expect(proxy.seen.map((s) => s.faulted)).toEqual([true, true, false]);
      const stored = await createClient({ baseUrl: app.baseUrl, token: partner.token }).caseMessages.list(kase.guid);
      expect(stored.filter((m) => m.externalId === 'retry-503').map((m) => m.id)).toEqual([message.id]);
      expect(stored.some((m) => m.content === 'no externalId')).toBe(false);
    });

    it('retries any call after a 429 and throws at once when Retry-After is longer than it may wait', async () => {
      proxy.inject({ status: 429, retryAfter: '1', times: 1, matches: (_m, p) => p === '/api/v3/case-messages/create' });
      const message = await through(partner.token).caseMessages.create({ guid: kase.guid, content: 'after a 429', type: 'serviceComment' });
      expect(message.content).toBe('after a 429');
      expect(proxy.seen.map((s) => s.faulted)).toEqual([true, false]);

      proxy.reset();
      proxy.inject({ status: 429, retryAfter: '120', times: 1, matches: () => true });
      const limited = await rejection(through(partner.token).caseMessages.list(kase.guid));
      expect(limited).toBeInstanceOf(RateLimitedError);
      expect(limited).toMatchObject({ status: 429, retryAfterSeconds: 120 });
      expect(proxy.seen).toHaveLength(1);
    });

    it("surfaces the service's own 429 with its message and Retry-After", async () => {
      const limited = await startTestApp({ RATE_LIMIT_PER_MINUTE: '2' });
      try {
        const account = await createAccount(limited, 'partner');
        const client = createClient({ baseUrl: limited.baseUrl, token: account.token, retry: { maxDelayMs: 0 } });
        const errors: Error[] = [];
        for (let i = 0; i < 3; i++) await client.caseMessages.feed().next().catch((error: Error) => errors.push(error));
        expect(errors).toHaveLength(1);
        expect(errors[0]).toBeInstanceOf(RateLimitedError);
        expect(errors[0].message).toBe('Too many requests; retry after the time in Retry-After');
        expect((errors[0] as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
      } finally {
        await limited.close();
      }
    });
  });

  describe('webhook verifier', () => {
    const receiver = new WebhookReceiver();
    beforeAll(() => receiver.start());
    afterAll(() => receiver.stop());

    it('verifies a real delivery with a whsec_ secret and a plain one, and says why a bad call fails', async () => {
      for (const secret of [`whsec_${randomBytes(32).toString('base64')}`, 'plain-receiver-secret-0123456789']) {
        receiver.calls.length = 0;
        expect((await app.admin('PUT', `/admin/accounts/${provider.id}/webhook`, { url: receiver.url('/hook'), secret })).status).toBe(200);
        const message = await createClient({ baseUrl: app.baseUrl, token: partner.token }).caseMessages.create({ guid: kase.guid, content: 'hook', type: 'serviceComment' });
        const [call] = await receiver.waitFor((calls) => calls.length >= 1);
        const verified = verifyWebhook<CaseMessage>(secret, call.body, call.headers);
        expect(verified).toEqual({ id: call.headers['x-webhook-id'], timestamp: Number(call.headers['webhook-timestamp']), event: 'message.created', payload: message });

        const reasons = [
          () => verifyWebhook(secret, call.body.replace('hook', 'HOOK'), call.headers),
          () => verifyWebhook('another-secret-0123456789', call.body, call.headers),
          () => verifyWebhook(secret, call.body, call.headers, { nowSeconds: verified.timestamp + 301 }),
          () => verifyWebhook(secret, call.body, { ...call.headers, 'webhook-signature': undefined }),
        ].map((verify) => {
          try {
            verify();
            return 'verified';
          } catch (error) {
            expect(error).toBeInstanceOf(WebhookVerificationError);
            return (error as Error).message;
          }
        });
        expect(reasons).toEqual([
          'No matching signature: another secret, or the body was changed on the way',
          'No matching signature: another secret, or the body was changed on the way',
          'webhook-timestamp is more than 300 s away from now (a replay, or a clock out of step)',
          'Missing webhook-id, webhook-timestamp or webhook-signature header',
        ]);
      }
    });
  });
});
