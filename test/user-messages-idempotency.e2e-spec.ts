import { DataSource } from 'typeorm';
import { IdempotencyKeyPruner } from '../src/user-messages/idempotency-key.pruner';
import { createUser, UserFixture } from './factories';
import { CallAs, startUserMessagesApp } from './factories/user-messages';
import { TestApp } from './support/test-app';

describe('user messages v2: idempotent create', () => {
  let app: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let carol: UserFixture;
  let service: UserFixture;
  let as: CallAs;

  beforeAll(async () => {
    ({ app, alice, bob, carol, service, as } = await startUserMessagesApp());
  });
  afterAll(async () => {
    await app.close();
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
