import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Helmet's headers, built once: @fastify/helmet constructed a new helmet (parsing the CSP directives
 * again) on every request, ~2 % of the server's CPU on the list benchmark.
 */
export const securityHeaders = helmet({
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

/**
 * Helmet's headers and `Cache-Control: no-store` on every answer (a route may set its own cache header,
 * which wins): API answers hold private messages, and the admin API shows a new token once.
 */
export function responseHeaders(request: IncomingMessage, response: ServerResponse, done: () => void): void {
  response.setHeader('cache-control', 'no-store');
  securityHeaders(request, response, () => done());
}
