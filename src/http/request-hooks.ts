import { BadRequestException } from '@nestjs/common';
import { FastifyInstance } from 'fastify';
import { findUnstorableText, unstorableTextMessage } from '../common/text-guard';
import { redactUrl } from '../observability/logger';
import { MetricsService } from '../observability/metrics.service';
import { responseHeaders } from './security-headers';

/** Request id echo, security headers, unstorable-text rejection, one log line and one latency sample per request. */
export function installRequestHooks(fastify: FastifyInstance, metrics: MetricsService, logRequests: boolean): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    responseHeaders(request.raw, reply.raw, done);
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
