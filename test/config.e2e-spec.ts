import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { sourceEntryArgs } from './support/source-entry';

describe('start-up configuration', () => {
  it('refuses to start with bad variables, listing each, with a non-zero exit code', () => {
    const result = spawnSync(process.execPath, sourceEntryArgs('main.ts'), {
      env: { PATH: process.env.PATH, PORT: 'eighty', DB_POOL_SIZE: '0', SMTP_URL: 'http://mail', LOG_LEVEL: 'loud' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Invalid configuration');
    for (const name of ['PORT', 'DB_POOL_SIZE', 'SMTP_URL', 'LOG_LEVEL']) expect(result.stderr).toContain(`${name}:`);
  });

  it('refuses to start on a DATA_DIR whose embedded database another running service serves (it joined it and died with it)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'messaging-datadir-'));
    const first = await startEmbeddedPostgres(dataDir);
    try {
      const result = spawnSync(process.execPath, sourceEntryArgs('main.ts'), {
        env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DEMO_SEED: 'false', LOG_LEVEL: 'warn' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`fatal: DATA_DIR ${dataDir} is in use: process ${process.pid} serves its embedded database. Give this instance another DATA_DIR, or both a DATABASE_URL.\n`);
    } finally {
      await first.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
