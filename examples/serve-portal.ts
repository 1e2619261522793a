/**
 * Serves the portal snippet (examples/portal-sse.html) from an origin of its own, as a portal would; the
 * service must list that origin in CORS_ORIGINS. Prints the address to open.
 *
 *   PORT=8080 node -r ts-node/register/transpile-only examples/serve-portal.ts
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';

const html = readFileSync(join(__dirname, 'portal-sse.html'));
const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path === '/' || path === '/portal-sse.html') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  else response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: the snippet is at /portal-sse.html\n');
});

server.listen(Number(process.env.PORT ?? 8080), () => {
  const { port } = server.address() as AddressInfo;
  const query = new URLSearchParams({ base: process.env.MESSAGING_URL ?? 'http://localhost:3000', token: process.env.USER_TOKEN ?? '<user token>' });
  process.stdout.write(`open http://localhost:${port}/portal-sse.html?${query}\n`);
});
