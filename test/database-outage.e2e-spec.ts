import { startDatabaseProxy, TcpProxy, throughProxy } from './support/tcp-proxy';
import { startTestApp, TestApp } from './support/test-app';

// An outage of an external PostgreSQL server: the app reaches its database through a TCP proxy
// that the test cuts and restores. The embedded database lives inside the process and cannot
// go away on its own, so this file needs DATABASE_URL.
const describeWithServer = process.env.DATABASE_URL ? describe : describe.skip;

describeWithServer('database outage', () => {
  let app: TestApp;
  let proxy: TcpProxy;

  beforeAll(async () => {
    proxy = await startDatabaseProxy();
    app = await startTestApp(
      { DB_CONNECT_TIMEOUT_MS: '1000', DB_STATEMENT_TIMEOUT_MS: '2000', AUTH_CACHE_TTL_MS: '0' },
      {
        rewriteDatabaseUrl: throughProxy(proxy),
      },
    );
  });

  afterAll(async () => {
    await proxy.restore();
    await app.close();
    await proxy.cut();
  });

  it('answers 503 in the envelope while the database is down, and recovers without a restart', async () => {
    const before = await app.admin('POST', '/admin/accounts', { type: 'partner', name: 'before' });
    expect(before.status).toBe(201);

    await proxy.cut();
    const during = await app.admin('POST', '/admin/accounts', { type: 'partner', name: 'during' });
    expect(during.status).toBe(503);
    expect(during.body).toEqual({ error: { message: 'Service temporarily unavailable' } });
    expect(during.headers.get('retry-after')).toBe('5');
    const ready = await app.request('GET', '/health/ready');
    expect(ready.status).toBe(503);
    const live = await app.request('GET', '/health/live');
    expect(live.status).toBe(200);

    await proxy.restore();
    let after = await app.admin('POST', '/admin/accounts', { type: 'partner', name: 'after' });
    // The pool may hand out one connection that died with the proxy; the next request gets a fresh one.
    if (after.status === 503) after = await app.admin('POST', '/admin/accounts', { type: 'partner', name: 'after' });
    expect(after.status).toBe(201);
    const readyAgain = await app.request('GET', '/health/ready');
    expect(readyAgain.status).toBe(200);
  });
});
