import { spawnSync } from 'node:child_process';

/** Jest decides what to skip before any hook runs, so the probe is a synchronous child process. */
export function listens(host: string, port: number): boolean {
  const probe = `require('node:net').connect(${port}, '${host}').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
  return spawnSync(process.execPath, ['-e', probe], { timeout: 5000 }).status === 0;
}

/** `describe` when `server` listens on host:port, else `describe.skip` with a line saying so. */
export function describeWithServer(suite: string, server: string, host: string, port: number): jest.Describe {
  if (listens(host, port)) return describe;
  console.warn(`${suite}: SKIPPED, nothing listens on ${host}:${port} (${server})`);
  return describe.skip;
}
