/**
 * nestjs-pino against the service's own request logging (docs/foundation.md, "Why the logger is our own").
 *
 *   node -r ts-node/register/transpile-only bench/trials/request-logging.ts
 *
 * Starts one small Nest + Fastify server per variant, each with the service's adapter, hooks and root logger
 * (JSON lines to /dev/null, as to a collector), and one cheap route, `GET /ping`:
 * - none: no request line (LOG_LEVEL above info);
 * - own: the service's request line (installRequestHooks' onResponse line, PinoLoggerService for Nest);
 * - nestjs-pino: LoggerModule with pino-http on the same root logger, configured for the same line
 *   (URL through redactUrl, no headers, the request id from X-Request-Id);
 * - nestjs-pino-defaults: pino-http's default serializers (every header) with redact paths for the secrets.
 * TRIAL_ROUNDS (3) interleaved rounds of TRIAL_SECONDS (5) after 1 s warm-up, 10 connections; req/s and the
 * server's CPU ms per request. Then one request with secrets per variant, its log line printed.
 */
import { Controller, DynamicModule, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance } from 'fastify';
import { LoggerModule, Logger as NestPinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { EnvironmentVariables } from '../../src/config/env.validation';
import { createFastifyAdapter } from '../../src/http/fastify-adapter';
import { installRequestHooks } from '../../src/http/request-hooks';
import { createRootLogger, PinoLoggerService, redactUrl } from '../../src/observability/logger';
import { MetricsService } from '../../src/observability/metrics.service';
import { freePort, startChild } from '../lib/children';
import { measure } from '../lib/load';

const VARIANTS = ['none', 'own', 'nestjs-pino', 'nestjs-pino-defaults'] as const;
type Variant = (typeof VARIANTS)[number];
const ROUNDS = Number(process.env.TRIAL_ROUNDS ?? 3);
const SECONDS = Number(process.env.TRIAL_SECONDS ?? 5);
const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;
const SECRET = 'a'.repeat(64);

@Controller()
class PingController {
  @Get('ping')
  ping() {
    return { ok: true };
  }
}

/** The pino-http options a switch would need for the service's request line. */
function pinoHttpOptions(logger: pino.Logger, variant: Variant) {
  const genReqId = (request: IncomingMessage) => {
    const given = request.headers['x-request-id'];
    return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
  };
  if (variant === 'nestjs-pino-defaults') {
    return { logger, genReqId, redact: ['req.headers.authorization', 'req.headers["x-hub-api-token"]', 'req.headers.cookie'] };
  }
  return {
    logger,
    genReqId,
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
  };
}

@Module({})
class TrialModule {
  static forVariant(variant: Variant, logger: pino.Logger): DynamicModule {
    const imports = variant.startsWith('nestjs-pino') ? [LoggerModule.forRoot({ pinoHttp: pinoHttpOptions(logger, variant) })] : [];
    return { module: TrialModule, imports, controllers: [PingController] };
  }
}

async function serve(variant: Variant): Promise<void> {
  const destination = pino.destination({ dest: process.env.TRIAL_LOG_FILE ?? '/dev/null', sync: true });
  const logger = createRootLogger({ level: variant === 'none' ? 'warn' : 'info', format: 'json' }, destination);
  const env = Object.assign(new EnvironmentVariables(), { TRUST_PROXY: 'false' });
  const adapter = createFastifyAdapter(env, logger);
  const nestPino = variant.startsWith('nestjs-pino');
  const app = await NestFactory.create<NestFastifyApplication>(TrialModule.forVariant(variant, logger), adapter, {
    logger: nestPino ? undefined : new PinoLoggerService(logger),
    bufferLogs: nestPino,
    bodyParser: false,
  });
  if (nestPino) app.useLogger(app.get(NestPinoLogger));
  installRequestHooks(adapter.getInstance() as unknown as FastifyInstance, new MetricsService(), variant === 'own');
  await app.listen(Number(process.env.PORT), '127.0.0.1');
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const spread = (values: number[], digits = 0) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
const ARGS = ['-r', 'ts-node/register/transpile-only', __filename, 'serve'];

async function compare(): Promise<void> {
  const rates: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of VARIANTS) {
      const server = await startChild(variant, ARGS, { TRIAL_VARIANT: variant }, await freePort(), '/ping');
      try {
        const workload = { method: 'GET' as const, headers: { authorization: `BimPlus ${SECRET}` }, next: () => ({ path: '/ping?page=1' }) };
        const result = await measure(server.baseUrl, workload, { connections: 10, durationSeconds: SECONDS, warmupSeconds: 1, serverPid: server.process.pid });
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`${variant}: ${result.firstFailure ?? `${result.non2xx} non-2xx, ${result.errors} errors`}`);
        (rates[variant] ??= []).push(result.requestsPerSecond);
        const perRequest = result.serverCpu ? result.serverCpu.ms / result.serverCpu.requests : NaN;
        (cpu[variant] ??= []).push(perRequest * 1000);
        console.log(`round ${round + 1} ${variant}: ${result.requestsPerSecond.toFixed(0)} req/s, ${(perRequest * 1000).toFixed(0)} µs server CPU per request`);
      } finally {
        await server.stop();
      }
    }
  }
  for (const variant of VARIANTS) {
    console.log(`${variant}: median ${median(rates[variant]).toFixed(0)} req/s (${spread(rates[variant])}), ${median(cpu[variant]).toFixed(0)} µs CPU/request (${spread(cpu[variant])})`);
  }
}

/** One request with a token in the query, Authorization and X-Hub-Api-Token, and no X-Request-Id: what each variant writes. */
async function showLines(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trial-logging-'));
  try {
    for (const variant of VARIANTS.slice(1)) {
      const file = join(dir, `${variant}.log`);
      const server = await startChild(variant, ARGS, { TRIAL_VARIANT: variant, TRIAL_LOG_FILE: file }, await freePort(), '/ping');
      let echoed: string | null;
      try {
        const response = await fetch(`${server.baseUrl}/ping?access_token=${SECRET}&accessToken=${SECRET}`, {
          headers: { authorization: `BimPlus ${SECRET}`, 'x-hub-api-token': SECRET },
        });
        echoed = response.headers.get('x-request-id');
        await response.text();
        await new Promise((resolve) => setTimeout(resolve, 200));
      } finally {
        await server.stop();
      }
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      const info = lines.filter((line) => line.includes('"level":"info"'));
      // The readiness probe's GET /ping is a request line too.
      const request = lines.filter((line) => line.includes('/ping'));
      console.log(`\n${variant}: ${info.length - request.length} info lines before the request; X-Request-Id answered ${echoed}`);
      for (const line of info.filter((l) => !request.includes(l))) console.log(`  ${JSON.parse(line).context ?? ''}: ${JSON.parse(line).msg}`);
      for (const line of request.filter((l) => l.includes('access_token'))) console.log(line.includes(SECRET) ? `SECRET LEAKED: ${line}` : line);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'serve') return serve(process.env.TRIAL_VARIANT as Variant);
  if (process.argv[2] !== 'lines') await compare();
  await showLines();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
