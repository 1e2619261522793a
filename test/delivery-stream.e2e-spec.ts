import { createGroup, createUser, UserFixture } from './factories';
import { SseClient } from './support/sse-client';
import { HttpResult, startTestApp, TestApp } from './support/test-app';

jest.setTimeout(30_000);

const withServer = Boolean(process.env.DATABASE_URL);
/** A second instance needs a server; on the embedded database the only instance closes in afterAll. */
const itWithServer = withServer ? it : it.skip;

describe('Delivery: SSE message stream', () => {
  let a: TestApp;
  /** A second instance on the same database (the same instance on the embedded database, which one process owns). */
  let b: TestApp;
  let service: UserFixture;
  let alice: UserFixture;
  let bob: UserFixture;
  const streams: SseClient[] = [];

  const open = async (app: TestApp, user: UserFixture, headers: Record<string, string> = {}, path = 'me'): Promise<SseClient> => {
    const client = await SseClient.open(`${app.baseUrl}/v2/user/${path}/messages/stream`, { authorization: `BimPlus ${user.token}`, ...headers });
    streams.push(client);
    return client;
  };
  const as = (app: TestApp, user: UserFixture, method: string, path: string, body?: unknown): Promise<HttpResult> =>
    app.request(method, path, { body, headers: { authorization: `BimPlus ${user.token}` } });
  const send = async (to: string, body: Record<string, unknown> = {}) => {
    const res = await as(a, service, 'POST', '/v2/messages', { receiver: { id: to }, source: 'Jobs', topic: 'done', severity: 'info', returnCode: 'OK', ...body });
    if (res.status !== 201) throw new Error(`send: ${res.status} ${res.text}`);
    return res.body;
  };

  beforeAll(async () => {
    a = await startTestApp({ SSE_HEARTBEAT_MS: '1000' });
    b = withServer ? await startTestApp({ SSE_HEARTBEAT_MS: '1000', WORKERS_ENABLED: 'false' }, { shareDatabaseUrl: a.databaseUrl }) : a;
    [service, alice, bob] = await Promise.all([createUser(a, 'service'), createUser(a), createUser(a)]);
  });
  afterAll(async () => {
    await Promise.all(streams.map((s) => s.close()));
    if (b !== a) await b.close();
    await a.close();
  });

  it('refuses another user, a missing token and a malformed Last-Event-ID', async () => {
    const other = await open(b, alice, {}, bob.id);
    expect(other.status).toBe(403);
    const anonymous = await SseClient.open(`${b.baseUrl}/v2/user/me/messages/stream`);
    expect(anonymous.status).toBe(401);
    // Header and ?accessToken= naming two different users is not a choice the server makes for the client.
    const conflicting = await SseClient.open(`${b.baseUrl}/v2/user/me/messages/stream?accessToken=${bob.token}`, { authorization: `BimPlus ${alice.token}` });
    expect(conflicting.status).toBe(400);
    expect(JSON.parse(conflicting.body as string)).toEqual({ error: { message: '"accessToken" and the Authorization header hold different tokens: send one' } });
    const malformed = await open(b, alice, { 'last-event-id': 'yesterday' });
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body as string)).toEqual({ error: { message: 'Last-Event-ID must be an event id' } });
  });

  it('delivers a message posted through instance A to a stream on instance B, with an id', async () => {
    const stream = await open(b, alice);
    expect(stream.status).toBe(200);
    expect(stream.headers?.get('content-type')).toContain('text/event-stream');
    expect(stream.headers?.get('x-request-id')).toBeTruthy();
    const message = await send(alice.id);
    const [event] = await stream.waitFor((e) => e.length >= 1);
    expect(event.event).toBe('message');
    expect(Number(event.id)).toBeGreaterThan(0);
    expect(JSON.parse(event.data)).toEqual(message);
  });

  it('accepts the token as accessToken query parameter (EventSource) and sends heartbeats', async () => {
    const stream = await SseClient.open(`${b.baseUrl}/v2/user/${bob.id}/messages/stream?accessToken=${bob.token}`);
    streams.push(stream);
    expect(stream.status).toBe(200);
    await stream.waitFor(() => stream.comments >= 2);
    const message = await send(bob.id);
    const [event] = await stream.waitFor((e) => e.length >= 1);
    expect(JSON.parse(event.data).id).toBe(message.id);
  });

  it('sends updated and deleted events in order with increasing ids, and nothing for unreadBrowserNotification=false', async () => {
    const stream = await open(b, alice);
    const quiet = await send(alice.id, { unreadBrowserNotification: false, topic: 'quiet' });
    const message = await send(alice.id, { topic: 'loud' });
    // Each event carries the message as it is when the stream sends it, so let each one arrive first.
    await stream.waitFor((e) => e.length >= 1);
    expect((await as(a, alice, 'POST', `/v2/messages/${message.id}/markasreadbrowser`)).status).toBe(200);
    await stream.waitFor((e) => e.length >= 2);
    expect((await as(a, alice, 'DELETE', `/v2/messages/${message.id}`)).status).toBe(200);
    const events = await stream.waitFor((e) => e.length >= 3);
    expect(events.map((e) => e.event)).toEqual(['message', 'updated', 'deleted']);
    expect(JSON.parse(events[0].data).topic).toBe('loud');
    expect(JSON.parse(events[1].data)).toMatchObject({ id: message.id, unreadBrowserNotification: false });
    expect(JSON.parse(events[2].data)).toEqual({ id: message.id });
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(3);
    expect(events.some((e) => JSON.parse(e.data).id === quiet.id)).toBe(false);
  });

  it('replays what was missed after a disconnect from Last-Event-ID', async () => {
    const first = await open(b, bob);
    const seen = await send(bob.id, { topic: 'seen' });
    const [seenEvent] = await first.waitFor((e) => e.some((x) => JSON.parse(x.data).id === seen.id));
    await first.close();
    const missed = [await send(bob.id, { topic: 'missed 1' }), await send(bob.id, { topic: 'missed 2' })];
    const resumed = await open(b, bob, { 'last-event-id': seenEvent.id as string });
    const events = await resumed.waitFor((e) => e.length >= 2);
    expect(events.map((e) => JSON.parse(e.data).id)).toEqual(missed.map((m) => m.id));
    expect(Number(events[0].id)).toBe(Number(seenEvent.id) + 1);
  });

  it('replays a message deleted in between as its id alone (no event), then its deleted event', async () => {
    const carol = await createUser(a);
    const first = await open(b, carol);
    const seen = await send(carol.id, { topic: 'seen' });
    const [seenEvent] = await first.waitFor((e) => e.length >= 1);
    await first.close();
    const gone = await send(carol.id, { topic: 'gone' });
    expect((await as(a, carol, 'DELETE', `/v2/messages/${gone.id}`)).status).toBe(200);
    const resumed = await open(b, carol, { 'last-event-id': seenEvent.id as string });
    const events = await resumed.waitFor((e) => e.length >= 1);
    expect(JSON.parse(seenEvent.data).id).toBe(seen.id);
    // The spec: data is the message, or {"id"} only for deleted; so no `message` event without its message.
    expect(events.map((e) => [e.event, JSON.parse(e.data)])).toEqual([['deleted', { id: gone.id }]]);
    expect(Number(events[0].id)).toBe(Number(seenEvent.id) + 2);
    expect(resumed.lastEventId).toBe(events[0].id);
  });

  it('reads a Last-Event-ID beyond the user\'s last event (e.g. after a restore) as "from now", not as silence', async () => {
    const dave = await createUser(a);
    const stream = await open(b, dave, { 'last-event-id': '1000' });
    expect(stream.status).toBe(200);
    const message = await send(dave.id);
    const [event] = await stream.waitFor((e) => e.length >= 1);
    expect(JSON.parse(event.data).id).toBe(message.id);
    expect(event.id).toBe('1');
  });

  it('fans a group message out to every member stream', async () => {
    const group = await createGroup(a, [alice, bob]);
    const streamsByUser = [await open(b, alice), await open(b, bob)];
    const message = await send(group.id);
    for (const stream of streamsByUser) {
      const events = await stream.waitFor((e) => e.some((x) => JSON.parse(x.data).id === message.id));
      expect(events.find((x) => JSON.parse(x.data).id === message.id)?.event).toBe('message');
    }
    const metrics = await b.request('GET', '/metrics');
    expect(metrics.text).toMatch(/sse_open_streams [1-9]/);
  });

  it('documents the stream and the delivery admin routes in OpenAPI', async () => {
    const doc = (await a.request('GET', '/docs-json')).body;
    const stream = doc.paths['/v2/user/{userId}/messages/stream'].get;
    expect(stream.security).toEqual(expect.arrayContaining([{ BimPlus: [] }]));
    expect(Object.keys(stream.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
    expect(doc.paths['/admin/deliveries'].get).toBeDefined();
    expect(doc.paths['/admin/deliveries/{id}/retry'].post).toBeDefined();
    expect(doc.paths['/inbox']).toBeUndefined();
  });

  it('ends a stream at the next heartbeat once its token is revoked', async () => {
    const carol = await createUser(a);
    const stream = await open(b, carol);
    expect(stream.status).toBe(200);
    expect((await a.admin('DELETE', `/admin/tokens/${carol.tokenId}`)).status).toBe(200);
    await stream.waitUntilEnded();
    expect(stream.ended).toBe(true);
  });

  itWithServer('closes open streams when the instance shuts down', async () => {
    const stream = await open(b, alice);
    await b.close();
    b = a;
    await stream.waitFor(() => stream.ended, 5000);
    expect(stream.ended).toBe(true);
  });
});

/** Opens `who`'s stream on `app` and keeps it in `streams`, for the suite's afterAll to close. */
async function openTracked(app: TestApp, who: UserFixture, streams: SseClient[]): Promise<SseClient> {
  const stream = await SseClient.open(`${app.baseUrl}/v2/user/me/messages/stream`, { authorization: `BimPlus ${who.token}` });
  streams.push(stream);
  return stream;
}

/** Opens until a place is free: a closed stream leaves the hub when the server sees its socket close. */
async function openWhenFree(open: () => Promise<SseClient>): Promise<SseClient | undefined> {
  let stream: SseClient | undefined;
  for (let i = 0; i < 50 && stream?.status !== 200; i++) {
    stream = await open();
    if (stream.status !== 200) await new Promise((r) => setTimeout(r, 20));
  }
  return stream;
}

describe('Delivery: SSE streams per user', () => {
  let app: TestApp;
  const streams: SseClient[] = [];
  beforeAll(async () => {
    app = await startTestApp({ SSE_MAX_STREAMS_PER_USER: '2' });
  });
  afterAll(async () => {
    await Promise.all(streams.map((s) => s.close()));
    await app.close();
  });

  it('caps open streams per user with a 429 and Retry-After (EventSource then stops instead of reconnecting), and frees a place when one closes', async () => {
    const [user, other] = await Promise.all([createUser(app), createUser(app)]);
    const open = (who: UserFixture) => openTracked(app, who, streams);
    // Opened all at once: the places are taken before any stream reads its cursor, so a burst cannot overshoot.
    const burst = await Promise.all([open(user), open(user), open(user), open(user)]);
    expect(burst.map((s) => s.status).sort()).toEqual([200, 200, 429, 429]);
    const refused = burst.find((s) => s.status === 429) as SseClient;
    expect(refused.headers?.get('retry-after')).toBe('10');
    expect(JSON.parse(refused.body as string)).toEqual({ error: { message: 'Too many open streams for this user (at most 2 per instance); close one first' } });
    expect((await open(other)).status).toBe(200);
    await burst.find((s) => s.status === 200)?.close();
    expect((await openWhenFree(() => open(user)))?.status).toBe(200);
  });
});

describe('Delivery: SSE streams per instance', () => {
  let app: TestApp;
  const streams: SseClient[] = [];
  beforeAll(async () => {
    app = await startTestApp({ SSE_MAX_STREAMS: '2' });
  });
  afterAll(async () => {
    await Promise.all(streams.map((s) => s.close()));
    await app.close();
  });

  it('caps open streams of all users together with a 503 and Retry-After, and frees a place when one closes', async () => {
    const users = await Promise.all([createUser(app), createUser(app), createUser(app), createUser(app)]);
    const open = (who: UserFixture) => openTracked(app, who, streams);
    // Four users at once, each within their own cap: the instance's two places go to two of them.
    const burst = await Promise.all(users.map(open));
    expect(burst.map((s) => s.status).sort()).toEqual([200, 200, 503, 503]);
    const refused = burst.find((s) => s.status === 503) as SseClient;
    expect(refused.headers?.get('retry-after')).toBe('5');
    expect(JSON.parse(refused.body as string)).toEqual({ error: { message: 'This instance has no room for another stream; retry later' } });
    const metrics = await app.request('GET', '/metrics');
    expect(metrics.text).toMatch(/^sse_open_streams 2$/m);
    await burst.find((s) => s.status === 200)?.close();
    expect((await openWhenFree(() => open(users[burst.indexOf(refused)])))?.status).toBe(200);
  });
});
