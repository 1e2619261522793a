import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp } from '../src/app.factory';
import { validateEnv } from '../src/config/env.validation';

/**
 * Writes the OpenAPI document the service serves at /docs-json to a file (default openapi.json): the app runs
 * on a throw-away embedded database, so the document is the same on every machine.
 */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'messaging-openapi-'));
  const env = validateEnv({ ...process.env, DATABASE_URL: undefined, DATA_DIR: dataDir, DEMO_SEED: 'false', WORKERS_ENABLED: 'false' });
  const running = await createApp(env, pino({ level: 'warn' }));
  try {
    await running.app.listen(0, '127.0.0.1');
    const { port } = running.app.getHttpServer().address() as { port: number };
    const document = await (await fetch(`http://127.0.0.1:${port}/docs-json`)).json();
    writeFileSync(process.argv[2] ?? 'openapi.json', `${JSON.stringify(document, null, 2)}\n`);
  } finally {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
