import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createApp, RunningApp } from '../../src/app.factory';
import { validateEnv } from '../../src/config/env.validation';
import { databaseName, dropDatabase, onMaintenanceDb, quoteIdent, withDatabase } from './test-database';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as-is (for malformed JSON tests) instead of JSON-encoding `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestApp {
  baseUrl: string;
  /** The database this app uses (undefined on the embedded database). */
  databaseUrl: string | undefined;
  running: RunningApp;
  /** The validated environment the app runs with (DATABASE_URL or DATA_DIR point at its own database). */
  env: ReturnType<typeof validateEnv>;
  /** Every log line the app wrote, parsed. */
  logs: string[];
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  admin<T = any>(method: string, path: string, body?: unknown): Promise<HttpResult<T>>;
  close(): Promise<void>;
}

/**
 * Starts the real application in-process, listening on a random port, against its own database:
 * a clone of the migrated template (DATABASE_URL set) or a fresh embedded PostgreSQL.
 */
export interface TestAppOptions {
  /** Rewrites the test database URL before the app uses it (e.g. to route it through a proxy). */
  rewriteDatabaseUrl?: (url: string) => string;
  /** Joins another test app's database (`TestApp.databaseUrl`) instead of cloning one: two instances of the service. */
  shareDatabaseUrl?: string;
}

export async function startTestApp(overrides: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const suffix = randomBytes(6).toString('hex');
  const baseEnv: Record<string, string | undefined> = {
    ...process.env,
    ADMIN_TOKEN,
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '0',
    DEMO_SEED: 'false',
    WEBHOOK_ALLOW_PRIVATE: 'true',
  };
  let dropOwnDatabase = async () => undefined as unknown;
  let dataDir: string | undefined;
  const sourceUrl = process.env.DATABASE_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (options.shareDatabaseUrl) {
    baseEnv.DATABASE_URL = options.shareDatabaseUrl;
  } else if (sourceUrl && template) {
    const name = `${databaseName(sourceUrl)}_${suffix}`;
    await onMaintenanceDb(sourceUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`));
    baseEnv.DATABASE_URL = withDatabase(sourceUrl, name);
    dropOwnDatabase = () => dropDatabase(sourceUrl, name);
  } else {
    delete baseEnv.DATABASE_URL;
    dataDir = mkdtempSync(join(tmpdir(), 'messaging-test-'));
    baseEnv.DATA_DIR = dataDir;
  }
  if (!dataDir) {
    // Files the app writes (e.g. .eml e-mails without SMTP_URL) stay out of the checkout.
    dataDir = mkdtempSync(join(tmpdir(), 'messaging-test-'));
    baseEnv.DATA_DIR = dataDir;
  }
  if (baseEnv.DATABASE_URL && options.rewriteDatabaseUrl) baseEnv.DATABASE_URL = options.rewriteDatabaseUrl(baseEnv.DATABASE_URL);
  const env = validateEnv({ ...baseEnv, ...overrides });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const running = await createApp(env, pino({ level: env.LOG_LEVEL }, sink));
  await running.app.listen(0, '127.0.0.1');
  const address = running.app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;

  const request = async <T>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult<T>> => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    let body: string | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  };

  return {
    baseUrl,
    databaseUrl: env.DATABASE_URL,
    running,
    env,
    logs,
    request,
    admin: (method, path, body) => request(method, path, { body, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
    close: async () => {
      await running.close();
      await dropOwnDatabase();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
