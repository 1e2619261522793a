import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A running embedded PostgreSQL (PGlite) reachable through the ordinary `pg` driver. */
export interface EmbeddedDatabase {
  url: string;
  /** Whether another process (a running service) serves this database and this one joined it. */
  joined: boolean;
  /** Stops the server this process started; a no-op for one it joined. */
  stop(): Promise<void>;
}

/** A second service on a DATA_DIR whose database another running service already serves. */
export class DataDirInUseError extends Error {}

interface ServerInfo {
  pid: number;
  url: string;
}

// PGlite is one single-user backend and the app's own pool holds one connection to it (data-source.ts).
// The other places are for processes that join through server.json: the CLI and the TypeORM CLI.
const EMBEDDED_MAX_CONNECTIONS = 8;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts PGlite on `dataDir` and serves it on a random loopback port. Only one process may open a
 * PGlite data directory, so a second process (the CLI while the server runs) joins the running
 * server through the address written in `server.json` instead of opening the files again. With
 * `exclusive` (the service itself) it refuses instead: a second service would serve the first one's
 * database and stop working when the first stops.
 */
export async function startEmbeddedPostgres(dataDir: string, options: { exclusive?: boolean } = {}): Promise<EmbeddedDatabase> {
  const dir = resolve(dataDir);
  const infoFile = join(dir, 'server.json');
  const running = readServerInfo(infoFile);
  if (running && running.pid !== process.pid && isAlive(running.pid)) {
    if (options.exclusive) {
      throw new DataDirInUseError(`DATA_DIR ${dir} is in use: process ${running.pid} serves its embedded database. Give this instance another DATA_DIR, or both a DATABASE_URL.`);
    }
    return { url: running.url, joined: true, stop: async () => undefined };
  }
  mkdirSync(join(dir, 'pgdata'), { recursive: true });
  const db = await PGlite.create(join(dir, 'pgdata'));
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: EMBEDDED_MAX_CONNECTIONS });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  writeFileSync(infoFile, JSON.stringify({ pid: process.pid, url } satisfies ServerInfo));
  return {
    url,
    joined: false,
    stop: async () => {
      rmSync(infoFile, { force: true });
      await server.stop();
      await db.close();
    },
  };
}

function readServerInfo(file: string): ServerInfo | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ServerInfo;
  } catch {
    return undefined;
  }
}
