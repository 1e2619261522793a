import { UserMessageResponseDto } from '../src/user-messages/dto/user-message-response.dto';
import { createAccount, createUser, UserFixture } from './factories';
import { CallAs, Send, startUserMessagesApp } from './factories/user-messages';
import { TestApp } from './support/test-app';

describe('user messages v2: authentication and visibility', () => {
  let app: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let carol: UserFixture;
  let service: UserFixture;
  let as: CallAs;
  let send: Send;
  let message: UserMessageResponseDto;

  beforeAll(async () => {
    ({ app, alice, bob, carol, service, as, send } = await startUserMessagesApp());
    message = await send(alice, { receiver: { id: bob.id } });
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['GET', (id: string) => `/v2/messages/${id}`],
    ['DELETE', (id: string) => `/v2/messages/${id}`],
    ['POST', (id: string) => `/v2/messages/${id}/markasreadbrowser`],
    ['POST', (id: string) => `/v2/messages/${id}/markasunreadbrowser`],
    ['POST', (id: string) => `/v2/messages/${id}/markasreademail`],
    ['POST', (id: string) => `/v2/messages/${id}/markasunreademail`],
    ['GET', () => `/v2/messages?filter=unread=true`],
    ['GET', () => `/v2/user/me/messages`],
    ['GET', () => `/v2/user/me/messages/unreadcount`],
    ['POST', () => `/v2/user/me/messages/markallasreadbrowser`],
    ['POST', () => `/v2/user/me/messages/markallasreademail`],
    ['POST', () => `/v2/messages`],
  ])('%s %s without a token is 401', async (method, path) => {
    const res = await as(undefined, method, path(message.id), method === 'POST' ? {} : undefined);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/token/i);
  });

  it('rejects a bearer or unknown token', async () => {
    const bearer = await app.request('GET', '/v2/user/me/messages', { headers: { authorization: `Bearer ${bob.token}` } });
    expect(bearer.status).toBe(401);
    const unknown = await app.request('GET', '/v2/user/me/messages', { headers: { authorization: 'BimPlus 0000000000000000000000000000000000' } });
    expect(unknown.status).toBe(401);
    const lowerScheme = await app.request('GET', '/v2/user/me/messages', { headers: { authorization: `bimplus ${bob.token}` } });
    expect(lowerScheme.status).toBe(200);
  });

  it('answers 401 on every v2 route to a revoked user token and to a v3 account token, changing nothing', async () => {
    const leaving = await createUser(app);
    const kept = await send(alice, { receiver: { id: leaving.id } });
    expect((await as(leaving, 'GET', `/v2/messages/${kept.id}`)).status).toBe(200); // the token is now cached
    expect((await app.admin('DELETE', `/admin/tokens/${leaving.tokenId}`)).status).toBe(200);
    const account = await createAccount(app, 'partner');
    const asAccount = { ...leaving, token: account.token };
    const body = { receiver: { id: alice.id }, source: 's', topic: 't', severity: 'Info', returnCode: 'r' };
    const routes: [string, string, unknown?][] = [
      ['GET', `/v2/messages/${kept.id}`],
      ['DELETE', `/v2/messages/${kept.id}`],
      ['POST', `/v2/messages/${kept.id}/markasreadbrowser`],
      ['POST', `/v2/messages/${kept.id}/markasreademail`],
      ['GET', '/v2/messages?filter=unread=true'],
      ['GET', '/v2/user/me/messages'],
      ['GET', `/v2/user/${leaving.id}/messages/unreadcount`],
      ['POST', '/v2/user/me/messages/markallasreadbrowser'],
      ['POST', '/v2/messages', body],
      ['GET', '/v2/systemgroups'],
    ];
    // A revoked token is unknown; a valid account token is told it belongs to the other API.
    const refusals: [UserFixture, string][] = [[leaving, 'Invalid token'], [asAccount, 'This is an account token; the v2 API takes a user token']];
    for (const [caller, message] of refusals) {
      for (const [method, path, payload] of routes) {
        const res = await as(caller, method, path, payload);
        expect({ route: `${method} ${path}`, status: res.status, body: res.body }).toEqual({ route: `${method} ${path}`, status: 401, body: { error: { message } } });
      }
    }
    const seenBySender = await as(alice, 'GET', `/v2/messages/${kept.id}`);
    expect(seenBySender.status).toBe(200);
    expect(seenBySender.body).toMatchObject({ unreadEmail: true, unreadBrowserNotification: true });
    const fromLeaving = await as(alice, 'GET', `/v2/messages?filter=sender.id=${leaving.id}`);
    expect(fromLeaving.status).toBe(200);
    expect(fromLeaving.body).toEqual([]);
  });

  it('tells a valid v3 account token that v2 takes a user token, in the header and as the stream\'s accessToken', async () => {
    const account = await createAccount(app, 'provider');
    const wrongKind = { error: { message: 'This is an account token; the v2 API takes a user token' } };
    const header = await app.request('GET', '/v2/user/me/messages', { headers: { authorization: `BimPlus ${account.token}` } });
    expect({ status: header.status, body: header.body }).toEqual({ status: 401, body: wrongKind });
    const stream = await app.request('GET', `/v2/user/me/messages/stream?accessToken=${account.token}`);
    expect({ status: stream.status, body: stream.body }).toEqual({ status: 401, body: wrongKind });
    const unknown = await app.request('GET', '/v2/user/me/messages', { headers: { authorization: `BimPlus ${'0'.repeat(64)}` } });
    expect({ status: unknown.status, body: unknown.body }).toEqual({ status: 401, body: { error: { message: 'Invalid token' } } });
  });

  it('shows the message to its recipient and its sender, 404 to a stranger and to an unrelated service user', async () => {
    expect((await as(bob, 'GET', `/v2/messages/${message.id}`)).status).toBe(200);
    expect((await as(alice, 'GET', `/v2/messages/${message.id}`)).status).toBe(200);
    const stranger = await as(carol, 'GET', `/v2/messages/${message.id}`);
    expect(stranger.status).toBe(404);
    expect(stranger.body).toEqual({ error: { message: 'Message not found' } });
    expect((await as(service, 'GET', `/v2/messages/${message.id}`)).status).toBe(404);
    expect((await as(carol, 'DELETE', `/v2/messages/${message.id}`)).status).toBe(404);
    expect((await as(carol, 'POST', `/v2/messages/${message.id}/markasreadbrowser`)).status).toBe(404);
    const stillThere = await as(bob, 'GET', `/v2/messages/${message.id}`);
    expect(stillThere.body.unreadBrowserNotification).toBe(true);
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    const bad = await as(bob, 'GET', '/v2/messages/not-a-guid');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: { message: 'id must be a valid GUID' } });
    expect((await as(bob, 'POST', '/v2/messages/123/markasreademail')).status).toBe(400);
    expect((await as(bob, 'DELETE', '/v2/messages/123')).status).toBe(400);
    expect((await as(bob, 'GET', '/v2/messages/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('gives the inbox, count and mark-all only to their owner', async () => {
    for (const path of [`/v2/user/${alice.id}/messages`, `/v2/user/${alice.id}/messages/unreadcount`]) {
      const res = await as(bob, 'GET', path);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe('You can only access your own messages');
    }
    expect((await as(bob, 'POST', `/v2/user/${alice.id}/messages/markallasreadbrowser`)).status).toBe(403);
    expect((await as(bob, 'POST', `/v2/user/${alice.id}/messages/markallasreademail`)).status).toBe(403);
    expect((await as(service, 'GET', `/v2/user/${bob.id}/messages`)).status).toBe(403);
    expect((await as(bob, 'GET', `/v2/user/nobody/messages`)).status).toBe(400);
    const own = await as(bob, 'GET', `/v2/user/${bob.id.toUpperCase()}/messages`);
    expect(own.status).toBe(200);
    const me = await as(bob, 'GET', `/v2/user/ME/messages`);
    expect(me.body).toEqual(own.body);
  });
});
