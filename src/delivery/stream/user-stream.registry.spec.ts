import { EventEmitter } from 'node:events';
import { ServerResponse } from 'node:http';
import { EnvironmentVariables } from '../../config/env.validation';
import { DeliveryMetrics } from '../delivery.metrics';
import { UserStreamRegistry } from './user-stream.registry';

const USER = '11111111-1111-1111-1111-111111111111';
const OTHER_USER = '44444444-4444-4444-4444-444444444444';

class FakeResponse extends EventEmitter {
  writes: string[] = [];
  writableLength = 0;
  destroyed = false;
  write(chunk: string): boolean {
    this.writes.push(chunk);
    return true;
  }
  end(): void {
    this.emit('close');
  }
}

function makeRegistry(env: Partial<EnvironmentVariables> = {}) {
  const config = { SSE_MAX_STREAMS: 3, SSE_MAX_STREAMS_PER_USER: 2, ...env } as EnvironmentVariables;
  return new UserStreamRegistry(config, { openStreams: { inc: () => undefined, dec: () => undefined } } as unknown as DeliveryMetrics);
}

const response = () => new FakeResponse() as unknown as ServerResponse & FakeResponse;

describe('UserStreamRegistry', () => {
  it('counts streams still opening towards both caps, and frees a place on release', () => {
    const registry = makeRegistry();
    expect([registry.tryReserve(USER), registry.tryReserve(USER), registry.tryReserve(USER)]).toEqual([true, true, false]);
    expect(registry.tryReserve(OTHER_USER)).toBe(true);
    expect(registry.hasRoom()).toBe(false);
    registry.release(USER);
    expect(registry.hasRoom()).toBe(true);
    expect(registry.tryReserve(USER)).toBe(true);
  });

  it('counts registered streams towards the per-user cap until they close', () => {
    const registry = makeRegistry({ SSE_MAX_STREAMS_PER_USER: 1 });
    const stream = response();
    expect(registry.add(USER, 'token', 0, stream)).toBe(true);
    expect(registry.tryReserve(USER)).toBe(false);
    stream.end();
    expect(registry.tryReserve(USER)).toBe(true);
    expect(registry.openCount).toBe(0);
  });

  it('reads after the oldest cursor of a user and writes each stream only the events it has not seen', () => {
    const registry = makeRegistry();
    const [behind, ahead] = [response(), response()];
    registry.add(USER, 'token', 3, behind);
    registry.add(USER, 'token', 5, ahead);
    expect(registry.cursors()).toEqual([{ userId: USER, seq: 3 }]);
    for (const seq of [4, 5, 6]) registry.deliver(USER, 3, seq, `frame ${seq}`);
    expect(behind.writes.slice(1)).toEqual(['frame 4', 'frame 5', 'frame 6']);
    expect(ahead.writes.slice(1)).toEqual(['frame 6']);
  });

  it('leaves a stream whose cursor is older than the read for the next read instead of skipping events', () => {
    const registry = makeRegistry();
    const late = response();
    registry.add(USER, 'token', 1, late);
    expect(registry.deliver(USER, 4, 5, 'frame 5')).toBe(true);
    expect(late.writes.slice(1)).toEqual([]);
  });

  it('registers nothing after close and ends a stream offered then', () => {
    const registry = makeRegistry();
    registry.close();
    const stream = response();
    const closed = jest.fn();
    stream.on('close', closed);
    expect(registry.add(USER, 'token', 0, stream)).toBe(false);
    expect(closed).toHaveBeenCalled();
    expect(registry.isEmpty).toBe(true);
  });
});
