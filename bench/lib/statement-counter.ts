/**
 * Preloaded into the real built server (`node -r ts-node/register/transpile-only -r bench/lib/statement-counter.ts dist/main.js`)
 * for the statement-counting pass only. It wraps `pg`'s Client#query, which every TypeORM query, transaction
 * command (BEGIN/COMMIT) and raw DataSource.query goes through, so it counts the round trips the app really
 * sends. PostgreSQL's own pg_stat_statements is not loaded on the bench server (no shared_preload_libraries).
 *
 * GET  /statements → the statement texts recorded since the last reset
 * POST /reset      → forget them
 */
import { createServer } from 'node:http';
import { Client } from 'pg';

const recorded: string[] = [];
const originalQuery = Client.prototype.query as (...args: unknown[]) => unknown;

(Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function countedQuery(this: Client, ...args: unknown[]) {
  recorded.push(statementText(args[0]));
  return originalQuery.apply(this, args);
};

function statementText(query: unknown): string {
  if (typeof query === 'string') return query;
  if (query && typeof query === 'object') {
    const { text, name } = query as { text?: unknown; name?: unknown };
    if (typeof text === 'string') return text;
    if (typeof name === 'string') return `prepared ${name}`;
  }
  return String(query);
}

const port = Number(process.env.BENCH_COUNTER_PORT);
if (port > 0) {
  const server = createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/reset') recorded.length = 0;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(recorded));
  });
  server.listen(port, '127.0.0.1');
  server.unref();
}
