import { Client } from 'pg';
import { createUser, UserFixture } from './factories';
import { SmtpSink } from './support/smtp-sink';
import { SseClient } from './support/sse-client';
import { startDatabaseProxy, TcpProxy, throughProxy } from './support/tcp-proxy';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

// The worker instance reaches PostgreSQL through a proxy the test cuts (every connection dies, as in a
// server restart) and restores; a second instance writes messages meanwhile. Needs a real server.
const describeWithServer = process.env.DATABASE_URL ? describe : describe.skip;

describeWithServer('Delivery: database restart while jobs are pending', () => {
  const sink = new SmtpSink();
  let proxy: TcpProxy;
  let writer: TestApp;
  let worker: TestApp;

  beforeAll(async () => {
    await sink.start();
    proxy = await startDatabaseProxy();
    writer = await startTestApp({ WORKERS_ENABLED: 'false', SMTP_URL: sink.url });
    worker = await startTestApp(
      { SMTP_URL: sink.url, DELIVERY_BACKOFF_BASE_SECONDS: '1', DB_CONNECT_TIMEOUT_MS: '1000' },
      {
        shareDatabaseUrl: writer.databaseUrl,
        rewriteDatabaseUrl: throughProxy(proxy),
      },
    );
  });
  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await worker.close();
    await writer.close();
    await proxy.cut();
    await sink.stop();
  });

  it('workers and the stream listener recover without a restart and deliver every job once', async () => {
    const [service, alice]: UserFixture[] = await Promise.all([createUser(writer, 'service'), createUser(writer)]);
    const stream = await SseClient.open(`${worker.baseUrl}/v2/user/me/messages/stream`, { authorization: `BimPlus ${alice.token}` });
    expect(stream.status).toBe(200);

    await proxy.cut();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await writer.request('POST', '/v2/messages', {
        body: { receiver: { id: alice.id }, source: 'Jobs', topic: `during outage ${i}`, severity: 'info', returnCode: 'OK' },
        headers: { authorization: `BimPlus ${service.token}` },
      });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    await new Promise((r) => setTimeout(r, 2500));
    expect(sink.mails).toHaveLength(0);
    // A scrape during the outage still answers (OpenAPI declares no 503 for /metrics): the queue depth it cannot read shows 0.
    const scrape = await worker.request('GET', '/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.text).toMatch(/^delivery_queue_depth\{kind="email",status="pending"\} 0$/m);
    await proxy.restore();

    await sink.waitFor((m) => m.length >= 5, 20_000);
    const events = await stream.waitFor((e) => e.length >= 5, 20_000);
    expect(events.map((e) => JSON.parse(e.data).id)).toEqual(ids);
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.mails).toHaveLength(5);
    expect(new Set(sink.mails.map((m) => m.headers['message-id'])).size).toBe(5);
    await stream.close();
  });
});

// A real PostgreSQL restart, for a private server only (never the shared one): set
// TEST_PG_RESTART_COMMAND, e.g. `pg_ctl -D /tmp/pgpriv restart -m fast`, and DATABASE_URL to that server.
const restartCommand = process.env.TEST_PG_RESTART_COMMAND;
const describeWithRestart = process.env.DATABASE_URL && restartCommand ? describe : describe.skip;

describeWithRestart('Delivery: a real PostgreSQL restart', () => {
  const sink = new SmtpSink();
  let app: TestApp;

  beforeAll(async () => {
    await sink.start();
    app = await startTestApp({ SMTP_URL: sink.url, DELIVERY_BACKOFF_BASE_SECONDS: '1', DELIVERY_MAX_ATTEMPTS: '20' });
  });
  afterAll(async () => {
    await app.close();
    await sink.stop();
  });

  it('keeps pending jobs and the stream listener across the restart', async () => {
    const { exec } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const [service, alice]: UserFixture[] = await Promise.all([createUser(app, 'service'), createUser(app)]);
    const stream = await SseClient.open(`${app.baseUrl}/v2/user/me/messages/stream`, { authorization: `BimPlus ${alice.token}` });
    const post = (topic: string) =>
      app.request('POST', '/v2/messages', {
        body: { receiver: { id: alice.id }, source: 'Jobs', topic, severity: 'info', returnCode: 'OK' },
        headers: { authorization: `BimPlus ${service.token}` },
      });
    sink.refuse(1_000_000);
    expect((await post('before restart')).status).toBe(201);
    await stream.waitFor((e) => e.length >= 1);
    await waitForRefusal(app);
    // Asynchronously: the app, the SMTP server and the test share this event loop.
    await promisify(exec)(restartCommand as string);
    sink.refuse(0);
    await sink.waitFor((m) => m.length >= 1, 30_000);
    let after = await post('after restart');
    for (let i = 0; after.status !== 201 && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 500));
      after = await post('after restart');
    }
    expect(after.status).toBe(201);
    await sink.waitFor((m) => m.length >= 2, 30_000);
    const events = await stream.waitFor((e) => e.length >= 2, 30_000);
    expect(events.map((e) => JSON.parse(e.data).topic)).toEqual(['before restart', 'after restart']);
    expect(sink.mails.map((m) => m.headers.subject)).toEqual(['[Info] before restart (Jobs)', '[Info] after restart (Jobs)']);
    const deliveries = await app.admin('GET', '/admin/deliveries?kind=email');
    const first = deliveries.body.find((d: { messageId: string }) => d.messageId === JSON.parse(events[0].data).id);
    expect(first).toMatchObject({ status: 'sent' });
    expect(first.attempts).toBeGreaterThanOrEqual(2);
    await stream.close();
  });
});

async function waitForRefusal(app: TestApp): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const res = await app.admin('GET', '/admin/deliveries?kind=email');
    if (res.body.some((d: { lastError: string | null }) => d.lastError !== null)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the first attempt was never refused');
}

describeWithServer('Delivery: shutdown while a round is being claimed', () => {
  const sink = new SmtpSink();
  let writer: TestApp;

  beforeAll(async () => {
    await sink.start();
    writer = await startTestApp({ WORKERS_ENABLED: 'false', SMTP_URL: sink.url });
  });
  afterAll(async () => {
    await writer.close();
    await sink.stop();
  });

  it('finishes the round on an open SMTP pool and completes the shutdown', async () => {
    const [service, alice]: UserFixture[] = await Promise.all([createUser(writer, 'service'), createUser(writer)]);
    const res = await writer.request('POST', '/v2/messages', {
      body: { receiver: { id: alice.id }, source: 'Jobs', topic: 'at shutdown', severity: 'info', returnCode: 'OK' },
      headers: { authorization: `BimPlus ${service.token}` },
    });
    expect(res.status).toBe(201);
    // Hold the deliveries table so the worker instance's first claim waits, then stop that instance while it waits.
    const lock = new Client({ connectionString: writer.databaseUrl });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE deliveries IN ACCESS EXCLUSIVE MODE');
      const worker = await startTestApp({ SMTP_URL: sink.url }, { shareDatabaseUrl: writer.databaseUrl });
      await waitForLockWait(lock, 'deliveries');
      const closed = worker.close();
      await lock.query('COMMIT');
      // Before the fix the SMTP pool was closed first, the round's send never settled and close() hung.
      await closed;
      expect(sink.mails.map((m) => m.headers.subject)).toEqual(['[Info] at shutdown (Jobs)']);
    } finally {
      await lock.end();
    }
  });
});

/** Waits until another session is blocked on a lock held by `holder` (the worker's claim on `table`). */
async function waitForLockWait(holder: Client, table: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await holder.query(
      `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid() AND datname = current_database() AND query ILIKE $1`,
      [`%${table}%`],
    );
    if (rows.length > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no session waited on ${table}`);
}
