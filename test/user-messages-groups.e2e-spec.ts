import { createGroup, createUser, UserFixture } from './factories';
import { CallAs, Send, startUserMessagesApp } from './factories/user-messages';
import { TestApp } from './support/test-app';

describe('user messages v2: groups', () => {
  let app: TestApp;
  let alice: UserFixture;
  let service: UserFixture;
  let as: CallAs;
  let send: Send;

  beforeAll(async () => {
    ({ app, alice, service, as, send } = await startUserMessagesApp());
  });
  afterAll(async () => {
    await app.close();
  });

  it('fans out to every member with independent flags and deletions', async () => {
    const [m1, m2, m3] = await Promise.all([createUser(app), createUser(app), createUser(app)]);
    const group = await createGroup(app, [m1, m2, m3]);
    const message = await send(service, { receiver: { id: group.id, email: 'ignored@example.com' } });
    expect(message.receiver).toEqual({ id: group.id, email: null });
    expect(message.receiverType).toBe('group');

    for (const member of [m1, m2, m3]) {
      const inbox = await as(member, 'GET', '/v2/user/me/messages');
      expect(inbox.body.map((m: any) => m.id)).toEqual([message.id]);
    }
    expect((await as(m1, 'POST', `/v2/messages/${message.id}/markasreadbrowser`)).status).toBe(200);
    expect((await as(m1, 'GET', `/v2/messages/${message.id}`)).body.unreadBrowserNotification).toBe(false);
    expect((await as(m2, 'GET', `/v2/messages/${message.id}`)).body.unreadBrowserNotification).toBe(true);
    expect((await as(service, 'GET', `/v2/messages/${message.id}`)).body.unreadBrowserNotification).toBe(true);

    const deleted = await as(m2, 'DELETE', `/v2/messages/${message.id}`);
    expect(deleted.status).toBe(200);
    expect((await as(m2, 'GET', `/v2/messages/${message.id}`)).status).toBe(404);
    expect((await as(m1, 'GET', `/v2/messages/${message.id}`)).status).toBe(200);
    expect((await as(m3, 'GET', `/v2/messages/${message.id}`)).status).toBe(200);

    // The sender's flag stays true while any remaining member has it unread.
    expect((await as(m3, 'POST', `/v2/messages/${message.id}/markasreadbrowser`)).status).toBe(200);
    expect((await as(service, 'GET', `/v2/messages/${message.id}`)).body).toMatchObject({ unreadBrowserNotification: false, unreadEmail: true });
  });

  it('lets the sender delete for everyone', async () => {
    const [m1, m2] = await Promise.all([createUser(app), createUser(app)]);
    const group = await createGroup(app, [m1, m2]);
    const message = await send(alice, { receiver: { id: group.id } });
    expect((await as(alice, 'DELETE', `/v2/messages/${message.id}`)).status).toBe(200);
    for (const user of [m1, m2, alice]) expect((await as(user, 'GET', `/v2/messages/${message.id}`)).status).toBe(404);
    expect((await as(alice, 'DELETE', `/v2/messages/${message.id}`)).status).toBe(404);
  });

  it('does not reach users who join the group later', async () => {
    const [m1, late] = await Promise.all([createUser(app), createUser(app)]);
    const group = await createGroup(app, [m1]);
    const message = await send(alice, { receiver: { id: group.id } });
    const joined = await app.admin('PUT', `/admin/groups/${group.id}/members`, { memberIds: [m1.id, late.id] });
    expect(joined.status).toBe(200);
    expect((await as(late, 'GET', `/v2/messages/${message.id}`)).status).toBe(404);
    // The join took effect: the next group message reaches the late member (so the 404 above is not vacuous).
    const next = await send(alice, { receiver: { id: group.id } });
    const inbox = await as(late, 'GET', '/v2/user/me/messages');
    expect(inbox.body.map((m: any) => m.id)).toEqual([next.id]);
  });
});
