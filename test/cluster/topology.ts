import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// The processes of the cluster test: PgBouncer, HAProxy and the built service, each a child of this process.

const DIST_MAIN = join(__dirname, '..', '..', 'dist', 'main.js');
const DIST_CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Polls `probe` every 100 ms until it holds, or throws `what` after `timeoutMs`. */
export async function waitUntil(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A child process whose output is kept (shown when a check fails) and which can be signalled. */
export class Child {
  readonly process: ChildProcess;
  private output = '';

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: Record<string, string | undefined> = {},
  ) {
    this.process = spawn(command, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.process.stdout!, this.process.stderr!]) stream.on('data', (chunk) => (this.output += chunk));
  }

  get log(): string {
    return this.output;
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Signals the process and resolves with how it ended. */
  async stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: string | null }> {
    if (!this.running) return { code: this.process.exitCode, signal: this.process.signalCode };
    const exited = once(this.process, 'exit') as Promise<[number | null, string | null]>;
    this.process.kill(signal);
    const [code, endedBy] = await exited;
    return { code, signal: endedBy };
  }
}

/**
 * Through PgBouncer the service's startup options are dropped (ignore_startup_parameters), so the database
 * carries the session settings the service would set itself; `db` is connected to any database of the server.
 */
export async function setSessionDefaults(db: { query(sql: string): Promise<unknown> }, database: string): Promise<void> {
  const name = `"${database.replaceAll('"', '""')}"`;
  for (const setting of [`statement_timeout = '10s'`, 'jit = off', 'max_parallel_workers_per_gather = 0']) await db.query(`ALTER DATABASE ${name} SET ${setting}`);
}

/** Pool per instance behind PgBouncer: three instances × 8 client connections onto its 12 server connections. */
export const INSTANCE_POOL_SIZE = 8;

/** The user PgBouncer drops to when started as root (it refuses to run as root). */
function dropPrivileges(dir: string): string[] {
  if (process.getuid?.() !== 0) return [];
  chmodSync(dir, 0o777);
  return ['-u', 'nobody'];
}

/** PgBouncer in transaction mode in front of the PostgreSQL at `target` (trust authentication, as on the test server). */
export async function startPgBouncer(target: URL): Promise<{ child: Child; port: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'messaging-cluster-pgbouncer-'));
  const port = await freePort();
  writeFileSync(join(dir, 'users.txt'), `"${decodeURIComponent(target.username)}" ""\n`);
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${target.hostname} port=${target.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 500',
      'default_pool_size = 12',
      // The service's session settings come from ALTER DATABASE … SET instead (see docs/deployment.md).
      'ignore_startup_parameters = extra_float_digits,options,statement_timeout',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      '',
    ].join('\n'),
  );
  const child = new Child('pgbouncer', 'pgbouncer', [...dropPrivileges(dir), join(dir, 'pgbouncer.ini')]);
  await waitUntil('PgBouncer to listen', () => tcpListens(port) || !child.running, 10_000);
  if (!child.running) throw new Error(`PgBouncer did not start:\n${child.log}`);
  return { child, port };
}

export interface Balancer {
  child: Child;
  url: string;
  /** Whether HAProxy's health checks currently send traffic to `server`. */
  isUp(server: string): Promise<boolean>;
}

export interface HaproxyOptions {
  /** Health-check period and failures before a server is taken out (default 200 ms, 1: the test sees a dead instance at once). */
  check?: { intervalMs: number; fall: number };
  /** `option http-no-delay` (default on); the bench turns it off to show what it saves on SSE. */
  httpNoDelay?: boolean;
}

/** HAProxy round-robin over `servers`, health-checking /health/ready; names the server in X-Served-By. */
export async function startHaproxy(servers: { name: string; port: number }[], options: HaproxyOptions = {}): Promise<Balancer> {
  const check = options.check ?? { intervalMs: 200, fall: 1 };
  const dir = mkdtempSync(join(tmpdir(), 'messaging-cluster-haproxy-'));
  const [port, statsPort] = [await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'haproxy.cfg'),
    [
      'global',
      '  maxconn 4000',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 60s',
      '  timeout server 60s',
      // SSE: once the response streams, the tunnel timeout applies; it must exceed the heartbeat.
      '  timeout tunnel 1h',
      // SSE: forward each event as it comes; without it HAProxy holds small writes back (~200 ms measured).
      ...(options.httpNoDelay === false ? [] : ['  option http-no-delay']),
      '  option redispatch',
      '  retries 3',
      // A connection refused or closed without an answer (a killed instance, a closing keep-alive) goes to another server.
      '  retry-on conn-failure empty-response',
      `frontend web`,
      `  bind 127.0.0.1:${port}`,
      '  default_backend service',
      'frontend stats',
      `  bind 127.0.0.1:${statsPort}`,
      '  stats enable',
      '  stats uri /stats',
      'backend service',
      '  balance roundrobin',
      '  option httpchk GET /health/ready',
      '  http-check expect status 200',
      `  default-server inter ${check.intervalMs}ms fall ${check.fall} rise 2`,
      '  http-response set-header X-Served-By %s',
      ...servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check`),
      '',
    ].join('\n'),
  );
  const child = new Child('haproxy', 'haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')]);
  await waitUntil('HAProxy to listen', () => tcpListens(port) || !child.running, 10_000);
  if (!child.running) throw new Error(`HAProxy did not start:\n${child.log}`);
  const isUp = async (server: string) => {
    const csv = await fetch(`http://127.0.0.1:${statsPort}/stats;csv`).then((r) => r.text());
    const row = csv.split('\n').find((line) => line.startsWith(`service,${server},`));
    return row?.split(',')[17] === 'UP';
  };
  return { child, url: `http://127.0.0.1:${port}`, isUp };
}

export class ServiceInstance {
  child?: Child;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    /** The built entry point; the bench passes its private snapshot of dist/. */
    private readonly main = DIST_MAIN,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts `node dist/main.js` and waits until its readiness answers 200. */
  async start(): Promise<void> {
    const child = new Child(this.name, process.execPath, [this.main], { ...this.env, HOST: '127.0.0.1', PORT: String(this.port) });
    this.child = child;
    await waitUntil(`${this.name} to be ready`, async () => !child.running || (await fetch(`${this.url}/health/ready`).then((r) => r.ok, () => false)), 60_000);
    if (!child.running) throw new Error(`${this.name} exited before it was ready:\n${child.log}`);
  }
}

/** `node dist/cli.js migrate`: the release step, before any instance starts (they run with MIGRATIONS_RUN=false). */
export function migrate(env: Record<string, string>): string {
  const result = spawnSync(process.execPath, [DIST_CLI, 'migrate'], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`migrate failed (${result.status}):\n${result.stderr}`);
  return result.stdout;
}

export function tcpListens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket.end() && true));
    socket.once('error', () => resolve(false));
  });
}

/**
 * A TCP relay whose target the test switches: to a server that accepts and never answers (an SMTP server,
 * webhook or broker stuck mid-conversation: a worker that claimed a delivery hangs on it), then to the real one.
 */
export class SwitchProxy {
  private server?: Server;
  private silent = true;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      if (this.silent) return;
      const upstream = connect(this.targetPort, '127.0.0.1');
      upstream.on('error', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** From now on, new connections reach the real target; the stuck ones stay stuck. */
  passThrough(): void {
    this.silent = false;
  }

  hang(): void {
    this.silent = true;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve) ?? resolve(undefined));
  }
}
