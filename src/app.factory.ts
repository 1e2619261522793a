import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from 'pino';
import { AppModule } from './app.module';
import { EnvironmentVariables } from './config/env.validation';
import { startEmbeddedPostgres } from './database/embedded-postgres';
import { ShutdownState } from './health/shutdown-state';
import { installJsonParser } from './http/body-parsers';
import { installCompression } from './http/compression';
import { corsOptions } from './http/cors';
import { createFastifyAdapter } from './http/fastify-adapter';
import { installQueryNotation } from './http/query-notation';
import { installRequestHooks } from './http/request-hooks';
import { createRootLogger, PinoLoggerService, resolveLogFormat } from './observability/logger';
import { MetricsService } from './observability/metrics.service';
import { setupOpenApi } from './openapi';

export interface RunningApp {
  app: NestFastifyApplication;
  /** Closes the app (finishing in-flight requests), then the embedded database if we own it. */
  close(): Promise<void>;
  /** Answers readiness with 503 and goes on serving for `drainMs` (the balancer takes the instance out), then closes. */
  drainAndClose(drainMs: number): Promise<void>;
}

/** Builds the whole application on the configured (or embedded) PostgreSQL; does not listen yet. */
export async function createApp(env: EnvironmentVariables, logger: Logger = createRootLogger({ level: env.LOG_LEVEL, format: resolveLogFormat(env.LOG_FORMAT) })): Promise<RunningApp> {
  const embedded = env.DATABASE_URL ? undefined : await startEmbeddedPostgres(env.DATA_DIR, { exclusive: true });
  try {
    const adapter = createFastifyAdapter(env, logger);
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env, env.DATABASE_URL ?? embedded!.url), adapter, {
      // Not buffered: a start-up that waits on the database says so while it waits, not all at once at the end.
      logger: new PinoLoggerService(logger),
      // Bodies are JSON only (installJsonParser); Nest would add a form-urlencoded parser.
      bodyParser: false,
    });
    const fastify = adapter.getInstance() as unknown as FastifyInstance;
    installJsonParser(fastify);
    await installCompression(fastify);
    installRequestHooks(fastify, app.get(MetricsService), logger.isLevelEnabled('info'));
    installQueryNotation(fastify);
    app.enableCors(corsOptions(env.CORS_ORIGINS));
    setupOpenApi(app);
    await app.init();
    // Once: a signal during a drain, or a test's teardown after one, must not close the embedded database twice.
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await app.close();
        await embedded?.stop();
      })());
    const drainAndClose = async (drainMs: number) => {
      app.get(ShutdownState).startDraining();
      await sleep(drainMs);
      await close();
    };
    return { app, close, drainAndClose };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
