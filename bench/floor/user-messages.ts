import { randomUUID } from 'node:crypto';
import { FastifyInstance, FastifyReply } from 'fastify';
import { Pool } from 'pg';
import { insertMessageSql, setFlagSql } from '../../src/user-messages/user-messages.sql';
import * as scenario from '../scenarios/user-messages';
import { FloorUser, TokenMap, userOf } from './tokens';
import { prepared } from './prepared';

const PAGE = 100;

/** The v2 routes the benchmark drives, each sending the app's statements (bench/scenarios/user-messages.ts). */
export function registerRoutes(app: FastifyInstance, pool: Pool, tokens: TokenMap): void {
  app.get('/v2/user/me/messages', async (request, reply) => {
    const caller = userOf(tokens, request, reply);
    if (!caller) return reply;
    const { rows } = await prepared(pool, scenario.inboxFirstPageSql, [caller.userId, PAGE + 1]);
    return page(reply, rows);
  });

  for (const [route, sql] of [['sent', scenario.sentFirstPageSql], ['groupsent', scenario.groupSentFirstPageSql]] as const) {
    app.get(`/v2/user/me/messages/${route}`, async (request, reply) => {
      const caller = userOf(tokens, request, reply);
      if (!caller) return reply;
      return page(reply, (await prepared(pool, sql, [caller.userId, PAGE + 1])).rows);
    });
  }

  app.get('/v2/user/me/messages/unreadcount', async (request, reply) => {
    const caller = userOf(tokens, request, reply);
    if (!caller) return reply;
    return (await prepared(pool, scenario.unreadCountSql, [caller.userId])).rows[0];
  });

  // Only the benchmark's filter shape, `unread=true&source=…`: the app's parser is part of what it costs.
  app.get('/v2/messages', async (request, reply) => {
    const caller = userOf(tokens, request, reply);
    if (!caller) return reply;
    const filter = String((request.query as Record<string, string>).filter ?? '');
    const source = new URLSearchParams(filter).get('source');
    const { rows } = await pool.query(scenario.filterUnreadSourceSql, [caller.userId, source, source, PAGE + 1]);
    return page(reply, rows);
  });

  for (const [route, unread] of [['markasreadbrowser', false], ['markasunreadbrowser', true]] as const) {
    app.post(`/v2/messages/:id/${route}`, async (request, reply) => {
      const caller = userOf(tokens, request, reply);
      if (!caller) return reply;
      const { id } = request.params as { id: string };
      const { rows } = await prepared(pool, setFlagSql('unread_browser'), [id, caller.userId, unread]);
      if (rows.length === 0) return reply.code(404).send({ error: { message: 'Message not found' } });
      return rows[0];
    });
  }

  app.post('/v2/messages', async (request, reply) => {
    const caller = userOf(tokens, request, reply);
    if (!caller) return reply;
    return create(pool, caller, request.body as CreateBody, reply);
  });
}

interface CreateBody {
  receiver: { id: string; email?: string };
  source: string;
  topic: string;
  severity: string;
  returnCode: string;
  additionalData?: string;
  unreadEmail?: boolean;
  unreadBrowserNotification?: boolean;
}

async function create(pool: Pool, caller: FloorUser, body: CreateBody, reply: FastifyReply) {
  const addressee = (await prepared(pool, scenario.findAddresseeSql, [body.receiver.id])).rows[0];
  if (!addressee) return reply.code(400).send({ error: { message: 'receiver.id must be an existing user or group' } });
  const id = randomUUID();
  const unreadEmail = body.unreadEmail ?? true;
  const unreadBrowser = body.unreadBrowserNotification ?? true;
  const receiverEmail = addressee.type === 'user' ? (body.receiver.email ?? addressee.email) : null;
  // The last parameter, additionalDataIsObject: the bench's bodies carry a text, never a dashboard object.
  const [{ timestamp }] = (
    await prepared(pool, insertMessageSql(addressee.type), [
      id, caller.userId, caller.email, addressee.type, body.receiver.id, receiverEmail, body.source, body.topic,
      body.severity, body.returnCode, body.additionalData ?? null, null, caller.userId, unreadEmail, unreadBrowser, false,
    ])
  ).rows;
  const message = { id, ...body, timestamp, unreadEmail, unreadBrowserNotification: unreadBrowser };
  return reply.code(201).send(message);
}

function page(reply: FastifyReply, rows: unknown[]) {
  if (rows.length > PAGE) void reply.header('link', '</next>; rel="next"');
  return rows.slice(0, PAGE);
}
