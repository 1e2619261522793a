import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { BadRequestException } from '@nestjs/common';
import { FastifyInstance, LogController } from 'fastify';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { Logger } from 'pino';
import { AppModule } from './app.module';
import { findNulCharacter } from './common/nul-guard';
import { EnvironmentVariables, trustProxySetting } from './config/env.validation';
import { EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres';
import { createRootLogger, PinoLoggerService, redactUrl } from './observability/logger';
import { MetricsService } from './observability/metrics.service';
import { setupOpenApi } from './openapi';

export const BODY_LIMIT_BYTES = 1024 * 1024;
const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

/**
 * Helmet's headers, built once: @fastify/helmet constructed a new helmet (parsing the CSP directives
 * again) on every request, ~2 % of the server's CPU on the list benchmark.
 */
const securityHeaders = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
    },
  },
});

export interface RunningApp {
  app: NestFastifyApplication;
  /** Closes the app (finishing in-flight requests), then the embedded database if we own it. */
  close(): Promise<void>;
}

/** Builds the whole application on the configured (or embedded) PostgreSQL; does not listen yet. */
export async function createApp(env: EnvironmentVariables, logger: Logger = createRootLogger(env.LOG_LEVEL)): Promise<RunningApp> {
  let embedded: EmbeddedDatabase | undefined;
  if (!env.DATABASE_URL) embedded = await startEmbeddedPostgres(env.DATA_DIR);
  const databaseUrl = env.DATABASE_URL ?? (embedded as EmbeddedDatabase).url;
  try {
    const adapter = new FastifyAdapter({
      loggerInstance: logger,
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: BODY_LIMIT_BYTES,
      trustProxy: trustProxySetting(env.TRUST_PROXY),
      genReqId: (request: IncomingMessage) => {
        const given = request.headers['x-request-id'];
        return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
      },
    });
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env, databaseUrl), adapter, {
      logger: new PinoLoggerService(logger),
      bufferLogs: true,
    });
    installHooks(adapter.getInstance() as unknown as FastifyInstance, app.get(MetricsService), logger.isLevelEnabled('info'));
    const origins = env.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
    app.enableCors({ origin: origins.length > 0 ? origins : false, exposedHeaders: ['Link', 'Retry-After', 'X-Request-Id'] });
    setupOpenApi(app);
    await app.init();
    return {
      app,
      close: async () => {
        await app.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

/** Request id echo, security headers, NUL rejection, one log line and one latency sample per request. */
function installHooks(fastify: FastifyInstance, metrics: MetricsService, logRequests: boolean): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    securityHeaders(request.raw, reply.raw, () => done());
  });
  fastify.addHook('preHandler', async (request) => {
    const where = findNulCharacter(request.query) ?? findNulCharacter(request.body);
    if (where) throw new BadRequestException(`"${where}" must not contain NUL characters`);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, seconds);
    if (!logRequests) return;
    request.log.info(
      { method: request.method, url: redactUrl(request.url), route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
  });
}
