import { connect, NatsConnection } from 'nats';
import { once } from 'node:events';
import { AddressInfo, createServer } from 'node:net';
import { STREAM_WAKE_SUBJECT } from '../src/delivery/stream/nats-stream-bus';
import { createUser, UserFixture } from './factories';
import { describeWithServer } from './support/local-server';
import { SseClient } from './support/sse-client';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(30_000);

const NATS_URL = 'nats://127.0.0.1:4222';
const withServer = Boolean(process.env.DATABASE_URL);
const describeNats = withServer ? describeWithServer('SSE over the NATS push bus', 'NATS', '127.0.0.1', 4222) : describe.skip;
if (!withServer) console.warn('SSE over the NATS push bus: SKIPPED, two instances need DATABASE_URL (the embedded database keeps its in-process bus)');

describeNats('SSE over the NATS push bus', () => {
  let a: TestApp;
  let b: TestApp;
  let nats: NatsConnection;
  let service: UserFixture;
  let alice: UserFixture;
  const streams: SseClient[] = [];
  const wakeUps: number[] = [];

  const open = async (user: UserFixture, headers: Record<string, string> = {}): Promise<SseClient> => {
    const client = await SseClient.open(`${b.baseUrl}/v2/user/me/messages/stream`, { authorization: `BimPlus ${user.token}`, ...headers });
    streams.push(client);
    return client;
  };
  const send = async (to: string, topic: string) => {
    const res = await a.request('POST', '/v2/messages', { headers: { authorization: `BimPlus ${service.token}` }, body: { receiver: { id: to }, source: 'Jobs', topic, severity: 'info', returnCode: 'OK' } });
    if (res.status !== 201) throw new Error(`send: ${res.status} ${res.text}`);
    return res.body;
  };

  beforeAll(async () => {
    nats = await connect({ servers: NATS_URL });
    nats.subscribe(STREAM_WAKE_SUBJECT, { callback: () => wakeUps.push(Date.now()) });
    a = await startTestApp({ PUSH_BUS: 'nats', NATS_URL });
    b = await startTestApp({ PUSH_BUS: 'nats', NATS_URL, WORKERS_ENABLED: 'false' }, { shareDatabaseUrl: a.databaseUrl });
    [service, alice] = await Promise.all([createUser(a, 'service'), createUser(a)]);
  });
  afterAll(async () => {
    await Promise.all(streams.map((s) => s.close()));
    await b?.close();
    await a?.close();
    await nats?.close();
  });

  it('publishes a wake-up on NATS for a commit, and a stream on B gets the message posted through A', async () => {
    const stream = await open(alice);
    expect(stream.status).toBe(200);
    const before = wakeUps.length;
    const message = await send(alice.id, 'over nats');
    const [event] = await stream.waitFor((e) => e.length >= 1);
    expect(event.event).toBe('message');
    expect(JSON.parse(event.data)).toEqual(message);
    expect(wakeUps.length).toBeGreaterThan(before);
  });

  it('keeps the per-user ids and replays from Last-Event-ID out of PostgreSQL', async () => {
    const first = await open(alice);
    const seen = await send(alice.id, 'seen');
    const [seenEvent] = await first.waitFor((e) => e.some((x) => JSON.parse(x.data).id === seen.id));
    await first.close();
    const missed = [await send(alice.id, 'missed 1'), await send(alice.id, 'missed 2')];
    const resumed = await open(alice, { 'last-event-id': seenEvent.id as string });
    const events = await resumed.waitFor((e) => e.length >= 2);
    expect(events.map((e) => JSON.parse(e.data).id)).toEqual(missed.map((m) => m.id));
    expect(events.map((e) => Number(e.id))).toEqual([Number(seenEvent.id) + 1, Number(seenEvent.id) + 2]);
  });
});

const describeUnreachable = withServer ? describe : describe.skip;

describeUnreachable('the NATS push bus with no NATS server up', () => {
  it('says so, serves streams from the poll meanwhile, and still shuts down', async () => {
    const port = await unusedPort();
    const app = await startTestApp({ PUSH_BUS: 'nats', NATS_URL: `nats://127.0.0.1:${port}` });
    let closed = false;
    try {
      const [service, alice] = await Promise.all([createUser(app, 'service'), createUser(app)]);
      const stream = await SseClient.open(`${app.baseUrl}/v2/user/me/messages/stream`, { authorization: `BimPlus ${alice.token}` });
      const sent = await app.request('POST', '/v2/messages', { headers: { authorization: `BimPlus ${service.token}` }, body: { receiver: { id: alice.id }, source: 'Jobs', topic: 'no bus', severity: 'info', returnCode: 'OK' } });
      const [event] = await stream.waitFor((e) => e.length >= 1);
      expect(JSON.parse(event.data).id).toBe(sent.body.id);
      await stream.close();
      expect(app.logs.some((line) => line.includes(`stream bus cannot reach NATS`))).toBe(true);
      // A first connect that never settles would hold this close until the test's timeout.
      await app.close();
      closed = true;
    } finally {
      if (!closed) await app.close();
    }
  });
});

/** A port nothing listens on: bound once, then released. */
async function unusedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
