import { spawn } from 'node:child_process';
import { sourceEntryArgs } from './support/source-entry';
import { startTestApp, TestApp } from './support/test-app';

interface CliResult {
  code: number | null;
  json: any;
  stdout: string;
  stderr: string;
}

describe('provisioning CLI', () => {
  let app: TestApp;
  beforeAll(async () => {
    // Revocation through the CLI happens in another process; without the token cache the app sees it at once.
    app = await startTestApp({ AUTH_CACHE_TTL_MS: '0' });
  });
  afterAll(async () => {
    await app.close();
  });

  /** Runs src/cli.ts against the test app's database (or, embedded, joins the running test app's server). */
  function cli(...args: string[]): Promise<CliResult> {
    return runCli(args).then(({ code, stdout, stderr }) => ({
      code,
      // stderr: the database line, then an error's JSON.
      json: stdout ? JSON.parse(stdout) : JSON.parse(stderr.trim().split('\n').pop() || 'null'),
      stdout,
      stderr,
    }));
  }

  function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    // Webhooks in these tests point at 127.0.0.1, as the test app's do.
    const env: Record<string, string> = { PATH: process.env.PATH as string, WEBHOOK_ALLOW_PRIVATE: 'true' };
    if (app.env.DATABASE_URL) env.DATABASE_URL = app.env.DATABASE_URL;
    else env.DATA_DIR = app.env.DATA_DIR;
    const child = spawn(process.execPath, sourceEntryArgs('cli.ts', ...args), { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }

  it('provisions accounts, a case, users, a group and tokens that work over HTTP', async () => {
    const partner = await cli('accounts:create', '--type', 'partner', '--name', 'CLI Partner');
    expect(partner.code).toBe(0);
    // It says which database it wrote to: the test app's server, or the test app's running embedded one.
    expect(partner.stderr).toBe(
      app.env.DATABASE_URL ? `database: PostgreSQL at ${new URL(app.env.DATABASE_URL).host}${new URL(app.env.DATABASE_URL).pathname} (DATABASE_URL)\n` : `database: embedded under ${app.env.DATA_DIR} (joined the running service)\n`,
    );
    expect(partner.json).toMatchObject({ id: expect.any(Number), type: 'partner', name: 'CLI Partner' });
    const provider = await cli('accounts:create', '--type', 'provider', '--name', 'CLI Provider');
    const kase = await cli('cases:create', '--partner', String(partner.json.id), '--provider', String(provider.json.id));
    expect(kase.code).toBe(0);
    expect(kase.json.guid).toMatch(/^[0-9a-f-]{36}$/);
    const token = await cli('accounts:token', String(partner.json.id), '--label', 'erp');
    expect(token.json.token).toMatch(/^[0-9a-f]{64}$/);

    const list = await app.request('GET', `/api/v3/case-messages?guid=${kase.json.guid}&accessToken=${token.json.token}`);
    expect(list.status).toBe(200);

    const user = await cli('users:create', '--email', 'cli.user@example.com', '--role', 'service');
    expect(user.json).toMatchObject({ email: 'cli.user@example.com', role: 'service' });
    const group = await cli('groups:create', '--name', 'CLI group', '--description', 'Made by the CLI', '--members', user.json.id);
    expect(group.json).toMatchObject({ name: 'CLI group', description: 'Made by the CLI', memberIds: [user.json.id] });
    const members = await cli('groups:members', group.json.id, '--members', '');
    expect(members.json.memberIds).toEqual([]);

    const revoked = await cli('tokens:revoke', token.json.id);
    expect(revoked.json).toEqual({ id: token.json.id, revoked: true });
    const after = await app.request('GET', `/api/v3/case-messages?guid=${kase.json.guid}&accessToken=${token.json.token}`);
    expect(after.status).toBe(401);
  });

  it('sets and shows the provider accounts an integrator represents', async () => {
    const integrator = await cli('accounts:create', '--type', 'partner', '--name', 'CLI Integrator');
    const provider = await cli('accounts:create', '--type', 'provider', '--name', 'CLI Represented');
    const set = await cli('accounts:represents', String(integrator.json.id), '--providers', String(provider.json.id));
    expect(set.json).toEqual({ accountId: integrator.json.id, providerAccountIds: [provider.json.id] });
    expect((await cli('accounts:represents', String(integrator.json.id))).json).toEqual(set.json);
    const notProvider = await cli('accounts:represents', String(integrator.json.id), '--providers', String(integrator.json.id));
    expect(notProvider.code).toBe(1);
    expect(notProvider.json).toEqual({ error: { message: `providerAccountIds: account ${integrator.json.id} is not a provider account` } });
    expect((await cli('accounts:represents', String(integrator.json.id), '--providers', '')).json.providerAccountIds).toEqual([]);
  });

  it('manages webhook subscriptions: create, list, show, update, deliveries, delete', async () => {
    const account = await cli('accounts:create', '--type', 'provider', '--name', 'CLI Webhooks');
    const id = String(account.json.id);
    const created = await cli('webhooks:create', id, '--transport', 'amqp', '--url', 'amqp://user:cli-password@127.0.0.1:5672/', '--secret', 'cli-webhook-secret-0123', '--events', 'message.created,message.confirmed', '--routing-key', 'cli.queue');
    expect(created.code).toBe(0);
    expect(created.json).toMatchObject({ accountId: account.json.id, transport: 'amqp', url: 'amqp://user:***@127.0.0.1:5672/', routingKey: 'cli.queue', events: ['message.created', 'message.confirmed'] });
    expect(created.stdout).not.toContain('cli-password');
    expect(created.stdout).not.toContain('cli-webhook-secret');
    expect((await cli('webhooks:list', id)).json.map((w: { id: string }) => w.id)).toEqual([created.json.id]);
    const updated = await cli('webhooks:update', created.json.id, '--payload-version', 'v1');
    expect(updated.json).toMatchObject({ id: created.json.id, payloadVersion: 'v1' });
    expect((await cli('webhooks:show', created.json.id)).json.payloadVersion).toBe('v1');
    expect((await cli('webhooks:deliveries', created.json.id)).json).toEqual([]);
    const badHeader = await cli('webhooks:update', created.json.id, '--transport', 'http', '--url', 'http://127.0.0.1:9/', '--headers', '{"X-Webhook-Id":"1"}');
    expect(badHeader.code).toBe(1);
    expect(badHeader.json.error.message).toBe('child "headers" fails because ["headers" must not set X-Webhook-Id: the service sets it]');
    expect((await cli('webhooks:delete', created.json.id)).json).toEqual({ id: created.json.id, deleted: true });
    expect((await cli('webhooks:show', 'nope')).json).toEqual({ error: { message: 'WEBHOOK_ID must be a valid GUID (got "nope")' } });
  });

  it('migrates as a step of its own and says what it applied: nothing on a migrated database', async () => {
    const migrated = await cli('migrate');
    expect(migrated.code).toBe(0);
    expect(migrated.json).toEqual({ applied: [] });
  });

  it('finds, renames, deactivates and forwards, erases a user, and records each write as cli in the audit log', async () => {
    const tag = `cli-${Date.now()}`;
    const partner = await cli('accounts:create', '--type', 'partner', '--name', `${tag} partner`);
    const provider = await cli('accounts:create', '--type', 'provider', '--name', `${tag} provider`);
    const other = await cli('accounts:create', '--type', 'provider', '--name', `${tag} other`);
    const token = await cli('accounts:token', String(partner.json.id));
    const found = await cli('accounts:list', '--q', tag, '--type', 'partner');
    expect(found.json).toEqual({ items: [expect.objectContaining({ id: partner.json.id, status: 'active' })] });
    const page = await cli('accounts:list', '--q', tag, '--limit', '2');
    expect(page.json.items).toHaveLength(2);
    expect((await cli('accounts:list', '--q', tag, '--cursor', page.json.nextCursor)).json.items.map((a: { id: number }) => a.id)).toEqual([other.json.id]);
    expect((await cli('accounts:update', String(partner.json.id), '--name', `${tag} renamed`)).json.name).toBe(`${tag} renamed`);
    expect((await cli('accounts:tokens', String(partner.json.id))).json.items).toEqual([expect.objectContaining({ id: token.json.id, revokedAt: null })]);

    expect((await cli('accounts:deactivate', String(partner.json.id))).json.status).toBe('deactivated');
    const denied = await app.request('GET', `/api/v3/case-messages/feed?accessToken=${token.json.token}`);
    expect(denied).toMatchObject({ status: 401, body: { error: { message: 'Account deactivated' } } });
    expect((await cli('accounts:reactivate', String(partner.json.id))).json.status).toBe('active');

    const kase = await cli('cases:create', '--partner', String(partner.json.id), '--provider', String(provider.json.id));
    const toPartner = await cli('cases:forward', kase.json.guid, '--provider', String(partner.json.id));
    expect(toPartner).toMatchObject({ code: 1, json: { error: { message: `providerAccountId: account ${partner.json.id} is not a provider account` } } });
    expect((await cli('cases:forward', kase.json.guid, '--provider', String(other.json.id))).json.providerAccountId).toBe(other.json.id);
    expect((await cli('cases:list', '--account', String(other.json.id))).json.items.map((c: { guid: string }) => c.guid)).toEqual([kase.json.guid]);

    const user = await cli('users:create', '--email', `${tag}@example.com`);
    const unconfirmed = await cli('users:erase', user.json.id);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.json.error.message).toContain('cannot be undone');
    const erased = await cli('users:erase', user.json.id, '--confirm');
    expect(erased.json).toMatchObject({ erased: true });
    expect((await cli('users:show', user.json.id)).json).toEqual({ error: { message: 'User not found' } });
    expect((await cli('users:show', 'nope')).json).toEqual({ error: { message: 'USER_ID must be a valid GUID (got "nope")' } });

    const audit = await cli('audit:list', '--target', `account:${partner.json.id}`);
    expect(audit.json.items.map((e: { actor: string; action: string }) => `${e.actor} ${e.action}`)).toEqual([
      'cli accounts:reactivate',
      'cli accounts:deactivate',
      'cli accounts:update',
      'cli accounts:token',
      'cli accounts:create',
    ]);
    // The server's log has the CLI's writes too, and reads are not recorded.
    const overHttp = await app.admin('GET', `/admin/audit?target=case:${kase.json.guid}`);
    expect(overHttp.body.map((e: { action: string }) => e.action)).toEqual(['cases:forward', 'cases:create']);
    expect((await cli('audit:list', '--action', 'accounts:list')).json.items).toEqual([]);
    // 27 CLI runs, each a process that compiles the source (~2 s alone, several on a loaded machine).
  }, 240_000);

  it('reports bad input and conflicts as JSON errors with exit code 1', async () => {
    const bad = await cli('accounts:create', '--type', 'insurer', '--name', 'X');
    expect(bad.code).toBe(1);
    expect(bad.json).toEqual({ error: { message: 'child "type" fails because ["type" must be one of [partner, provider]]' } });
    const user = await cli('users:create', '--email', 'dup@example.com', '--id', '1110ac3b-fa49-e540-ac2f-8caff3dd72ee');
    expect(user.code).toBe(0);
    const dup = await cli('users:create', '--email', 'dup@example.com', '--id', '1110ac3b-fa49-e540-ac2f-8caff3dd72ee');
    expect(dup.code).toBe(1);
    expect(dup.json.error.message).toBe('A user with id 1110ac3b-fa49-e540-ac2f-8caff3dd72ee already exists');
    // Ids are checked as the REST API checks them, before the database sees them (were raw PostgreSQL errors).
    const bigId = await cli('accounts:token', '99999999999');
    expect(bigId.json).toEqual({ error: { message: 'ACCOUNT_ID must be a positive integer (got "99999999999")' } });
    const noCase = await cli('cases:create', '--partner', '1', '--provider', '2147483648');
    expect(noCase.json).toEqual({ error: { message: '--provider must be a positive integer (got "2147483648")' } });
    for (const [command, name] of [['users:token', 'USER_ID'], ['tokens:revoke', 'TOKEN_ID'], ['groups:members', 'GROUP_ID']]) {
      const notGuid = await cli(command, 'nope');
      expect(notGuid.code).toBe(1);
      expect(notGuid.json).toEqual({ error: { message: `${name} must be a valid GUID (got "nope")` } });
    }
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(1);
    expect(unknown.json.error.message).toContain('Unknown command "frobnicate"');
  });

  it.each(['help', '--help', '-h', 'accounts:create --help'])('prints its usage for "%s", exit code 0, without opening a database', async (words) => {
    const { code, stdout, stderr } = await runCli(words.split(' '));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run cli -- <command>/);
    expect(stdout).toContain('accounts:create');
    expect(stderr).not.toContain('database:');
  });
});
