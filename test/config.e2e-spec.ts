import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('start-up configuration', () => {
  it('refuses to start with bad variables, listing each, with a non-zero exit code', () => {
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', 'src', 'main.ts')], {
      env: { PATH: process.env.PATH, PORT: 'eighty', DB_POOL_SIZE: '0', SMTP_URL: 'http://mail', LOG_LEVEL: 'loud' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Invalid configuration');
    for (const name of ['PORT', 'DB_POOL_SIZE', 'SMTP_URL', 'LOG_LEVEL']) expect(result.stderr).toContain(`${name}:`);
  });
});
