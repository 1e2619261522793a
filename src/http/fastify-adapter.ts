import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ConnectionError, FastifyError, FastifyReply, FastifyRequest, LogController } from 'fastify';
import { randomUUID } from 'node:crypto';
import { IncomingMessage, STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import { Logger } from 'pino';
import { EnvironmentVariables, trustProxySetting } from '../config/env.validation';
import { BODY_LIMIT_BYTES } from './body-limit';
import { responseHeaders } from './security-headers';

const REQUEST_TIMEOUT_MS = 30_000;
const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

/** Fastify with our logger, body limit, request timeout, proxy trust, request ids, and URL and client errors in the envelope. */
export function createFastifyAdapter(env: EnvironmentVariables, logger: Logger): FastifyAdapter {
  return new FastifyAdapter({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // The whole request (headers and body) must arrive within this; Fastify's default, 0, let a client that
    // sends a byte now and then hold a connection forever. Responses (SSE streams) are not limited by it.
    requestTimeout: REQUEST_TIMEOUT_MS,
    trustProxy: trustProxySetting(env.TRUST_PROXY),
    // While closing, a request that still arrives on an open keep-alive connection is served (with
    // `Connection: close`; the database closes only after the HTTP server) instead of Fastify's own 503 body,
    // which is not our error envelope.
    return503OnClosing: false,
    // The v2 clients were written against a .NET service, whose routing ignores case
    // (`/v2/Messages/{id}/MarkAsReadBrowser`). Path parameters keep their case. A trailing slash stays a 404:
    // the seeds never write one, and Swagger UI's relative asset URLs would break under `/docs/`.
    routerOptions: { caseSensitive: false },
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    },
    // A URL Fastify cannot decode (`/%zz`) never reaches Nest's exception filter or the onRequest hook:
    // answer it in the envelope, with the headers every answer has.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      responseHeaders(request.raw, reply.raw, () => {
        void reply
          .status(error.statusCode ?? 400)
          .header('content-type', 'application/json; charset=utf-8')
          .send({ error: { message: frameworkErrorMessage(error.code) } });
      });
    },
    clientErrorHandler,
  });
}

const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request header fields too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request did not arrive in time'],
};

/**
 * Node's own answer to a request it cannot parse (headers over its 16 KiB limit, the request timeout, bad
 * framing), written to the socket before Fastify sees a request: in the envelope, where Fastify's default
 * answers `{"error":"Request Header Fields Too Large",…}`.
 */
function clientErrorHandler(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad request: the request cannot be parsed'];
  const body = JSON.stringify({ error: { message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

function frameworkErrorMessage(code: string): string {
  if (code === 'FST_ERR_BAD_URL') return 'Bad request: the URL is not validly percent-encoded';
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return 'A path parameter is too long';
  return 'Bad request: the request cannot be routed';
}
