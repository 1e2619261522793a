import { createGroup, createUser, UserFixture } from './factories';
import { CallAs, Send, startUserMessagesApp } from './factories/user-messages';
import { TestApp } from './support/test-app';

describe('user messages v2: read flags', () => {
  let app: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let as: CallAs;
  let send: Send;

  beforeAll(async () => {
    ({ app, alice, bob, as, send } = await startUserMessagesApp());
  });
  afterAll(async () => {
    await app.close();
  });

  it('sets each of the recipient\'s own flags and returns the updated message', async () => {
    const message = await send(alice, { receiver: { id: bob.id } });
    const steps: [string, { unreadEmail: boolean; unreadBrowserNotification: boolean }][] = [
      ['markasreadbrowser', { unreadEmail: true, unreadBrowserNotification: false }],
      ['markasreademail', { unreadEmail: false, unreadBrowserNotification: false }],
      ['markasunreadbrowser', { unreadEmail: false, unreadBrowserNotification: true }],
      ['markasunreademail', { unreadEmail: true, unreadBrowserNotification: true }],
      ['markasreademail', { unreadEmail: false, unreadBrowserNotification: true }],
    ];
    for (const [route, flags] of steps) {
      const res = await as(bob, 'POST', `/v2/messages/${message.id}/${route}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...message, ...flags });
      const sender = await as(alice, 'GET', `/v2/messages/${message.id}`);
      expect(sender.body).toMatchObject(flags);
    }
  });

  it('accepts the seed\'s calls as written: Content-Type: application/json and no body on mark, mark-all and DELETE', async () => {
    const message = await send(alice, { receiver: { id: bob.id } });
    const json = { 'content-type': 'application/json' };
    for (const route of ['markasreadbrowser', 'markasunreadbrowser', 'markasreademail', 'markasunreademail']) {
      const res = await app.request('POST', `/v2/messages/${message.id}/${route}`, { rawBody: '', headers: { ...json, authorization: `BimPlus ${bob.token}` } });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(message.id);
    }
    const all = await app.request('POST', `/v2/user/me/messages/markallasreademail`, { rawBody: '', headers: { ...json, authorization: `BimPlus ${bob.token}` } });
    expect(all.status).toBe(200);
    const removed = await app.request('DELETE', `/v2/messages/${message.id}`, { rawBody: '', headers: { ...json, authorization: `BimPlus ${bob.token}` } });
    expect(removed.status).toBe(200);
    expect((await as(bob, 'GET', `/v2/messages/${message.id}`)).status).toBe(404);
  });

  it('routes paths in any letter case, as the .NET service did, keeping the ids as sent', async () => {
    const message = await send(alice, { receiver: { id: bob.id } });
    const upperId = message.id.toUpperCase();
    const marked = await as(bob, 'POST', `/V2/Messages/${upperId}/MarkAsReadBrowser`);
    expect(marked.status).toBe(200);
    expect(marked.body).toEqual({ ...message, unreadBrowserNotification: false });
    const read = await as(bob, 'GET', `/v2/Messages/${message.id}`);
    expect(read.body.unreadBrowserNotification).toBe(false);
    const count = await as(bob, 'GET', `/v2/User/ME/Messages/UnreadCount`);
    expect(count.status).toBe(200);
    expect(count.body).toEqual((await as(bob, 'GET', '/v2/user/me/messages/unreadcount')).body);
    // A trailing slash is not part of any route (the seeds never write one).
    const slash = await as(bob, 'GET', `/v2/user/me/messages/`);
    expect(slash.status).toBe(404);
    expect(slash.body).toEqual({ error: { message: 'Cannot GET /v2/user/me/messages/' } });
  });

  it('refuses marking by a sender who is not a recipient', async () => {
    const message = await send(alice, { receiver: { id: bob.id } });
    const res = await as(alice, 'POST', `/v2/messages/${message.id}/markasreadbrowser`);
    expect(res.status).toBe(403);
    expect((await as(bob, 'GET', `/v2/messages/${message.id}`)).body.unreadBrowserNotification).toBe(true);
  });

  it('counts unread messages per channel and marks all as read', async () => {
    const dave = await createUser(app);
    await send(alice, { receiver: { id: dave.id } });
    await send(alice, { receiver: { id: dave.id }, unreadEmail: false });
    await send(alice, { receiver: { id: dave.id }, unreadBrowserNotification: false });
    const count = await as(dave, 'GET', `/v2/user/me/messages/unreadcount`);
    expect(count.status).toBe(200);
    expect(count.body).toEqual({ browser: 2, email: 2 });

    const browser = await as(dave, 'POST', `/v2/user/${dave.id}/messages/markallasreadbrowser`);
    expect(browser.status).toBe(200);
    expect(browser.body).toEqual({ updated: 2 });
    expect((await as(dave, 'GET', `/v2/user/me/messages/unreadcount`)).body).toEqual({ browser: 0, email: 2 });
    const email = await as(dave, 'POST', `/v2/user/me/messages/markallasreademail`);
    expect(email.body).toEqual({ updated: 2 });
    expect((await as(dave, 'GET', `/v2/user/me/messages/unreadcount`)).body).toEqual({ browser: 0, email: 0 });
    expect((await as(dave, 'POST', `/v2/user/me/messages/markallasreademail`)).body).toEqual({ updated: 0 });
  });
  it("marks all as read only the caller's own recipient rows, and counts only the caller's", async () => {
    const [erin, frank] = await Promise.all([createUser(app), createUser(app)]);
    const group = await createGroup(app, [erin, frank]);
    const shared = await send(alice, { receiver: { id: group.id } });
    await send(alice, { receiver: { id: frank.id } });
    const count = async (user: UserFixture) => (await as(user, 'GET', '/v2/user/me/messages/unreadcount')).body;
    expect(await count(erin)).toEqual({ browser: 1, email: 1 });
    expect(await count(frank)).toEqual({ browser: 2, email: 2 });
    expect((await as(erin, 'POST', `/v2/user/${erin.id}/messages/markallasreadbrowser`)).body).toEqual({ updated: 1 });
    expect((await as(erin, 'POST', '/v2/user/me/messages/markallasreademail')).body).toEqual({ updated: 1 });
    expect(await count(erin)).toEqual({ browser: 0, email: 0 });
    expect(await count(frank)).toEqual({ browser: 2, email: 2 });
    expect((await as(frank, 'GET', `/v2/messages/${shared.id}`)).body).toMatchObject({ unreadEmail: true, unreadBrowserNotification: true });
    // The sender's group flags stay true while frank has not read it.
    expect((await as(alice, 'GET', `/v2/messages/${shared.id}`)).body).toMatchObject({ unreadEmail: true, unreadBrowserNotification: true });
  });
});
