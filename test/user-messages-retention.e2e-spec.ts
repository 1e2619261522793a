import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MessageRetention } from '../src/user-messages/message-retention';
import { createGroup, createUser, UserFixture } from './factories';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

describe('user messages v2: MESSAGE_RETENTION_DAYS', () => {
  let app: TestApp;
  let db: DataSource;
  let service: UserFixture;
  let reader: UserFixture;

  const send = async (receiverId: string, topic: string): Promise<string> => {
    const res = await app.request('POST', '/v2/messages', {
      body: { receiver: { id: receiverId }, source: 'Retention test', topic, severity: 'Info', returnCode: 'OK' },
      headers: { authorization: `BimPlus ${service.token}` },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  /** Moves a message (and its recipients' copy of the time) `days` into the past. */
  const age = async (messageId: string, days: number) => {
    await db.query(`UPDATE user_messages SET "timestamp" = now() - make_interval(days => $2) WHERE id = $1`, [messageId, days]);
    await db.query(`UPDATE user_message_recipients SET "timestamp" = now() - make_interval(days => $2) WHERE message_id = $1`, [messageId, days]);
  };
  const recipientRows = async (messageId: string): Promise<number> =>
    (await db.query(`SELECT count(*)::int AS n FROM user_message_recipients WHERE message_id = $1`, [messageId]))[0].n;

  beforeAll(async () => {
    app = await startTestApp({ MESSAGE_RETENTION_DAYS: '30', WORKERS_ENABLED: 'false' });
    db = app.running.app.get(DataSource);
    [service, reader] = await Promise.all([createUser(app, 'service'), createUser(app)]);
  });
  afterAll(async () => {
    await app.close();
  });

  it('removes messages older than the retention with their recipient rows, keeping the younger ones', async () => {
    const members = await Promise.all([createUser(app), createUser(app), createUser(app)]);
    const group = await createGroup(app, [...members, reader], `retention ${randomUUID().slice(0, 8)}`);
    const [expiredToUser, expiredToGroup, young] = [await send(reader.id, 'old'), await send(group.id, 'old to group'), await send(reader.id, 'young')];
    await age(expiredToUser, 31);
    await age(expiredToGroup, 45);
    await age(young, 29);

    const removed = await app.running.app.get(MessageRetention).prune();
    expect(removed).toEqual({ messages: 2, recipients: 5 });
    const inbox = await app.request('GET', '/v2/user/me/messages', { headers: { authorization: `BimPlus ${reader.token}` } });
    expect(inbox.body.map((m: { id: string }) => m.id)).toEqual([young]);
    expect((await app.request('GET', `/v2/messages/${expiredToUser}`, { headers: { authorization: `BimPlus ${reader.token}` } })).status).toBe(404);
    expect([await recipientRows(expiredToUser), await recipientRows(expiredToGroup), await recipientRows(young)]).toEqual([0, 0, 1]);
    expect(await app.running.app.get(MessageRetention).prune()).toEqual({ messages: 0, recipients: 0 });
  });

  it('takes a group message larger than one step in several steps, and removes it whole', async () => {
    const ids = Array.from({ length: 5_200 }, () => randomUUID());
    await db.query(`INSERT INTO users (id, email) SELECT id, id::text || '@retention.example.com' FROM unnest($1::uuid[]) AS u(id)`, [ids]);
    const group = await createGroup(app, [reader], `big ${randomUUID().slice(0, 8)}`);
    await db.query(`INSERT INTO group_members (group_id, user_id) SELECT $1, id FROM unnest($2::uuid[]) AS u(id)`, [group.id, ids]);
    const message = await send(group.id, 'to 5,201 members');
    expect(await recipientRows(message)).toBe(5_201);
    await age(message, 60);

    expect(await app.running.app.get(MessageRetention).prune()).toEqual({ messages: 1, recipients: 5_201 });
    expect(await recipientRows(message)).toBe(0);
    expect(await db.query(`SELECT id FROM user_messages WHERE id = $1`, [message])).toEqual([]);
  });
});
