import { UserFixture } from './factories';
import { CallAs, Send, startUserMessagesApp } from './factories/user-messages';
import { TestApp } from './support/test-app';

/** What Bimplus clients send and read that the seed excerpt does not show: sent lists, .NET binding, filter mistakes. */
describe('User Messages API v2: requests as Bimplus clients send them', () => {
  let app: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let carol: UserFixture;
  let service: UserFixture;
  let as: CallAs;
  let send: Send;

  beforeAll(async () => {
    ({ app, alice, bob, carol, service, as, send } = await startUserMessagesApp());
  });
  afterAll(async () => {
    await app.close();
  });

  describe('GET /v2/user/{id}/messages/sent', () => {
    it("lists what the caller sent, newest first, with the recipients' flags, paged by the Link header", async () => {
      const first = await send(carol, { receiver: { id: alice.id }, topic: 'first' });
      const second = await send(carol, { receiver: { id: bob.id }, topic: 'second' });
      await send(alice, { receiver: { id: carol.id }, topic: 'received, not sent' });
      await as(bob, 'POST', `/v2/messages/${second.id}/markasreadbrowser`);
      const page1 = await as(carol, 'GET', '/v2/user/me/messages/sent?limit=1');
      expect(page1.status).toBe(200);
      expect(page1.body).toEqual([{ ...second, unreadBrowserNotification: false }]);
      const next = /<([^>]+)>; rel="next"/.exec(page1.headers.get('link') as string)?.[1] as string;
      const page2 = await as(carol, 'GET', next);
      expect(page2.body).toEqual([first]);
      expect(page2.headers.get('link')).toBeNull();
    });

    it("answers 403 for another user's sent list, 401 without a token, 400 for a bad cursor", async () => {
      expect((await as(carol, 'GET', `/v2/user/${alice.id}/messages/sent`)).status).toBe(403);
      expect((await as(undefined, 'GET', '/v2/user/me/messages/sent')).status).toBe(401);
      expect((await as(carol, 'GET', '/v2/user/me/messages/sent?cursor=nope!')).status).toBe(400);
    });
  });

  describe('binding like the .NET service', () => {
    const body = () => ({ receiver: { id: bob.id }, source: 'S', topic: 'T', severity: 'Info', returnCode: 'OK' });

    it('reads "true" and "false" strings as booleans and an empty correlationId as none', async () => {
      const res = await as(alice, 'POST', '/v2/messages', { ...body(), unreadEmail: 'False', unreadBrowserNotification: 'true', correlationId: '' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ unreadEmail: false, unreadBrowserNotification: true, correlationId: null });
    });

    it('still refuses other strings for a boolean and a malformed correlationId, writing nothing', async () => {
      const before = (await as(bob, 'GET', '/v2/user/me/messages')).body.length;
      const yes = await as(alice, 'POST', '/v2/messages', { ...body(), unreadEmail: 'yes' });
      expect([yes.status, yes.body]).toEqual([400, { error: { message: 'child "unreadEmail" fails because ["unreadEmail" must be a boolean]' } }]);
      const badId = await as(alice, 'POST', '/v2/messages', { ...body(), correlationId: 'x' });
      expect(badId.status).toBe(400);
      expect((await as(bob, 'GET', '/v2/user/me/messages')).body).toHaveLength(before);
    });

    it('reads a text/json body as JSON', async () => {
      const res = await app.request('POST', '/v2/messages', { rawBody: JSON.stringify(body()), headers: { authorization: `BimPlus ${alice.token}`, 'content-type': 'text/json; charset=utf-8' } });
      expect(res.status).toBe(201);
      expect(res.body.topic).toBe('T');
    });
  });

  describe('filter mistakes', () => {
    it('answers an unescaped & inside the filter with a 400 saying to use %26, and ignores other unknown parameters', async () => {
      const stray = await as(alice, 'GET', '/v2/messages?filter=unread=true&source=S');
      expect(stray.status).toBe(400);
      expect(stray.body.error.message).toBe('"source" is a filter property, not a query parameter: join the clauses with %26 inside filter (filter=unread=true%26source=…)');
      const escaped = await as(alice, 'GET', '/v2/messages?filter=unread=true%26source=S');
      expect(escaped.status).toBe(200);
      expect((await as(alice, 'GET', '/v2/messages?filter=unread=true&utm_campaign=x')).status).toBe(200);
    });

    it.each(['source==S', 'source=<S', 'timestamp=>2014-05-09', 'topic<>T'])('answers the doubled operator in %s with a 400 naming the clause', async (clause) => {
      const res = await as(alice, 'GET', `/v2/messages?filter=${encodeURIComponent(clause)}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(`Invalid filter clause "${clause}"`);
    });
  });

  it('lets a service user send on behalf of an existing user only, with that user\'s address', async () => {
    const message = await send(service, { sender: { id: carol.id }, receiver: { id: bob.id } });
    expect(message.sender).toEqual({ id: carol.id, email: carol.email });
  });
});
