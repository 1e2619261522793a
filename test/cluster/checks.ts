import { connect as amqpConnect, ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AccountFixture, createAccount, createCase, createUser, UserFixture } from '../factories';
import { SseClient } from '../support/sse-client';
import { ADMIN_TOKEN } from '../support/test-app';
import type { Cluster } from './run';
import { ServiceInstance, waitUntil } from './topology';

// The checks of the cluster test. Each returns a line of detail or throws with what it saw.

const V3 = '/api/v3/case-messages';
const CREATES_PER_API = 60;

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

const bimplus = (user: UserFixture) => ({ authorization: `BimPlus ${user.token}` });
const v2Body = (to: string, topic: string) => ({ receiver: { id: to }, source: 'Cluster test', topic, severity: 'Info', returnCode: 'OK' });

async function post(c: Cluster, base: string, sender: UserFixture, to: string, topic: string): Promise<{ id: string }> {
  const res = await c.request<{ id: string }>(base, 'POST', '/v2/messages', { body: v2Body(to, topic), headers: bimplus(sender) });
  if (res.status !== 201) throw new Error(`POST /v2/messages on ${base}: ${res.status} ${res.text}`);
  return res.body;
}

async function restart(c: Cluster, instance: ServiceInstance): Promise<void> {
  await instance.start();
  await waitUntil(`HAProxy to see ${instance.name} up again`, () => c.balancer.isUp(instance.name));
}

export async function checkStreamFailover(c: Cluster): Promise<string> {
  const [service, alice] = await Promise.all([createUser(c.api, 'service'), createUser(c.api)]);
  const url = `${c.balancer.url}/v2/user/me/messages/stream`;
  const stream = await SseClient.open(url, bimplus(alice));
  expectEqual('stream status', stream.status, 200);
  const holder = c.instances.find((i) => i.name === stream.headers?.get('x-served-by'));
  if (!holder) throw new Error(`no X-Served-By on the stream: ${stream.headers?.get('x-served-by')}`);
  const others = c.instances.filter((i) => i !== holder);
  const seen = [await post(c, others[0].url, service, alice.id, 'via first other'), await post(c, others[1].url, service, alice.id, 'via second other')];
  const events = await stream.waitFor((e) => e.length >= 2);
  expectEqual('events on the stream', events.map((e) => JSON.parse(e.data).id), seen.map((m) => m.id));

  await holder.child!.stop('SIGKILL');
  await stream.waitUntilEnded();
  await waitUntil(`HAProxy to take ${holder.name} out`, async () => !(await c.balancer.isUp(holder.name)));
  const missed = [await post(c, c.balancer.url, service, alice.id, 'missed 1'), await post(c, c.balancer.url, service, alice.id, 'missed 2')];
  const resumed = await SseClient.open(url, { ...bimplus(alice), 'last-event-id': stream.lastEventId as string });
  try {
    const replayed = await resumed.waitFor((e) => e.length >= 2);
    expectEqual('replayed messages', replayed.map((e) => JSON.parse(e.data).id), missed.map((m) => m.id));
    expectEqual('replayed ids', replayed.map((e) => Number(e.id)), [Number(stream.lastEventId) + 1, Number(stream.lastEventId) + 2]);
    const replayedOn = resumed.headers?.get('x-served-by');
    await stream.close();
    await restart(c, holder);
    return `stream on ${holder.name} got posts via ${others.map((o) => o.name).join(' and ')}; after kill -9, replayed on ${replayedOn}`;
  } finally {
    await resumed.close();
  }
}

export async function checkIdempotentCreate(c: Cluster): Promise<string> {
  const [sender, reader, partner, provider] = await Promise.all([createUser(c.api, 'service'), createUser(c.api), createAccount(c.api, 'partner'), createAccount(c.api, 'provider')]);
  const kase = await createCase(c.api, partner, provider);
  const key = `idem-${randomUUID()}`;
  const v2 = await Promise.all(
    c.instances.map((i) => c.request(i.url, 'POST', '/v2/messages', { body: v2Body(reader.id, key), headers: { ...bimplus(sender), 'idempotency-key': key } })),
  );
  expectEqual('v2 statuses', v2.map((r) => r.status), [201, 201, 201]);
  expectEqual('v2 ids', new Set(v2.map((r) => r.body.id)).size, 1);
  const { rows: v2Rows } = await c.db.query(`SELECT count(*)::int AS n FROM user_messages WHERE topic = $1`, [key]);
  expectEqual('v2 messages stored', v2Rows[0].n, 1);

  const body = { guid: kase.guid, type: 'serviceComment', content: key, externalId: key };
  const v3 = await Promise.all(c.instances.map((i) => c.request(i.url, 'POST', `${V3}/create?accessToken=${partner.token}`, { body })));
  expectEqual('v3 statuses', v3.map((r) => r.status), [200, 200, 200]);
  expectEqual('v3 ids', new Set(v3.map((r) => r.body.id)).size, 1);
  const { rows: v3Rows } = await c.db.query(`SELECT count(*)::int AS n FROM case_messages WHERE external_id = $1`, [key]);
  expectEqual('v3 messages stored', v3Rows[0].n, 1);
  return 'v2 Idempotency-Key and v3 externalId: three 2xx answers with one id, one row each';
}

export async function checkRateLimit(c: Cluster): Promise<string> {
  if (c.rateLimit === undefined) return 'SKIPPED: nothing listens on 127.0.0.1:6379 (Redis)';
  const user = await createUser(c.api);
  const extra = 30;
  const statuses: number[] = [];
  const servers = new Set<string>();
  let sent = 0;
  const lane = async () => {
    while (sent < c.rateLimit! + extra) {
      sent++;
      const res = await c.request(c.balancer.url, 'GET', '/v2/user/me/messages/unreadcount', { headers: bimplus(user) });
      statuses.push(res.status);
      servers.add(res.headers.get('x-served-by') ?? '?');
    }
  };
  await Promise.all(Array.from({ length: 6 }, lane));
  const allowed = statuses.filter((s) => s === 200).length;
  expectEqual('answers per status', { allowed, limited: statuses.filter((s) => s === 429).length }, { allowed: c.rateLimit, limited: extra });
  expectEqual('instances that answered', servers.size, 3);
  return `${c.rateLimit + extra} calls of one token over ${[...servers].sort().join(', ')}: ${allowed} allowed (the limit), ${extra} refused`;
}

interface Answer {
  at: number;
  status: number | string;
  server: string | null;
}

/** Admin calls through the balancer (the operator's token is not rate-limited): a user created, deliveries listed. */
function adminLoad(c: Cluster, lanes: number): { answers: Answer[]; stop: () => Promise<void> } {
  const answers: Answer[] = [];
  let running = true;
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const lane = async (n: number) => {
    for (let i = 0; running; i++) {
      const write = (i + n) % 2 === 0;
      try {
        const res = write
          ? await c.request(c.balancer.url, 'POST', '/admin/users', { body: { email: `load.${randomUUID()}@example.com`, role: 'user' }, headers })
          : await c.request(c.balancer.url, 'GET', '/admin/deliveries?limit=1', { headers });
        answers.push({ at: Date.now(), status: res.status, server: res.headers.get('x-served-by') });
      } catch (error) {
        answers.push({ at: Date.now(), status: String(error), server: null });
      }
    }
  };
  const done = Promise.all(Array.from({ length: lanes }, (_, n) => lane(n)));
  return {
    answers,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

export async function checkSigterm(c: Cluster): Promise<string> {
  const target = c.instances[0];
  const load = adminLoad(c, 8);
  await waitUntil(`${target.name} to serve some of the load`, () => load.answers.some((a) => a.server === target.name));
  const signalledAt = Date.now();
  const exit = await target.child!.stop('SIGTERM');
  const exitedAt = Date.now();
  await sleep(1000);
  await load.stop();
  const failed = load.answers.filter((a) => typeof a.status !== 'number' || a.status >= 300);
  expectEqual('failed requests', failed.slice(0, 5), []);
  expectEqual('exit', exit, { code: 0, signal: null });
  const duringDrain = load.answers.filter((a) => a.server === target.name && a.at > signalledAt).length;
  if (duringDrain === 0) throw new Error(`${target.name} served nothing after SIGTERM: it did not drain`);
  await restart(c, target);
  return `${load.answers.length} requests, none failed; ${target.name} answered ${duringDrain} after SIGTERM and exited 0 after ${((exitedAt - signalledAt) / 1000).toFixed(1)} s`;
}

type Outcome = { key: string; status: number; id?: string | number } | { key: string; error: string };

async function sendFor(c: Cluster, key: string, path: string, body: unknown, headers: Record<string, string>): Promise<Outcome> {
  try {
    const res = await c.request<{ id?: string | number }>(c.balancer.url, 'POST', path, { body, headers });
    return { key, status: res.status, id: res.body?.id };
  } catch (error) {
    return { key, error: String(error) };
  }
}

/** Sends every key, `lanes` at a time; `outcomes` fills as answers come. */
function drive(keys: string[], lanes: number, send: (key: string) => Promise<Outcome>): { outcomes: Outcome[]; done: Promise<Outcome[]> } {
  const outcomes: Outcome[] = [];
  let next = 0;
  const lane = async () => {
    while (next < keys.length) outcomes.push(await send(keys[next++]));
  };
  return { outcomes, done: Promise.all(Array.from({ length: lanes }, lane)).then(() => outcomes) };
}

const succeeded = (outcomes: Outcome[], status: number) => outcomes.filter((o): o is Extract<Outcome, { status: number }> => 'status' in o && o.status === status);

interface Fixtures {
  sender: UserFixture;
  reader: UserFixture;
  partner: AccountFixture;
  kase: { id: number; guid: string };
  amqp?: { received: ConsumeMessage[]; close: () => Promise<void> };
}

/** A provider with an HTTP webhook and (RabbitMQ listening) an AMQP one, both through proxies that hang for now. */
async function deliveryFixtures(c: Cluster): Promise<Fixtures> {
  const [sender, reader, partner, provider] = await Promise.all([createUser(c.api, 'service'), createUser(c.api), createAccount(c.api, 'partner'), createAccount(c.api, 'provider')]);
  const kase = await createCase(c.api, partner, provider);
  const hook = await c.api.admin('PUT', `/admin/accounts/${provider.id}/webhook`, { url: `http://127.0.0.1:${c.proxies.webhook.port}/hook`, secret: 'cluster-secret-0123456789' });
  expectEqual('webhook set', hook.status, 200);
  if (!c.rabbitMq) return { sender, reader, partner, kase };
  const queue = `cluster-${randomUUID()}`;
  const broker = await amqpConnect('amqp://guest:guest@127.0.0.1:5672');
  const channel = await broker.createChannel();
  await channel.assertQueue(queue, { durable: false, autoDelete: true });
  const received: ConsumeMessage[] = [];
  await channel.consume(queue, (message) => message && received.push(message), { noAck: true });
  const amqpHook = await c.api.admin('POST', `/admin/accounts/${provider.id}/webhooks`, {
    events: ['message.created'],
    transport: 'amqp',
    url: `amqp://guest:guest@127.0.0.1:${c.proxies.amqp.port}/`,
    routingKey: queue,
    secret: 'cluster-secret-0123456789',
  });
  expectEqual('AMQP webhook created', amqpHook.status, 201);
  return { sender, reader, partner, kase, amqp: { received, close: () => broker.close() } };
}

export async function checkKillUnderLoad(c: Cluster): Promise<string> {
  const f = await deliveryFixtures(c);
  try {
    return await killUnderLoad(c, f);
  } finally {
    await f.amqp?.close().catch(() => undefined);
  }
}

async function killUnderLoad(c: Cluster, f: Fixtures): Promise<string> {
  c.proxies.webhook.hang();
  c.proxies.amqp.hang();
  const v2Keys = Array.from({ length: CREATES_PER_API }, (_, i) => `kill-v2-${i}-${randomUUID()}`);
  const v3Keys = Array.from({ length: CREATES_PER_API }, (_, i) => `kill-v3-${i}-${randomUUID()}`);
  const sendV2 = (key: string) => sendFor(c, key, '/v2/messages', v2Body(f.reader.id, key), { ...bimplus(f.sender), 'idempotency-key': key });
  const sendV3 = (key: string) => sendFor(c, key, `${V3}/create?accessToken=${f.partner.token}`, { guid: f.kase.guid, type: 'serviceComment', content: key, externalId: key }, {});
  const v2Load = drive(v2Keys, 4, sendV2);
  const v3Load = drive(v3Keys, 4, sendV3);

  // The kill comes once creates are acknowledged and the victim holds e-mails (its SMTP server never answers) and webhooks are in flight.
  const kinds = c.rabbitMq ? ['email', 'webhook', 'amqp'] : ['email', 'webhook'];
  await waitUntil('the kill point', async () => {
    const { rows } = await c.db.query(`SELECT kind, count(*)::int AS n FROM deliveries WHERE status = 'sending' GROUP BY kind`);
    const sending = new Map(rows.map((r) => [r.kind, r.n]));
    return succeeded(v2Load.outcomes, 201).length >= 15 && succeeded(v3Load.outcomes, 200).length >= 15 && kinds.every((k) => (sending.get(k) ?? 0) > 0);
  });
  const [{ now: killedAt }] = (await c.db.query(`SELECT clock_timestamp() AS now`)).rows;
  await c.victim.child!.stop('SIGKILL');
  // The load goes on through the balancer, which routes around the dead instance.
  const [v2Outcomes, v3Outcomes] = await Promise.all([v2Load.done, v3Load.done]);

  // A create cut off by the kill (or answered 502) is retried by the client with its key: each key ends as one message.
  const retry = async (keys: string[], outcomes: Outcome[], status: number, send: (key: string) => Promise<Outcome>) => {
    const answered = new Set(succeeded(outcomes, status).map((o) => o.key));
    const again = await drive(keys.filter((k) => !answered.has(k)), 4, send).done;
    expectEqual('retries that failed', again.filter((o) => !('status' in o) || o.status !== status), []);
    return keys.length - answered.size;
  };
  const retried = (await retry(v2Keys, v2Outcomes, 201, sendV2)) + (await retry(v3Keys, v3Outcomes, 200, sendV3));
  const { rows: v2Rows } = await c.db.query(`SELECT id::text, topic FROM user_messages WHERE sender_id = $1`, [f.sender.id]);
  expectEqual('v2 messages, one per key', v2Rows.map((r) => r.topic).sort(), [...v2Keys].sort());
  const { rows: v3Rows } = await c.db.query(`SELECT id, external_id AS "externalId" FROM case_messages WHERE case_id = $1`, [f.kase.id]);
  expectEqual('v3 messages, one per key', v3Rows.map((r) => r.externalId).sort(), [...v3Keys].sort());
  for (const o of succeeded(v2Outcomes, 201)) if (!v2Rows.some((r) => r.id === o.id)) throw new Error(`acknowledged v2 message ${o.id} is missing`);
  for (const o of succeeded(v3Outcomes, 200)) if (!v3Rows.some((r) => r.id === o.id)) throw new Error(`acknowledged v3 message ${o.id} is missing`);

  // Past WEBHOOK_TIMEOUT_MS the survivors have recorded their own hung attempts; what is still 'sending' from before the kill is the victim's.
  await sleep(2500);
  const { rows: orphaned } = await c.db.query(`SELECT id, kind FROM deliveries WHERE status = 'sending' AND updated_at < $1`, [killedAt]);
  const orphanedKinds = new Set(orphaned.map((r) => r.kind));
  if (!orphanedKinds.has('email')) throw new Error(`the victim held no e-mail when killed: ${JSON.stringify(orphaned)}`);
  c.proxies.webhook.passThrough();
  c.proxies.amqp.passThrough();
  // Their lease (at least 60 s) is waited out by moving run_at to now; failed attempts' backoff likewise.
  await c.db.query(`UPDATE deliveries SET run_at = now() WHERE (status = 'sending' AND updated_at < $1) OR status = 'pending'`, [killedAt]);
  await waitUntil(
    'every delivery sent',
    async () => (await c.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE status <> 'sent'`)).rows[0].n === 0,
    60_000,
  );
  const { rows: after } = await c.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE id = ANY($1) AND status = 'sent' AND attempts >= 2`, [orphaned.map((r) => r.id)]);
  expectEqual('orphaned deliveries sent on a later attempt', after[0].n, orphaned.length);

  const v2Ids = new Set(v2Rows.map((r) => r.id));
  const mails = c.sink.mails.filter((m) => v2Ids.has(m.headers['x-message-id']));
  expectEqual('e-mails, one per v2 message', mails.map((m) => m.headers['x-message-id']).sort(), [...v2Ids].sort());
  const v3Ids = v3Rows.map((r) => r.id).sort((a, b) => a - b);
  const hooked = new Set(c.receiver.calls.map((call) => JSON.parse(call.body).id));
  expectEqual('v3 messages without a webhook call', v3Ids.filter((id) => !hooked.has(id)), []);
  if (f.amqp) {
    const published = new Set(f.amqp.received.map((m) => JSON.parse(m.content.toString('utf8')).id));
    expectEqual('v3 messages without an AMQP publish', v3Ids.filter((id) => !published.has(id)), []);
  }
  const counts = kinds.map((k) => `${orphaned.filter((r) => r.kind === k).length} ${k}`).join(', ');
  return `${v2Rows.length + v3Rows.length} creates stored once (${retried} retried by key); the victim's ${counts} sent by the others after the lease${c.rabbitMq ? '' : '; AMQP SKIPPED: nothing listens on 127.0.0.1:5672 (RabbitMQ)'}`;
}
