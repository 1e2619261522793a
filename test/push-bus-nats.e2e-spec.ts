import { connect, NatsConnection } from 'nats';
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
