import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGroup, createUser, UserFixture } from './factories';
import { SmtpSink } from './support/smtp-sink';
import { HttpResult, startTestApp, TestApp } from './support/test-app';

// Retries wait out real backoffs (1 s, 2 s …).
jest.setTimeout(40_000);

const FAST = { DELIVERY_BACKOFF_BASE_SECONDS: '1', DELIVERY_MAX_ATTEMPTS: '3', DELIVERY_RETRY_HOURS: '0', MAIL_FROM: 'Messaging <no-reply@mail.test>' };

async function post(app: TestApp, from: UserFixture, body: Record<string, unknown>): Promise<HttpResult> {
  const res = await app.request('POST', '/v2/messages', {
    body: { source: 'Backup', topic: 'Disk <almost> full', severity: 'Warning', returnCode: 'E42', ...body },
    headers: { authorization: `BimPlus ${from.token}` },
  });
  if (res.status !== 201) throw new Error(`POST /v2/messages: ${res.status} ${res.text}`);
  return res;
}

async function waitForDelivery(app: TestApp, predicate: (rows: any[]) => boolean, query = ''): Promise<any[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await app.admin('GET', `/admin/deliveries${query}`);
    expect(res.status).toBe(200);
    if (predicate(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`deliveries never matched: ${res.text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Delivery: e-mail through a real SMTP server', () => {
  const sink = new SmtpSink();
  let app: TestApp;
  let sender: UserFixture;
  let alice: UserFixture;
  let bob: UserFixture;
  let carol: UserFixture;

  beforeAll(async () => {
    await sink.start();
    app = await startTestApp({ ...FAST, SMTP_URL: sink.url });
    [sender, alice, bob, carol] = await Promise.all([createUser(app, 'service'), createUser(app), createUser(app), createUser(app)]);
  });
  afterAll(async () => {
    await app.close();
    await sink.stop();
  });
  beforeEach(() => {
    sink.mails.length = 0;
    sink.refuse(0);
  });

  it('sends one e-mail to a user with the subject, both bodies and a stable Message-ID', async () => {
    const res = await post(app, sender, { receiver: { id: alice.id }, additionalData: '<b>details</b>' });
    expect(res.status).toBe(201);
    const [mail] = await sink.waitFor((m) => m.length >= 1);
    expect(mail.to).toEqual([alice.email]);
    expect(mail.from).toBe('no-reply@mail.test');
    expect(mail.headers.subject).toBe('[Warning] Disk <almost> full (Backup)');
    expect(mail.headers['message-id']).toBe(`<${res.body.id}.${alice.id}@mail.test>`);
    expect(mail.raw).toContain('text/plain');
    expect(mail.raw).toContain('text/html');
    expect(mail.decoded).toContain('<td>E42</td>');
    expect(mail.decoded).toContain('&lt;b&gt;details&lt;/b&gt;');
    expect(mail.decoded).toContain('Return code: E42');
    const rows = await waitForDelivery(app, (r) => r.some((d: any) => d.messageId === res.body.id && d.status === 'sent'));
    expect(rows.find((d: any) => d.messageId === res.body.id)).toMatchObject({ kind: 'email', userId: alice.id, address: alice.email, attempts: 1 });
  });

  it('sends no lone CR in the message data, whatever the fields hold (<CR>.<CR><LF> ends DATA on lenient servers)', async () => {
    await post(app, sender, { receiver: { id: alice.id }, returnCode: 'OK\r\n.\r\nbare\r.\r', additionalData: 'x\ry\r\nz' });
    const [mail] = await sink.waitFor((m) => m.length >= 1);
    expect(mail.raw).not.toMatch(/\r(?!\n)/);
    expect(mail.decoded).toContain('Return code: OK\r\n.\r\nbare\r\n.\r\n');
  });

  it('sends to receiver.email when the sender names one', async () => {
    const res = await post(app, sender, { receiver: { id: alice.id, email: 'elsewhere@example.org' } });
    expect(res.status).toBe(201);
    const [mail] = await sink.waitFor((m) => m.length >= 1);
    expect(mail.to).toEqual(['elsewhere@example.org']);
  });

  it('sends one e-mail to each member of a group, each with its own Message-ID', async () => {
    const group = await createGroup(app, [alice, bob, carol]);
    const res = await post(app, sender, { receiver: { id: group.id } });
    expect(res.status).toBe(201);
    const mails = await sink.waitFor((m) => m.length >= 3);
    expect(mails.map((m) => m.to[0]).sort()).toEqual([alice.email, bob.email, carol.email].sort());
    expect(new Set(mails.map((m) => m.headers['message-id'])).size).toBe(3);
    for (const member of [alice, bob, carol]) {
      expect(mails.find((m) => m.to[0] === member.email)?.headers['message-id']).toBe(`<${res.body.id}.${member.id}@mail.test>`);
    }
  });

  it('sends nothing for unreadEmail=false', async () => {
    const silent = await post(app, sender, { receiver: { id: bob.id }, unreadEmail: false, topic: 'silent' });
    expect(silent.status).toBe(201);
    const loud = await post(app, sender, { receiver: { id: bob.id }, topic: 'loud' });
    expect(loud.status).toBe(201);
    await sink.waitFor((m) => m.length >= 1);
    await waitForDelivery(app, (r) => r.some((d: any) => d.messageId === loud.body.id && d.status === 'sent'));
    const all = await app.admin('GET', '/admin/deliveries?limit=1000');
    expect(all.body.some((d: any) => d.messageId === silent.body.id)).toBe(false);
    expect(sink.mails.map((m) => m.headers.subject)).toEqual(['[Warning] loud (Backup)']);
  });

  it('retries while the SMTP server refuses, then delivers once', async () => {
    sink.refuse(2);
    const res = await post(app, sender, { receiver: { id: carol.id } });
    expect(res.status).toBe(201);
    await sink.waitFor((m) => m.length >= 1);
    const [row] = await waitForDelivery(app, (r) => r.some((d: any) => d.messageId === res.body.id && d.status === 'sent'));
    const detail = await app.admin('GET', `/admin/deliveries/${row.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.attempts).toBe(3);
    expect(detail.body.attemptLog.map((a: any) => [a.ok, a.statusCode])).toEqual([
      [false, 451],
      [false, 451],
      [true, null],
    ]);
    expect(sink.mails).toHaveLength(1);
  });

  it('marks a delivery failed after the last attempt, lists it, and sends it on retry', async () => {
    sink.refuse(1000);
    const res = await post(app, sender, { receiver: { id: alice.id }, topic: 'doomed' });
    expect(res.status).toBe(201);
    const failed = await waitForDelivery(app, (r) => r.some((d: any) => d.messageId === res.body.id), '?status=failed');
    const row = failed.find((d: any) => d.messageId === res.body.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, kind: 'email' });
    expect(row.lastError).toContain('451');
    expect(sink.mails).toHaveLength(0);

    sink.refuse(0);
    const retried = await app.admin('POST', `/admin/deliveries/${row.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: row.id, status: 'pending', attempts: 0 });
    const [mail] = await sink.waitFor((m) => m.length >= 1);
    expect(mail.headers.subject).toBe('[Warning] doomed (Backup)');
    await waitForDelivery(app, (r) => r.some((d: any) => d.id === row.id && d.status === 'sent'));
    const stillFailed = await app.admin('GET', '/admin/deliveries?status=failed');
    expect(stillFailed.body.some((d: any) => d.id === row.id)).toBe(false);
  });

  it('sends every failed e-mail again with one call once the SMTP server is back', async () => {
    sink.refuse(1000);
    const ids: string[] = [];
    for (const topic of ['outage 1', 'outage 2']) {
      const res = await post(app, sender, { receiver: { id: alice.id }, topic });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    await waitForDelivery(app, (r) => ids.every((id) => r.some((d: any) => d.messageId === id)), '?status=failed&kind=email');
    sink.refuse(0);
    const before = sink.mails.length;
    expect((await app.admin('POST', '/admin/deliveries/retry-failed?kind=webhook')).body).toEqual({ retried: 0 });
    const retried = await app.admin('POST', '/admin/deliveries/retry-failed?kind=email');
    expect(retried.status).toBe(200);
    expect(retried.body.retried).toBeGreaterThanOrEqual(2);
    const mails = await sink.waitFor((m) => m.length >= before + 2);
    expect(mails.slice(before).map((m) => m.headers.subject).sort()).toEqual(['[Warning] outage 1 (Backup)', '[Warning] outage 2 (Backup)']);
    const failed = await app.admin('GET', '/admin/deliveries?status=failed&kind=email');
    expect(failed.body).toEqual([]);
    const bad = await app.admin('POST', '/admin/deliveries/retry-failed?kind=sms');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('kind');
    expect((await app.request('POST', '/admin/deliveries/retry-failed')).status).toBe(401);
  });

  it('guards the admin routes: token, 404, malformed id and filter', async () => {
    expect((await app.request('GET', '/admin/deliveries')).status).toBe(401);
    expect((await app.admin('POST', '/admin/deliveries/999999999/retry')).status).toBe(404);
    expect((await app.admin('GET', '/admin/deliveries/abc')).status).toBe(400);
    const bad = await app.admin('GET', '/admin/deliveries?status=lost');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('child "status" fails because ["status" must be one of [pending, sending, sent, failed, cancelled]]');
    // The limit is read like the v3 lists' limit: decimal digits in 1..1000 (once "abc" said "must not be greater
    // than 1000" and " 1" or "1e2" were accepted).
    for (const [limit, reason] of [['abc', 'must be an integer'], ['1e2', 'must be an integer'], ['%201', 'must be an integer'], ['0', 'must be greater than or equal to 1'], ['1001', 'must be less than or equal to 1000']]) {
      const res = await app.admin('GET', `/admin/deliveries?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { message: `child "limit" fails because ["limit" ${reason}]` } });
    }
  });

  it('exposes queue depth, sent and failed counters and latency in /metrics', async () => {
    const res = await app.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/delivery_sent_total\{kind="email"\} [1-9]/);
    expect(res.text).toMatch(/delivery_failed_total\{kind="email"\} [1-9]/);
    expect(res.text).toContain('delivery_queue_depth{kind="email",status="pending"}');
    expect(res.text).toMatch(/delivery_latency_seconds_count\{kind="email"\} [1-9]/);
    expect(res.text).toContain('sse_open_streams 0');
  });
});

describe('Delivery: crash safety', () => {
  const sink = new SmtpSink();
  const apps: TestApp[] = [];

  beforeAll(async () => {
    await sink.start();
  });
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await sink.stop();
  });

  it('an e-mail queued while no worker runs is sent exactly once by the instances started later', async () => {
    const api = await startTestApp({ ...FAST, SMTP_URL: sink.url, WORKERS_ENABLED: 'false' });
    apps.push(api);
    const [sender, receiver] = await Promise.all([createUser(api, 'service'), createUser(api)]);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await post(api, sender, { receiver: { id: receiver.id }, topic: `crash ${i}` });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    await new Promise((r) => setTimeout(r, 700));
    expect(sink.mails).toHaveLength(0);
    const pending = await api.admin('GET', '/admin/deliveries?status=pending');
    expect(pending.body).toHaveLength(12);
    // Newest first by numeric id, and paging by beforeId walks all of them once (ids are JSON strings:
    // the list once sorted them as text, "9" before "10", and paging skipped the rest).
    const numeric = pending.body.map((d: { id: string }) => BigInt(d.id));
    expect(numeric).toEqual([...numeric].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    const walked: string[] = [];
    for (let beforeId = ''; ; ) {
      const page = await api.admin('GET', `/admin/deliveries?status=pending&limit=5${beforeId ? `&beforeId=${beforeId}` : ''}`);
      if (page.body.length === 0) break;
      walked.push(...page.body.map((d: { id: string }) => d.id));
      beforeId = page.body[page.body.length - 1].id;
    }
    expect(walked).toEqual(pending.body.map((d: { id: string }) => d.id));
    if (!api.databaseUrl) return; // embedded: one process owns the database; the rest needs a server

    // Two worker instances start on the same database and race for the rows.
    const workers = await Promise.all([0, 1].map(() => startTestApp({ ...FAST, SMTP_URL: sink.url, WORKER_CONCURRENCY: '3' }, { shareDatabaseUrl: api.databaseUrl })));
    apps.push(...workers);
    await sink.waitFor((m) => m.length >= 12);
    await waitForDelivery(api, (r) => r.filter((d: any) => d.status === 'sent').length === 12);
    await new Promise((r) => setTimeout(r, 700));
    expect(sink.mails).toHaveLength(12);
    expect(sink.mails.map((m) => m.headers['x-message-id']).sort()).toEqual([...ids].sort());
  });
});

describe('Delivery: .eml files without SMTP_URL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'delivery-eml-'));
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ DATA_DIR: dataDir, SMTP_URL: '', MAIL_FROM: 'no-reply@mail.test' });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes one readable .eml file per recipient under DATA_DIR/mail', async () => {
    const [sender, receiver] = await Promise.all([createUser(app, 'service'), createUser(app)]);
    const res = await post(app, sender, { receiver: { id: receiver.id }, topic: 'to a file' });
    const file = join(dataDir, 'mail', `${res.body.id}.${receiver.id}.eml`);
    const deadline = Date.now() + 10_000;
    while (!existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(join(dataDir, 'mail'))).toEqual([`${res.body.id}.${receiver.id}.eml`]);
    const eml = readFileSync(file, 'utf8').replace(/\r?\n[ \t]+/g, ' ');
    expect(eml).toContain(`To: ${receiver.email}`);
    expect(eml).toContain('Subject: [Warning] to a file (Backup)');
    expect(eml).toMatch(new RegExp(`^Message-ID:\\s+<${res.body.id}\\.${receiver.id}@mail\\.test>`, 'm'));
  });
});
