import { DataSource } from 'typeorm';
import { createGroup, createUser, UserFixture } from './factories';
import { recordStatements } from './support/statement-recorder';
import { startTestApp, TestApp } from './support/test-app';

/**
 * What a v2 create writes and how: the message, its recipient rows and their e-mail and stream-event rows
 * in one statement (plus the addressee lookup), all or nothing. Workers are off so that the deliveries
 * stay queued where the test can read them and their polls do not mix with the counted statements.
 */
describe('user messages v2: create and mark write everything in one statement', () => {
  let app: TestApp;
  let db: DataSource;
  let service: UserFixture;
  let alice: UserFixture;

  const post = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.request('POST', '/v2/messages', {
      body: { source: 'Jobs', topic: 'done', severity: 'Info', returnCode: 'OK', ...body },
      headers: { authorization: `BimPlus ${service.token}`, ...headers },
    });
  /** Rows the create wrote for `messageId`, per table. */
  const written = async (messageId: string) => {
    const [row] = await db.query(
      `SELECT (SELECT count(*) FROM user_messages WHERE id = $1)::int AS messages,
              (SELECT count(*) FROM user_message_recipients WHERE message_id = $1)::int AS recipients,
              (SELECT count(*) FROM deliveries WHERE kind = 'email' AND message_id = $1::text)::int AS emails,
              (SELECT count(*) FROM user_stream_events WHERE message_id = $1 AND type = 'message')::int AS events`,
      [messageId],
    );
    return row;
  };

  beforeAll(async () => {
    app = await startTestApp({ WORKERS_ENABLED: 'false' });
    db = app.running.app.get(DataSource);
    [service, alice] = await Promise.all([createUser(app, 'service'), createUser(app)]);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('statements per request', () => {
    let recorder: ReturnType<typeof recordStatements>;
    beforeEach(() => {
      recorder = recordStatements();
    });
    afterEach(() => recorder.stop());

    it('sends the addressee lookup and one statement that writes the message, its recipient, e-mail and stream event', async () => {
      await post({ receiver: { id: alice.id } });
      recorder.statements.length = 0;
      const res = await post({ receiver: { id: alice.id } });
      expect(res.status).toBe(201);
      expect(recorder.firstWords()).toEqual(['SELECT', 'WITH']);
      expect(await written(res.body.id)).toEqual({ messages: 1, recipients: 1, emails: 1, events: 1 });
    });

    it('wraps the same statement in a transaction with the Idempotency-Key claim and the stored response', async () => {
      const res = await post({ receiver: { id: alice.id } }, { 'idempotency-key': 'create-once' });
      expect(res.status).toBe(201);
      expect(recorder.firstWords()).toEqual(['SELECT', 'START', 'INSERT', 'WITH', 'UPDATE', 'COMMIT']);
      expect(await written(res.body.id)).toEqual({ messages: 1, recipients: 1, emails: 1, events: 1 });
    });

    it("marks as read in one statement: the caller's flag, an `updated` event on the caller's stream, the answer", async () => {
      const sent = await post({ receiver: { id: alice.id } });
      await app.request('GET', '/v2/user/me/messages/unreadcount', { headers: { authorization: `BimPlus ${alice.token}` } }); // token now cached
      recorder.statements.length = 0;
      const res = await app.request('POST', `/v2/messages/${sent.body.id}/markasreadbrowser`, { headers: { authorization: `BimPlus ${alice.token}` } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: sent.body.id, unreadBrowserNotification: false, unreadEmail: true });
      expect(recorder.firstWords()).toEqual(['WITH']);
      const [events] = await db.query(`SELECT count(*)::int AS n FROM user_stream_events WHERE message_id = $1 AND type = 'updated' AND user_id = $2`, [
        sent.body.id,
        alice.id,
      ]);
      expect(events.n).toBe(1);
    });
    it('marks all as read in one statement, with one `updated` event per changed message on the caller\'s stream', async () => {
      const reader = await createUser(app);
      const sent = [await post({ receiver: { id: reader.id } }), await post({ receiver: { id: reader.id } }), await post({ receiver: { id: reader.id }, unreadBrowserNotification: false })];
      const headers = { authorization: `BimPlus ${reader.token}` };
      await app.request('GET', '/v2/user/me/messages/unreadcount', { headers }); // token now cached
      recorder.statements.length = 0;
      const res = await app.request('POST', '/v2/user/me/messages/markallasreadbrowser', { headers });
      expect(res.body).toEqual({ updated: 2 });
      expect(recorder.firstWords()).toEqual(['WITH']);
      const events = await db.query(`SELECT message_id AS id FROM user_stream_events WHERE user_id = $1 AND type = 'updated' ORDER BY seq`, [reader.id]);
      expect(events.map((e: { id: string }) => e.id).sort()).toEqual([sent[0].body.id, sent[1].body.id].sort());
    });
  });

  it('queues e-mails and stream events only for the channels left unread, for every group member', async () => {
    const members = await Promise.all([createUser(app), createUser(app), createUser(app)]);
    const group = await createGroup(app, members);
    const emailOnly = await post({ receiver: { id: group.id }, unreadBrowserNotification: false });
    expect(await written(emailOnly.body.id)).toEqual({ messages: 1, recipients: 3, emails: 3, events: 0 });
    const pushOnly = await post({ receiver: { id: group.id }, unreadEmail: false });
    expect(await written(pushOnly.body.id)).toEqual({ messages: 1, recipients: 3, emails: 0, events: 3 });
    const silent = await post({ receiver: { id: group.id }, unreadEmail: false, unreadBrowserNotification: false });
    expect(await written(silent.body.id)).toEqual({ messages: 1, recipients: 3, emails: 0, events: 0 });
  });

  it('queues no new e-mail or popup when a recipient marks a message read and unread again (marking re-sends nothing)', async () => {
    const sent = await post({ receiver: { id: alice.id } });
    expect(sent.status).toBe(201);
    const headers = { authorization: `BimPlus ${alice.token}` };
    for (const route of ['markasreademail', 'markasunreademail', 'markasreadbrowser', 'markasunreadbrowser']) {
      const res = await app.request('POST', `/v2/messages/${sent.body.id}/${route}`, { headers });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(sent.body.id);
    }
    for (const route of ['markallasreademail', 'markallasreadbrowser']) {
      expect((await app.request('POST', `/v2/user/me/messages/${route}`, { headers })).status).toBe(200);
    }
    expect(await written(sent.body.id)).toEqual({ messages: 1, recipients: 1, emails: 1, events: 1 });
  });

  it('stores nothing — message, recipients or events — when its e-mail row cannot be written', async () => {
    const count = async () =>
      (
        await db.query(
          `SELECT (SELECT count(*) FROM user_messages WHERE sender_id = $1)::int AS messages,
                  (SELECT count(*) FROM user_message_recipients WHERE user_id = $2)::int AS recipients,
                  (SELECT count(*) FROM user_stream_events WHERE user_id = $2)::int AS events`,
          [service.id, alice.id],
        )
      )[0];
    const before = await count();
    await db.query(`ALTER TABLE deliveries ADD CONSTRAINT test_no_emails CHECK (kind <> 'email') NOT VALID`);
    try {
      const res = await post({ receiver: { id: alice.id }, topic: 'refused' });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { message: 'Internal server error' } });
    } finally {
      await db.query(`ALTER TABLE deliveries DROP CONSTRAINT test_no_emails`);
    }
    expect(await count()).toEqual(before);
    expect(before.events).toBeGreaterThan(0);
  });
});
