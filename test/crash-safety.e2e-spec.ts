import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { Client } from 'pg';
import { AccountFixture, createAccount, createCase, createUser, UserFixture } from './factories';
import { SmtpSink } from './support/smtp-sink';
import { sourceEntryArgs } from './support/source-entry';
import { ADMIN_TOKEN, startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

// A second process of the service is killed on the shared database: needs a PostgreSQL server.
const describeWithServer = process.env.DATABASE_URL ? describe : describe.skip;
jest.setTimeout(120_000);

const FAST = { DELIVERY_BACKOFF_BASE_SECONDS: '1', DELIVERY_MAX_ATTEMPTS: '3', DELIVERY_RETRY_HOURS: '0', WEBHOOK_TIMEOUT_MS: '1000' };
const V3 = '/api/v3/case-messages';
/** Creates sent per API before the kill; the kill comes once some are acknowledged and others still in flight. */
const REQUESTS_PER_API = 60;

/** A TCP server that accepts connections and never says a word: an SMTP server or webhook stuck mid-conversation. */
async function startSilentServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The real entry point (src/main.ts) in its own process, so it can be killed with SIGKILL. */
async function startServiceProcess(env: Record<string, string>): Promise<{ child: ChildProcess; baseUrl: string; output: () => string }> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, sourceEntryArgs('main.ts'), {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ADMIN_TOKEN, RATE_LIMIT_PER_MINUTE: '0', DEMO_SEED: 'false', WEBHOOK_ALLOW_PRIVATE: 'true', ...env },
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode} before it was ready:\n${output}`);
    const ready = await fetch(`${baseUrl}/health/ready`).then((r) => r.ok, () => false);
    if (ready) return { child, baseUrl, output: () => output };
    if (Date.now() > deadline) throw new Error(`the service never became ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

type Outcome = { key: string; status: number; id?: string | number } | { key: string; error: string };

/**
 * Sends one request per key, `concurrency` at a time, until all are sent or `stop()` says so. `outcomes`
 * fills as answers come; `done` resolves with all of them.
 */
function drive(keys: string[], concurrency: number, send: (key: string) => Promise<Outcome>, stop: () => boolean): { outcomes: Outcome[]; done: Promise<Outcome[]> } {
  const outcomes: Outcome[] = [];
  let next = 0;
  const lane = async () => {
    while (next < keys.length && !stop()) outcomes.push(await send(keys[next++]));
  };
  return { outcomes, done: Promise.all(Array.from({ length: concurrency }, lane)).then(() => outcomes) };
}

/** POSTs `body` as JSON; the answer's status and message id, or the error that cut the request off. */
async function postFor(key: string, url: string, body: unknown, headers: Record<string, string> = {}): Promise<Outcome> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const answer = (await res.json().catch(() => undefined)) as { id?: string | number } | undefined;
    return { key, status: res.status, id: answer?.id };
  } catch (error) {
    return { key, error: String(error) };
  }
}

const acknowledged = (outcomes: Outcome[], status: number) => outcomes.filter((o): o is Extract<Outcome, { status: number }> => 'status' in o && o.status === status);

describeWithServer('Crash safety: the process is killed (SIGKILL) mid-request and mid-delivery', () => {
  const sink = new SmtpSink();
  const receiver = new WebhookReceiver();
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  let api: TestApp;
  let worker: TestApp | undefined;
  let db: Client;
  let sender: UserFixture;
  let reader: UserFixture;
  let partner: AccountFixture;
  let provider: AccountFixture;
  let kase: { id: number; guid: string };

  beforeAll(async () => {
    await Promise.all([sink.start(), receiver.start()]);
    silent = await startSilentServer();
    // The instance that survives: answers the client's retries and the checks; it runs no workers.
    api = await startTestApp({ ...FAST, WORKERS_ENABLED: 'false' });
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    [sender, reader, partner, provider] = await Promise.all([createUser(api, 'service'), createUser(api), createAccount(api, 'partner'), createAccount(api, 'provider')]);
    kase = await createCase(api, partner, provider);
    const hook = await api.admin('PUT', `/admin/accounts/${provider.id}/webhook`, { url: `http://127.0.0.1:${silent.port}/hook`, secret: 'provider-secret-0123456789' });
    expect(hook.status).toBe(200);
  });
  afterAll(async () => {
    await worker?.close();
    await db?.end();
    await api?.close();
    for (const socket of silent?.sockets ?? []) socket.destroy();
    silent?.server.close();
    await Promise.all([sink.stop(), receiver.stop()]);
  });

  it('loses no acknowledged message, duplicates none on retry, and delivers every e-mail and webhook once after the lease', async () => {
    // The instance that dies: its workers claim deliveries and hang on the silent SMTP server and webhook.
    const doomed = await startServiceProcess({ ...FAST, DATABASE_URL: api.databaseUrl!, SMTP_URL: `smtp://127.0.0.1:${silent.port}`, WORKER_CONCURRENCY: '4' });

    let killed = false;
    const v2Keys = Array.from({ length: REQUESTS_PER_API }, (_, i) => `crash-v2-${i}`);
    const v3Keys = Array.from({ length: REQUESTS_PER_API }, (_, i) => `crash-v3-${i}`);
    const v2Body = (key: string) => ({ receiver: { id: reader.id }, source: 'Crash test', topic: key, severity: 'Info', returnCode: 'E0' });
    const v3Body = (key: string) => ({ guid: kase.guid, type: 'serviceComment', content: key, externalId: key });
    const sendV2 = (baseUrl: string) => (key: string) =>
      postFor(key, `${baseUrl}/v2/messages`, v2Body(key), { authorization: `BimPlus ${sender.token}`, 'idempotency-key': key });
    const sendV3 = (baseUrl: string) => (key: string) => postFor(key, `${baseUrl}${V3}/create?accessToken=${partner.token}`, v3Body(key));

    // Load on both APIs; SIGKILL once at least 15 creates of each are acknowledged and some e-mail and
    // webhook deliveries are claimed by the doomed process (status 'sending', its SMTP/HTTP call hanging).
    const v2Load = drive(v2Keys, 4, sendV2(doomed.baseUrl), () => killed);
    const v3Load = drive(v3Keys, 4, sendV3(doomed.baseUrl), () => killed);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { rows } = await db.query(
        `SELECT (SELECT count(*) FROM deliveries WHERE status = 'sending' AND kind = 'email')::int AS "sendingEmail",
                (SELECT count(*) FROM deliveries WHERE status = 'sending' AND kind = 'webhook')::int AS "sendingWebhook"`,
      );
      const seen = { v2: acknowledged(v2Load.outcomes, 201).length, v3: acknowledged(v3Load.outcomes, 200).length, ...rows[0] };
      if (seen.v2 >= 15 && seen.v3 >= 15 && seen.sendingEmail > 0 && seen.sendingWebhook > 0) break;
      if (Date.now() > deadline) throw new Error(`never reached the kill point: ${JSON.stringify(seen)}\n${doomed.output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    doomed.child.kill('SIGKILL');
    killed = true;
    const [exit, v2Outcomes, v3Outcomes] = await Promise.all([once(doomed.child, 'exit'), v2Load.done, v3Load.done]);
    expect(exit).toEqual([null, 'SIGKILL']);

    // Everything the dead process acknowledged is there, read through the surviving instance.
    const v2Acked = acknowledged(v2Outcomes, 201);
    const v3Acked = acknowledged(v3Outcomes, 200);
    expect(v2Acked.length).toBeGreaterThanOrEqual(15);
    expect(v3Acked.length).toBeGreaterThanOrEqual(15);
    expect(v2Outcomes.filter((o) => 'status' in o && o.status !== 201)).toEqual([]);
    expect(v3Outcomes.filter((o) => 'status' in o && o.status !== 200)).toEqual([]);
    for (const o of v2Acked) {
      const res = await api.request('GET', `/v2/messages/${o.id}`, { headers: { authorization: `BimPlus ${reader.token}` } });
      expect({ key: o.key, status: res.status, topic: res.body?.topic }).toEqual({ key: o.key, status: 200, topic: o.key });
    }
    const listed = await api.request('GET', `${V3}?accessToken=${provider.token}&guid=${kase.guid}`);
    expect(listed.status).toBe(200);
    const listedIds = new Set(listed.body.map((m: { id: number }) => m.id));
    for (const o of v3Acked) expect({ key: o.key, listed: listedIds.has(o.id) }).toEqual({ key: o.key, listed: true });

    // The client retries what got no answer (cut off by the kill, or never sent) with the same keys: each
    // key ends as exactly one message, whether the first attempt had committed or not.
    const unanswered = (keys: string[], outcomes: Outcome[]) => keys.filter((k) => !outcomes.some((o) => o.key === k && 'status' in o));
    const v2Retried = await drive(unanswered(v2Keys, v2Outcomes), 4, sendV2(api.baseUrl), () => false).done;
    const v3Retried = await drive(unanswered(v3Keys, v3Outcomes), 4, sendV3(api.baseUrl), () => false).done;
    expect(v2Retried.filter((o) => !('status' in o) || o.status !== 201)).toEqual([]);
    expect(v3Retried.filter((o) => !('status' in o) || o.status !== 200)).toEqual([]);
    const { rows: v2Rows } = await db.query(`SELECT id::text, topic FROM user_messages WHERE sender_id = $1`, [sender.id]);
    expect(v2Rows.map((r) => r.topic).sort()).toEqual([...v2Keys].sort());
    const { rows: v3Rows } = await db.query(`SELECT id, external_id AS "externalId" FROM case_messages WHERE case_id = $1`, [kase.id]);
    expect(v3Rows.map((r) => r.externalId).sort()).toEqual([...v3Keys].sort());

    // The dead process's claimed rows wait out their lease (at least 60 s); moving run_at to now stands in for the wait.
    const { rowCount: leased } = await db.query(`UPDATE deliveries SET run_at = now() WHERE status = 'sending'`);
    expect(leased).toBeGreaterThan(0);
    const hook = await api.admin('PUT', `/admin/accounts/${provider.id}/webhook`, { url: receiver.url('/hook'), secret: 'provider-secret-0123456789' });
    expect(hook.status).toBe(200);
    worker = await startTestApp({ ...FAST, SMTP_URL: sink.url, WORKER_CONCURRENCY: '4' }, { shareDatabaseUrl: api.databaseUrl });

    // One e-mail per v2 message and one webhook call per v3 message, none twice (nothing reached the silent server's end).
    await sink.waitFor((m) => m.length >= v2Rows.length, 60_000);
    await receiver.waitFor((c) => c.length >= v3Rows.length, 60_000);
    // The worker records a round's outcomes after its calls: wait for the rows to say so.
    for (const deadline = Date.now() + 30_000; ; ) {
      const { rows: open } = await db.query(`SELECT count(*)::int AS n FROM deliveries WHERE status <> 'sent'`);
      if (open[0].n === 0) break;
      if (Date.now() > deadline) throw new Error(`${open[0].n} deliveries never reached 'sent'`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(sink.mails.map((m) => m.headers['x-message-id']).sort()).toEqual(v2Rows.map((r) => r.id).sort());
    expect(receiver.calls.map((c) => JSON.parse(c.body).id).sort()).toEqual(v3Rows.map((r) => r.id).sort());
    const { rows: retried } = await db.query(`SELECT count(*)::int AS n FROM deliveries WHERE attempts = 2`);
    expect(retried[0].n).toBe(leased);
  });
});
