import { FastifyReply } from 'fastify';
import { EventEmitter } from 'node:events';
import { ServerResponse } from 'node:http';
import { EnvironmentVariables } from '../../config/env.validation';
import { DeliveryMetrics } from '../delivery.metrics';
import { DeliverySignals } from '../delivery-signals';
import { UserMessageSource } from '../message-source.port';
import { StreamEventsRepository } from './stream-events.repository';
import { InProcessStreamBus } from './stream-bus';
import { revocationCheckMs, UserStreamHub } from './user-stream.hub';
import { MAX_BUFFERED_BYTES, UserStreamRegistry } from './user-stream.registry';
import { UserStreamRelay } from './user-stream.relay';

const USER = '11111111-1111-1111-1111-111111111111';
const TOKEN = '22222222-2222-2222-2222-222222222222';
const OTHER_TOKEN = '33333333-3333-3333-3333-333333333333';

/** A response that records what was written and can pretend its socket is full. */
class FakeResponse extends EventEmitter {
  writes: string[] = [];
  writableLength = 0;
  destroyed = false;
  ended = false;
  write(chunk: string): boolean {
    this.writes.push(chunk);
    return true;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
  end(): void {
    this.ended = true;
    this.emit('close'); // as a real ServerResponse does once it has finished
  }
}

function makeHub(events: Array<{ seq: number; type: string; messageId: string }>, env: Partial<EnvironmentVariables> = {}) {
  const repository = {
    lastSeq: jest.fn(async () => 0),
    eventsAfter: async () => events.map((e) => ({ userId: USER, seq: String(e.seq), type: e.type, messageId: e.messageId })),
    endedTokenIds: async () => [TOKEN], // TOKEN is revoked, OTHER_TOKEN is not
  };
  const streamEvents = repository as unknown as StreamEventsRepository;
  const gauge = { inc: jest.fn(), dec: jest.fn() };
  const config = { SSE_HEARTBEAT_MS: 60_000, AUTH_CACHE_TTL_MS: 5000, SSE_MAX_STREAMS: 10, SSE_MAX_STREAMS_PER_USER: 1, ...env } as EnvironmentVariables;
  const registry = new UserStreamRegistry(config, { openStreams: gauge } as unknown as DeliveryMetrics);
  const relay = new UserStreamRelay(
    registry,
    streamEvents,
    { userMessagesFor: async () => new Map([[`${USER}/m1`, { id: 'm1', topic: 't' }]]) } as unknown as UserMessageSource,
    { on: () => () => undefined } as unknown as DeliverySignals,
    new InProcessStreamBus(),
  );
  const hub = new UserStreamHub(config, registry, relay, streamEvents);
  return { hub, registry, gauge, lastSeq: repository.lastSeq };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('UserStreamHub', () => {
  it('replays events after Last-Event-ID as SSE frames, rendering messages and sending {"id"} for deleted ones', async () => {
    const { hub } = makeHub([
      { seq: 5, type: 'message', messageId: 'm1' },
      { seq: 6, type: 'deleted', messageId: 'm2' },
    ]);
    const response = new FakeResponse();
    await hub.open(USER, TOKEN, 4, response as unknown as ServerResponse);
    await settle();
    expect(response.writes.slice(1)).toEqual(['id: 5\nevent: message\ndata: {"id":"m1","topic":"t"}\n\n', 'id: 6\nevent: deleted\ndata: {"id":"m2"}\n\n']);
  });

  it('closes a client whose socket does not drain instead of buffering without bound', async () => {
    const { hub, gauge } = makeHub([{ seq: 1, type: 'message', messageId: 'm1' }]);
    const response = new FakeResponse();
    response.writableLength = MAX_BUFFERED_BYTES + 1;
    await hub.open(USER, TOKEN, 0, response as unknown as ServerResponse);
    await settle();
    expect(response.destroyed).toBe(true);
    expect(response.writes.some((w) => w.startsWith('id: 1'))).toBe(false);
    expect(hub.openCount).toBe(0);
    expect(gauge.dec).toHaveBeenCalledTimes(1);
  });

  it('does not register a stream whose client left, or shutdown began, while its cursor was read', async () => {
    const { hub, gauge, lastSeq } = makeHub([]);
    let release = () => undefined as void;
    lastSeq.mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve(0))));
    const leaving = new FakeResponse();
    const opening = hub.open(USER, TOKEN, undefined, leaving as unknown as ServerResponse);
    leaving.destroy();
    release();
    await opening;

    const late = new FakeResponse();
    lastSeq.mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve(0))));
    const lateOpening = hub.open(USER, TOKEN, undefined, late as unknown as ServerResponse);
    await hub.beforeApplicationShutdown();
    release();
    await lateOpening;

    expect(hub.openCount).toBe(0);
    expect(gauge.inc).not.toHaveBeenCalled();
    expect(late.ended).toBe(true);
    expect(late.writes).toEqual([]);
  });

  it('ends every stream on shutdown', async () => {
    const { hub } = makeHub([]);
    const responses = [new FakeResponse(), new FakeResponse()];
    for (const r of responses) await hub.open(USER, TOKEN, undefined, r as unknown as ServerResponse);
    expect(hub.openCount).toBe(2);
    await hub.beforeApplicationShutdown();
    expect(responses.every((r) => r.ended)).toBe(true);
  });

  it('ends the streams of a revoked token once a cached token would have expired, counting each one out once', async () => {
    jest.useFakeTimers();
    try {
      const { hub, gauge } = makeHub([], { SSE_MAX_STREAMS_PER_USER: 2 });
      const [revoked, kept] = [new FakeResponse(), new FakeResponse()];
      await hub.open(USER, TOKEN, undefined, revoked as unknown as ServerResponse);
      await hub.open(USER, OTHER_TOKEN, undefined, kept as unknown as ServerResponse);
      hub.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(4999);
      expect(revoked.ended).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect([revoked.ended, kept.ended]).toEqual([true, false]);
      expect(revoked.writes.some((w) => w.includes('heartbeat'))).toBe(false);
      expect(hub.openCount).toBe(1);
      expect(gauge.dec).toHaveBeenCalledTimes(1);
      await hub.beforeApplicationShutdown();
    } finally {
      jest.useRealTimers();
    }
  });

  it.each([
    [5000, 15_000, 5000],
    [0, 15_000, 1000],
    [60_000, 15_000, 15_000],
  ])('checks for revocations every max(1 s, AUTH_CACHE_TTL_MS=%i) and at least every heartbeat (%i ms): %i ms', (ttl, heartbeat, expected) => {
    expect(revocationCheckMs({ AUTH_CACHE_TTL_MS: ttl, SSE_HEARTBEAT_MS: heartbeat })).toBe(expected);
  });

  it('gives the place back when the stream head cannot be written', async () => {
    const { hub, registry } = makeHub([], { SSE_MAX_STREAMS: 1, SSE_MAX_STREAMS_PER_USER: 1 });
    const hijack = () => {
      throw new Error('socket gone');
    };
    const broken = { hijack } as unknown as FastifyReply;
    await expect(hub.attach(USER, TOKEN, undefined, broken)).rejects.toThrow('socket gone');
    expect(registry.tryReserve(USER)).toBe(true);
  });
});
