import { randomUUID } from 'node:crypto';
import { createGroup, createUser, UserFixture } from './factories';
import { CallAs, Send, startUserMessagesApp } from './factories/user-messages';
import { SseClient } from './support/sse-client';
import { TestApp } from './support/test-app';

/** Dashboard content (additionalData as an object), its update, and the group-sent list. */
describe('User Messages API v2: dashboard content and group-sent messages', () => {
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

  // The documentation's own example body of updatedashboardadditionaldata.
  const DOC_CONTENT = {
    title: 'Anothermessage',
    content: 'Loremipsumdolorsitamet,consetetursadipscingelitr',
    imageBase64: null,
    pictureLink: 'http://blog.bimplus.net/wp-content/uploads/2014/08/bim-manager-300x222.png',
    messageLink: '',
  };

  describe('additionalData as an object', () => {
    it('is stored and returned as given, key order included, in every read', async () => {
      const given = { content: 'Body', title: 'Title', extra: { nested: [1, 2] }, imageBase64: 'aGVsbG8=' };
      const message = await send(alice, { receiver: { id: bob.id }, additionalData: given });
      expect(message.additionalData).toEqual(given);
      const read = await as(bob, 'GET', `/v2/messages/${message.id}`);
      expect(read.text).toContain(JSON.stringify(given));
      const inbox = await as(bob, 'GET', '/v2/user/me/messages?limit=1');
      expect(inbox.body[0].additionalData).toEqual(given);
      const asText = await send(alice, { receiver: { id: bob.id }, additionalData: JSON.stringify(given) });
      expect(asText.additionalData).toBe(JSON.stringify(given));
    });

    it.each([
      ['without title', { content: 'c' }, 'child "additionalData.title" fails because ["additionalData.title" is required]'],
      ['without content', { title: 't' }, 'child "additionalData.content" fails because ["additionalData.content" is required]'],
      ['with a number title', { title: 1, content: 'c' }, 'child "additionalData.title" fails because ["additionalData.title" must be a string]'],
      ['with non-base64 imageBase64', { title: 't', content: 'c', imageBase64: 'not base64!' }, 'child "additionalData.imageBase64" fails because ["additionalData.imageBase64" must be base64]'],
      ['with a javascript: pictureLink', { title: 't', content: 'c', pictureLink: 'javascript:alert(1)' }, 'child "additionalData.pictureLink" fails because ["additionalData.pictureLink" must be an http or https URL]'],
      ['with a protocol-relative messageLink', { title: 't', content: 'c', messageLink: '//evil.example/x' }, 'child "additionalData.messageLink" fails because ["additionalData.messageLink" must be an http or https URL, or a path starting with /]'],
      ['over 64 KiB as JSON', { title: 't', content: 'é'.repeat(33_000) }, 'child "additionalData" fails because ["additionalData" must be a text of at most 65536 characters or an object of at most 64 KiB as JSON]'],
      ['an array', [1], 'child "additionalData" fails because ["additionalData" must be a text of at most 65536 characters or an object of at most 64 KiB as JSON]'],
    ])('is a 400 on create %s, and writes nothing', async (_case, additionalData, message) => {
      const before = (await as(bob, 'GET', '/v2/user/me/messages/unreadcount')).body;
      const res = await as(alice, 'POST', '/v2/messages', { receiver: { id: bob.id }, source: 'S', topic: 'T', severity: 'Info', returnCode: 'R', additionalData });
      expect([res.status, res.body]).toEqual([400, { error: { message } }]);
      expect((await as(bob, 'GET', '/v2/user/me/messages/unreadcount')).body).toEqual(before);
    });

    it('accepts a data: URL image, an https picture and a relative message link', async () => {
      const content = { title: 't', content: 'c', imageBase64: 'data:image/png;base64,iVBORw0KGgo=', pictureLink: 'https://example.com/p.png', messageLink: '/projects/1' };
      expect((await send(alice, { receiver: { id: bob.id }, additionalData: content })).additionalData).toEqual(content);
    });
  });

  describe('PUT /v2/messages/{id}/updatedashboardadditionaldata', () => {
    const update = (user: UserFixture, id: string, body: unknown) => as(user, 'PUT', `/v2/messages/${id}/updatedashboardadditionaldata`, body);

    it("replaces the content with the documentation's example, and every recipient's open stream gets `updated`", async () => {
      const group = await createGroup(app, [bob, carol]);
      const message = await send(service, { receiver: { id: group.id }, additionalData: 'first' });
      const streams = await Promise.all(
        [bob, carol].map((user) => SseClient.open(`${app.baseUrl}/v2/user/me/messages/stream`, { authorization: `BimPlus ${user.token}`, 'last-event-id': '0' })),
      );
      try {
        await Promise.all(streams.map((s) => s.waitFor((e) => e.some((x) => x.event === 'message' && JSON.parse(x.data).id === message.id))));
        const res = await update(service, message.id, { additionalData: DOC_CONTENT });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ ...message, additionalData: DOC_CONTENT });
        for (const stream of streams) {
          const events = await stream.waitFor((e) => e.some((x) => x.event === 'updated' && JSON.parse(x.data).id === message.id));
          const updated = events.find((x) => x.event === 'updated' && JSON.parse(x.data).id === message.id);
          expect(JSON.parse(updated?.data as string).additionalData).toEqual(DOC_CONTENT);
        }
      } finally {
        await Promise.all(streams.map((s) => s.close()));
      }
      expect((await as(bob, 'GET', `/v2/messages/${message.id}`)).body.additionalData).toEqual(DOC_CONTENT);
    });

    it('binds the key in any case and takes a text too', async () => {
      const message = await send(alice, { receiver: { id: bob.id } });
      const res = await update(alice, message.id, { AdditionalData: 'now a text', unknown: 1 });
      expect([res.status, res.body.additionalData]).toEqual([200, 'now a text']);
    });

    it('answers 403 to a recipient, 404 to a stranger or an unknown id, 401 without a token, changing nothing', async () => {
      const message = await send(alice, { receiver: { id: bob.id }, additionalData: 'kept' });
      const byRecipient = await update(bob, message.id, { additionalData: DOC_CONTENT });
      expect([byRecipient.status, byRecipient.body]).toEqual([403, { error: { message: 'Only the sender of this message may update its content' } }]);
      expect((await update(carol, message.id, { additionalData: DOC_CONTENT })).status).toBe(404);
      expect((await update(alice, randomUUID(), { additionalData: DOC_CONTENT })).status).toBe(404);
      expect((await as(undefined, 'PUT', `/v2/messages/${message.id}/updatedashboardadditionaldata`, { additionalData: DOC_CONTENT })).status).toBe(401);
      expect((await as(bob, 'GET', `/v2/messages/${message.id}`)).body.additionalData).toBe('kept');
    });

    it.each([
      ['no additionalData', {}, 'child "additionalData" fails because ["additionalData" is required]'],
      ['a null additionalData', { additionalData: null }, 'child "additionalData" fails because ["additionalData" is required]'],
      ['an object without title', { additionalData: { content: 'c' } }, 'child "additionalData.title" fails because ["additionalData.title" is required]'],
    ])('answers 400 for %s, changing nothing', async (_case, body, message) => {
      const sent = await send(alice, { receiver: { id: bob.id }, additionalData: 'kept' });
      const res = await update(alice, sent.id, body);
      expect([res.status, res.body]).toEqual([400, { error: { message } }]);
      expect((await as(alice, 'GET', `/v2/messages/${sent.id}`)).body.additionalData).toBe('kept');
    });
  });

  describe('GET /v2/user/{id}/messages/groupsent', () => {
    it('lists what the caller sent to groups, newest first, each with groupId and the group, paged by Link', async () => {
      const dora = await createUser(app);
      const team = await app.admin('POST', '/admin/groups', { name: 'Team', description: 'The team', memberIds: [bob.id] });
      const other = await createGroup(app, [carol], 'Others');
      const first = await send(dora, { receiver: { id: team.body.id }, topic: 'first' });
      await send(dora, { receiver: { id: bob.id }, topic: 'to a user' });
      const second = await send(dora, { receiver: { id: other.id }, topic: 'second' });
      const page1 = await as(dora, 'GET', '/v2/user/me/messages/groupsent?limit=1');
      expect(page1.status).toBe(200);
      expect(page1.body).toEqual([{ ...second, groupId: other.id, group: { id: other.id, name: 'Others', description: null } }]);
      const next = /<([^>]+)>; rel="next"/.exec(page1.headers.get('link') as string)?.[1] as string;
      const page2 = await as(dora, 'GET', next);
      expect(page2.body).toEqual([{ ...first, groupId: team.body.id, group: { id: team.body.id, name: 'Team', description: 'The team' } }]);
      expect(page2.headers.get('link')).toBeNull();
      const sent = await as(dora, 'GET', '/v2/user/me/messages/sent');
      expect(sent.body).toHaveLength(3);
    });

    it("answers 403 for another user's list and 401 without a token", async () => {
      expect((await as(alice, 'GET', `/v2/user/${bob.id}/messages/groupsent`)).status).toBe(403);
      expect((await as(undefined, 'GET', '/v2/user/me/messages/groupsent')).status).toBe(401);
    });
  });
});
