/**
 * The floor: the least a Node server can do to answer our endpoints — Fastify, `pg`, the same SQL
 * statements per request as the app (from bench/scenarios/*), the same pool size, tokens resolved from an
 * in-memory map (the app caches resolved tokens for AUTH_CACHE_TTL_MS, so at steady state it sends no
 * token query either). No validation, no DTO mapping, no logging, no metrics: what the app costs on top
 * of this is the price of the framework and of its rules.
 *
 * Started by bench/run.ts as a child process with DATABASE_URL, DB_POOL_SIZE and PORT.
 */
import Fastify from 'fastify';
import { Pool } from 'pg';
import { loadTokens } from './floor/tokens';

async function main(): Promise<void> {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DB_POOL_SIZE ?? 10),
    application_name: 'bench-floor',
    // The app's own session settings (jit=off, no parallel workers), passed in by bench/run.ts.
    ...(process.env.FLOOR_PG_OPTIONS ? { options: process.env.FLOOR_PG_OPTIONS } : {}),
  });
  const tokens = await loadTokens(pool);
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.get('/health/live', async () => ({ status: 'ok' }));
  // Each API's routes load only when its scenario file exists, like the suites in run.ts.
  for (const load of [() => import('./floor/case-messages'), () => import('./floor/user-messages')]) {
    try {
      (await load()).registerRoutes(app, pool, tokens);
    } catch (error) {
      process.stderr.write(`floor: skipping routes: ${(error as Error).message.split('\n')[0]}\n`);
    }
  }
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  const stop = async () => {
    await app.close();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: Error) => {
  process.stderr.write(`floor: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
