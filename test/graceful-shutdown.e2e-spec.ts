import { createUser } from './factories';
import { startTestApp } from './support/test-app';

jest.setTimeout(30_000);

describe('graceful shutdown', () => {
  it('answers readiness 503 while draining, goes on serving requests, then closes', async () => {
    const app = await startTestApp();
    const user = await createUser(app);
    const stopped = app.running.drainAndClose(1500);
    try {
      const ready = await app.request('GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ error: { message: 'Not ready: shutdown' } });
      expect(ready.headers.get('retry-after')).toBe('5');
      expect((await app.request('GET', '/health/live')).status).toBe(200);
      const unread = await app.request('GET', '/v2/user/me/messages/unreadcount', { headers: { authorization: `BimPlus ${user.token}` } });
      expect(unread.status).toBe(200);
    } finally {
      await stopped;
    }
    await expect(fetch(`${app.baseUrl}/health/live`)).rejects.toThrow();
    await app.close();
  });

  it('answers readiness 200 with the shutdown check up while serving', async () => {
    const app = await startTestApp();
    try {
      const ready = await app.request('GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.info).toMatchObject({ shutdown: { status: 'up' }, database: { status: 'up' }, migrations: { status: 'up' } });
    } finally {
      await app.close();
    }
  });
});
