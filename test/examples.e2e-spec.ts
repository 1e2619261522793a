import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountFixture, createAccount, createCase } from './factories';
import { startTestApp, TestApp } from './support/test-app';

const EXPORTER = join(__dirname, '..', 'examples', 'exporter.ts');
const RECEIVER = join(__dirname, '..', 'examples', 'webhook-receiver.ts');
const PORTAL = join(__dirname, '..', 'examples', 'serve-portal.ts');

/** Collects a child's stdout lines; resolves when one matches. */
function waitForLine(child: ChildProcess, lines: string[], match: (line: string) => boolean, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching line; got ${JSON.stringify(lines)}`)), timeoutMs);
    const check = () => {
      const found = lines.find(match);
      if (found) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(found);
      }
    };
    child.stdout?.on('data', check);
    check();
  });
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runExporter(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-r', 'ts-node/register/transpile-only', EXPORTER, '--once'], { env: { ...process.env, ...env }, cwd: join(__dirname, '..') }, (error, stdout, stderr) => {
      const failure = error as (Error & { code?: number; signal?: NodeJS.Signals }) | null;
      resolve({ code: failure ? (failure.code ?? null) : 0, signal: failure?.signal ?? null, stdout, stderr });
    });
  });
}

describe('examples/exporter.ts end to end', () => {
  let app: TestApp;
  let partner: AccountFixture;
  let provider: AccountFixture;
  let kase: { guid: string };
  let exportDir: string;
  const ids: number[] = [];

  const env = (extra: Record<string, string> = {}) => ({ MESSAGING_URL: app.baseUrl, MESSAGING_TOKEN: provider.token, EXPORT_DIR: exportDir, EXPORT_PAGE_SIZE: '2', ...extra });
  const stored = () => readdirSync(join(exportDir, 'messages')).sort();
  const unconfirmed = async () => (await app.request('GET', '/api/v3/case-messages/feed?unconfirmed=true', { headers: { 'x-hub-api-token': provider.token } })).body.map((m: { id: number }) => m.id);

  beforeAll(async () => {
    app = await startTestApp();
    exportDir = mkdtempSync(join(tmpdir(), 'exporter-'));
    [partner, provider] = await Promise.all([createAccount(app, 'partner'), createAccount(app, 'provider')]);
    kase = await createCase(app, partner, provider);
    for (let i = 0; i < 5; i++) {
      const res = await app.request('POST', `/api/v3/case-messages/create?accessToken=${partner.token}`, { body: { guid: kase.guid, content: `export ${i}`, type: 'serviceComment' } });
      expect(res.status).toBe(200);
      ids.push(res.body.id);
    }
  });
  afterAll(async () => {
    await app.close();
    rmSync(exportDir, { recursive: true, force: true });
  });

  it('killed after storing a page and before confirming it, the next run confirms it without storing twice, and a third finds nothing', async () => {
    const killed = await runExporter(env({ EXPORTER_KILL_AFTER_STORE: '1' }));
    expect(killed.signal).toBe('SIGKILL');
    expect(stored()).toEqual(ids.slice(0, 2).map((id) => `${id}.json`).sort());
    expect(await unconfirmed()).toEqual(ids);

    const resumed = await runExporter(env());
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ stored: 3, confirmed: 5 });
    expect(stored()).toEqual(ids.map((id) => `${id}.json`).sort());
    expect(JSON.parse(readFileSync(join(exportDir, 'messages', `${ids[4]}.json`), 'utf8'))).toMatchObject({ id: ids[4], content: 'export 4', guid: kase.guid });
    expect(await unconfirmed()).toEqual([]);

    const idle = await runExporter(env());
    expect(idle.code).toBe(0);
    expect(JSON.parse(idle.stdout)).toMatchObject({ stored: 0, confirmed: 0 });
  });

  it('exits 1 with a message when the token is refused', async () => {
    const refused = await runExporter(env({ MESSAGING_TOKEN: 'not-a-token' }));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('exporter: Invalid access token\n');
  });
});

describe('examples/webhook-receiver.ts against real deliveries', () => {
  let app: TestApp;
  let receiver: ChildProcess;
  const lines: string[] = [];
  const secret = `whsec_${randomBytes(32).toString('base64')}`;

  beforeAll(async () => {
    app = await startTestApp();
    receiver = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', RECEIVER], { env: { ...process.env, WEBHOOK_SECRET: secret, PORT: '0' }, cwd: join(__dirname, '..') });
    receiver.stdout!.on('data', (chunk: Buffer) => lines.push(...String(chunk).split('\n').filter(Boolean)));
  });
  afterAll(async () => {
    receiver.kill('SIGTERM');
    await app.close();
  });

  it('handles a signed delivery once and refuses a forged call with 401', async () => {
    const listening = await waitForLine(receiver, lines, (line) => line.startsWith('listening on '));
    const port = JSON.parse(listening.slice('listening on '.length)).port as number;
    const [partner, provider] = await Promise.all([createAccount(app, 'partner'), createAccount(app, 'provider')]);
    const kase = await createCase(app, partner, provider);
    expect((await app.admin('PUT', `/admin/accounts/${provider.id}/webhook`, { url: `http://127.0.0.1:${port}/hook`, secret })).status).toBe(200);
    const created = await app.request('POST', `/api/v3/case-messages/create?accessToken=${partner.token}`, { body: { guid: kase.guid, content: 'to the receiver', type: 'serviceComment' } });
    expect(created.status).toBe(200);
    const handled = await waitForLine(receiver, lines, (line) => line.includes('to the receiver'));
    expect(JSON.parse(handled)).toEqual({ event: 'message.created', id: created.body.id, guid: kase.guid, content: 'to the receiver' });

    const forged = await fetch(`http://127.0.0.1:${port}/hook`, {
      method: 'POST',
      headers: { 'webhook-id': 'forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      body: JSON.stringify({ id: 1 }),
    });
    expect(forged.status).toBe(401);
    expect(await forged.text()).toBe('invalid signature');
  });
});

describe('examples/serve-portal.ts', () => {
  let server: ChildProcess;
  const lines: string[] = [];

  beforeAll(() => {
    const env = { ...process.env, PORT: '0', MESSAGING_URL: 'http://localhost:3000', USER_TOKEN: 'user-token' };
    server = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', PORTAL], { env, cwd: join(__dirname, '..') });
    server.stdout!.on('data', (chunk: Buffer) => lines.push(...String(chunk).split('\n').filter(Boolean)));
  });
  afterAll(() => {
    server.kill('SIGTERM');
  });

  it('prints the address to open and serves the snippet there', async () => {
    const line = await waitForLine(server, lines, (l) => l.startsWith('open '));
    const address = new URL(line.slice('open '.length));
    expect(address.pathname).toBe('/portal-sse.html');
    expect(Object.fromEntries(address.searchParams)).toEqual({ base: 'http://localhost:3000', token: 'user-token' });
    const page = await fetch(address);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toBe(readFileSync(join(__dirname, '..', 'examples', 'portal-sse.html'), 'utf8'));
    const other = await fetch(new URL('/exporter.ts', address));
    expect(other.status).toBe(404);
  });
});
