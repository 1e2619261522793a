import { FastifyInstance } from 'fastify';
import { Pool } from 'pg';
import * as scenario from '../scenarios/case-messages';
import { accountOf, TokenMap } from './tokens';
import { prepared } from './prepared';

const BASE = '/api/v3/case-messages';

/** The v3 routes the benchmark drives, each sending the app's statements (bench/scenarios/case-messages.ts). */
export function registerRoutes(app: FastifyInstance, pool: Pool, tokens: TokenMap): void {
  app.get(BASE, async (request, reply) => {
    const caller = accountOf(tokens, request, reply);
    if (!caller) return reply;
    const query = request.query as Record<string, string>;
    const { rows } = await prepared(pool, scenario.listSql, [query.guid, caller.accountId, 0, false, null]);
    if (rows.length === 0) return reply.code(404).send({ error: { message: 'Case not found' } });
    if (!rows[0].allowed) return reply.code(403).send({ error: { message: 'No access' } });
    return rows[0].id === null ? [] : rows;
  });

  app.get(`${BASE}/feed`, async (request, reply) => {
    const caller = accountOf(tokens, request, reply);
    if (!caller) return reply;
    const query = request.query as Record<string, string>;
    const { rows } = await prepared(pool, scenario.feedSql(caller.accountType, false), [caller.accountId, Number(query.afterId ?? 0), Number(query.limit ?? 100)]);
    return rows;
  });

  app.post(`${BASE}/create`, async (request, reply) => {
    const caller = accountOf(tokens, request, reply);
    if (!caller) return reply;
    const body = request.body as Record<string, string | undefined>;
    const params = [body.guid, caller.accountId, caller.accountType, body.type, body.content ?? null, body.externalId ?? null, null, body.userEmail ?? null, body.userName ?? null, null, false];
    const { rows } = await prepared(pool, scenario.createSql, params);
    if (!rows[0]) return reply.code(404).send({ error: { message: 'Case not found' } });
    return rows[0];
  });

  app.post(`${BASE}/confirm`, async (request, reply) => {
    const caller = accountOf(tokens, request, reply);
    if (!caller) return reply;
    const ids = [...new Set(request.body as number[])];
    const { rows } = await prepared(pool, scenario.confirmSql, [ids, caller.accountId, caller.accountType]);
    const result = { success: true, errors: [] as unknown[], data: { confirmed: [] as number[], alreadyConfirmed: [] as number[] } };
    for (const row of rows) {
      if (row.error) result.errors.push({ id: row.id, message: row.error });
      else if (row.confirmed) result.data.confirmed.push(row.id);
      else result.data.alreadyConfirmed.push(row.id);
    }
    return result;
  });
}
