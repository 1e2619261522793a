import { Client } from 'pg';

/** Not a request's own statements: token use recorded off the request path, and the NOTIFY batched after commit. */
const BACKGROUND = /^\s*UPDATE api_tokens SET last_used_at|last_used_at = GREATEST|pg_notify/;

/**
 * Records the text of every statement any `pg` client sends (TypeORM's queries, BEGIN/COMMIT and raw
 * queries all pass through Client#query), minus the background ones. Start it in `beforeEach`, stop it in
 * `afterEach`. Run the app with WORKERS_ENABLED=false so that the workers' polls do not mix in.
 */
export function recordStatements(): { statements: string[]; firstWords: () => string[]; stop: () => void } {
  const statements: string[] = [];
  const original = Client.prototype.query;
  const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
    if (text && !BACKGROUND.test(text)) statements.push(text.trim());
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as never);
  return {
    statements,
    firstWords: () => statements.map((s) => s.split(/\s+/)[0].toUpperCase()),
    stop: () => spy.mockRestore(),
  };
}
