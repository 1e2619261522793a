import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { BadRequestException } from '@nestjs/common';
import { errorCodes, FastifyError, FastifyInstance, FastifyReply, FastifyRequest, LogController } from 'fastify';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { Logger } from 'pino';
import { AppModule } from './app.module';
import { findUnstorableText, unstorableTextMessage } from './common/text-guard';
import { EnvironmentVariables, trustProxySetting } from './config/env.validation';
import { EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres';
import { createRootLogger, PinoLoggerService, redactUrl } from './observability/logger';
import { MetricsService } from './observability/metrics.service';
import { setupOpenApi } from './openapi';

export const BODY_LIMIT_BYTES = 1024 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;
const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

/**
 * Helmet's headers, built once: @fastify/helmet constructed a new helmet (parsing the CSP directives
 * again) on every request, ~2 % of the server's CPU on the list benchmark.
 */
const securityHeaders = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      // Helmet's default would make browsers fetch /docs' and /inbox's own scripts over https even when the
      // page came over plain HTTP (a service reached by address inside a network): the pages stayed blank.
      upgradeInsecureRequests: null,
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
      // The whole request (headers and body) must arrive within this; Fastify's default, 0, let a client that
      // sends a byte now and then hold a connection forever. Responses (SSE streams) are not limited by it.
      requestTimeout: REQUEST_TIMEOUT_MS,
      trustProxy: trustProxySetting(env.TRUST_PROXY),
      genReqId: (request: IncomingMessage) => {
        const given = request.headers['x-request-id'];
        return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
      },
      // A URL Fastify cannot decode (`/%zz`) never reaches Nest's exception filter: answer it in the envelope.
      frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
        void reply
          .status(error.statusCode ?? 400)
          .header('content-type', 'application/json; charset=utf-8')
          .send({ error: { message: frameworkErrorMessage(error.code) } });
      },
    });
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env, databaseUrl), adapter, {
      // Not buffered: a start-up that waits on the database says so while it waits, not all at once at the end.
      logger: new PinoLoggerService(logger),
      // Bodies are JSON only (installJsonParser); Nest would add a form-urlencoded parser.
      bodyParser: false,
    });
    installJsonParser(adapter.getInstance() as unknown as FastifyInstance);
    installHooks(adapter.getInstance() as unknown as FastifyInstance, app.get(MetricsService), logger.isLevelEnabled('info'));
    const origins = env.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
    app.enableCors({
      origin: origins.length > 0 ? origins : false,
      // The default is GET,HEAD,POST: a portal could not DELETE a message or an admin UI PUT a webhook.
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
      exposedHeaders: ['Link', 'Retry-After', 'X-Request-Id'],
    });
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

function frameworkErrorMessage(code: string): string {
  if (code === 'FST_ERR_BAD_URL') return 'Bad request: the URL is not validly percent-encoded';
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return 'A path parameter is too long';
  return 'Bad request: the request cannot be routed';
}

/**
 * Request bodies are JSON (`application/json`, up to BODY_LIMIT_BYTES), and an empty one is no body: the
 * original v2 API's clients send `Content-Type: application/json` on the bodiless mark and DELETE calls.
 * Any other content type is a 415 (Fastify's text/plain parser is removed: a JSON document sent as
 * text/plain would otherwise reach validation as one string and be echoed back in its error).
 */
function installJsonParser(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    parseJson(request, body as string, done);
  });
  // Any other type: an empty body is no body either (.NET's `StringContent("")`, `fetch(url, { body: '' })`
  // send text/plain on the bodiless mark and DELETE calls); anything in it is a 415.
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type'] ?? ''), undefined);
  });
}

/** Request id echo, security headers, unstorable-text rejection, one log line and one latency sample per request. */
function installHooks(fastify: FastifyInstance, metrics: MetricsService, logRequests: boolean): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    securityHeaders(request.raw, reply.raw, () => done());
  });
  fastify.addHook('preHandler', async (request) => {
    const found = findUnstorableText(request.query) ?? findUnstorableText(request.body);
    if (found) throw new BadRequestException(unstorableTextMessage(found));
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
