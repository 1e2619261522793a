import { Client } from 'pg';

/** Refuses to touch any database whose name does not say it is a test database. */
export function assertTestDatabaseName(name: string): void {
  if (!/test/i.test(name)) {
    throw new Error(`Refusing to run tests against database "${name}": its name must contain "test".`);
  }
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

/** Runs statements on the server's maintenance database (CREATE/DROP DATABASE cannot run elsewhere). */
export async function onMaintenanceDb<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function quoteIdent(name: string): string {
  if (!/^[a-z0-9_]+$/i.test(name)) throw new Error(`unexpected database name ${name}`);
  return `"${name}"`;
}

export const templateName = (base: string) => `${base}_template`;

/** Drops the database `name` on the server of `url`, connections and all; nothing if it does not exist. */
export function dropDatabase(url: string, name: string): Promise<unknown> {
  return onMaintenanceDb(url, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

/** A new, empty database `name` on the server of `url` (whatever was there before is dropped). */
export async function recreateDatabase(url: string, name: string): Promise<void> {
  await dropDatabase(url, name);
  await onMaintenanceDb(url, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
}
