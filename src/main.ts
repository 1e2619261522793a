import 'reflect-metadata';
import { formatDemoSet, seedDemoData } from './demo-seed';
import { createApp } from './app.factory';
import { EnvironmentVariables, validateEnv } from './config/env.validation';
import { DataDirInUseError } from './database/embedded-postgres';
import { createRootLogger, resolveLogFormat } from './observability/logger';

async function main(): Promise<void> {
  let env: EnvironmentVariables;
  try {
    env = validateEnv(process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const logger = createRootLogger({ level: env.LOG_LEVEL, format: resolveLogFormat(env.LOG_FORMAT) });
  const { app, drainAndClose } = await createApp(env, logger);

  let stopping = false;
  // SIGTERM is the orchestrator's or balancer's stop: drain first. SIGINT is a person at a terminal: stop now.
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const drainMs = signal === 'SIGTERM' ? env.SHUTDOWN_DRAIN_MS : 0;
    logger.info({ signal, drainMs }, drainMs > 0 ? 'draining, then shutting down' : 'shutting down');
    setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, drainMs + env.SHUTDOWN_TIMEOUT_MS).unref();
    await drainAndClose(drainMs);
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen(env.PORT, env.HOST);
  const baseUrl = `http://localhost:${env.PORT}`;
  logger.info({ port: env.PORT, database: env.DATABASE_URL ? 'external' : `embedded (${env.DATA_DIR})` }, `listening on ${baseUrl}`);

  if (env.DEMO_SEED) {
    const demo = await seedDemoData(app);
    // Printed to stdout directly, never through the logger: tokens must not reach log storage.
    if (demo) process.stdout.write(formatDemoSet(demo, baseUrl));
  }
}

main().catch((error: NodeJS.ErrnoException) => {
  // A system error (port in use, a DATA_DIR it may not write, an unknown HOST) or a DATA_DIR another
  // instance serves is an operator's to fix: one line says it; anything else keeps its stack.
  const operators = (typeof error.code === 'string' && error.syscall) || error instanceof DataDirInUseError;
  process.stderr.write(`fatal: ${operators ? error.message : (error.stack ?? error.message)}\n`);
  process.exit(1);
});
