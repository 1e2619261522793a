import { UserFixture } from './factories';
import { CallAs, Send, startUserMessagesApp } from './factories/user-messages';
import { TestApp } from './support/test-app';

describe('user messages v2: delete', () => {
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

  describe('the seed examples', () => {
    it('deletes with 200 and an empty body; a second DELETE is 404', async () => {
      const message = await send(alice, { receiver: { id: bob.id } });
      const first = await as(bob, 'DELETE', `/v2/messages/${message.id}`);
      expect(first.status).toBe(200);
      expect(first.text).toBe('');
      const second = await as(bob, 'DELETE', `/v2/messages/${message.id}`);
      expect(second.status).toBe(404);
      expect(second.body).toEqual({ error: { message: 'Message not found' } });
    });

    it('answers exactly one of two simultaneous DELETEs with 200, by a recipient and by the sender', async () => {
      const forBob = await send(alice, { receiver: { id: bob.id } });
      const byRecipient = await Promise.all([1, 2].map(() => as(bob, 'DELETE', `/v2/messages/${forBob.id}`)));
      expect(byRecipient.map((r) => r.status).sort()).toEqual([200, 404]);
      const fromAlice = await send(alice, { receiver: { id: bob.id } });
      const bySender = await Promise.all([1, 2].map(() => as(alice, 'DELETE', `/v2/messages/${fromAlice.id}`)));
      expect(bySender.map((r) => r.status).sort()).toEqual([200, 404]);
    });
  });

  describe('deletion of a message to a user', () => {
    it('by its sender removes it from the recipient too', async () => {
      const message = await send(alice, { receiver: { id: bob.id } });
      expect((await as(alice, 'DELETE', `/v2/messages/${message.id}`)).status).toBe(200);
      expect((await as(bob, 'GET', `/v2/messages/${message.id}`)).status).toBe(404);
      const inbox = await as(bob, 'GET', '/v2/user/me/messages?limit=1000');
      expect(inbox.body.map((m: any) => m.id)).not.toContain(message.id);
    });

    it('by its only recipient leaves the sender seeing both flags false (nobody has it unread any more)', async () => {
      const message = await send(alice, { receiver: { id: bob.id } });
      expect((await as(alice, 'GET', `/v2/messages/${message.id}`)).body).toMatchObject({ unreadEmail: true, unreadBrowserNotification: true });
      expect((await as(bob, 'DELETE', `/v2/messages/${message.id}`)).status).toBe(200);
      expect((await as(alice, 'GET', `/v2/messages/${message.id}`)).body).toMatchObject({ unreadEmail: false, unreadBrowserNotification: false });
    });
  });

  describe('recipient deletion', () => {
    it('removes the message from the recipient only; the sender still sees it', async () => {
      const message = await send(alice, { receiver: { id: bob.id } });
      expect((await as(bob, 'DELETE', `/v2/messages/${message.id}`)).status).toBe(200);
      expect((await as(bob, 'GET', `/v2/messages/${message.id}`)).status).toBe(404);
      const inbox = await as(bob, 'GET', '/v2/user/me/messages?limit=1000');
      expect(inbox.body.map((m: any) => m.id)).not.toContain(message.id);
      expect((await as(alice, 'GET', `/v2/messages/${message.id}`)).status).toBe(200);
    });
  });
});
