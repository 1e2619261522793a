import { Injectable, Logger } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { EnvironmentVariables } from '../../config/env.validation';
import { DeliveryMetrics } from '../delivery.metrics';
import { StreamCursor } from './stream-events.repository';
import { sseComment } from './sse';

/** A client whose socket holds more unsent bytes than this is too slow: it is closed and reconnects with Last-Event-ID. */
export const MAX_BUFFERED_BYTES = 256 * 1024;

interface StreamClient {
  userId: string;
  /** The token the stream was opened with: a revoked token ends the stream at the next heartbeat. */
  tokenId: string;
  /** The last seq written to this client. */
  cursor: number;
  response: ServerResponse;
}

/**
 * The open SSE streams of this instance, per user, and the places taken by streams still opening
 * (both count towards SSE_MAX_STREAMS and SSE_MAX_STREAMS_PER_USER). Writes frames to them, closing a
 * stream whose client does not keep up; knows nothing of the database.
 */
@Injectable()
export class UserStreamRegistry {
  private readonly logger = new Logger(UserStreamRegistry.name);
  private readonly clients = new Map<string, Set<StreamClient>>();
  /** Streams accepted but not registered yet (reading their cursor), per user. */
  private readonly opening = new Map<string, number>();
  private registered = 0;
  private openingTotal = 0;
  private closed = false;

  constructor(
    private readonly env: EnvironmentVariables,
    private readonly metrics: DeliveryMetrics,
  ) {}

  /** Streams registered on this instance. */
  get openCount(): number {
    return this.registered;
  }

  /** Whether any user has a stream open (the relay has nothing to do otherwise). */
  get isEmpty(): boolean {
    return this.clients.size === 0;
  }

  /** Whether this instance can take one more stream, counting the ones still opening. */
  hasRoom(): boolean {
    return this.registered + this.openingTotal < this.env.SSE_MAX_STREAMS;
  }

  /**
   * Takes one of the user's SSE_MAX_STREAMS_PER_USER places on this instance, or says there is none. Taken
   * synchronously, before any await, so a burst of simultaneous opens cannot overshoot the cap; `release`
   * gives it back once the stream is registered (or is not).
   */
  tryReserve(userId: string): boolean {
    const pending = this.opening.get(userId) ?? 0;
    if ((this.clients.get(userId)?.size ?? 0) + pending >= this.env.SSE_MAX_STREAMS_PER_USER) return false;
    this.opening.set(userId, pending + 1);
    this.openingTotal++;
    return true;
  }

  /** Gives back a place taken with tryReserve. */
  release(userId: string): void {
    const pending = this.opening.get(userId);
    if (pending === undefined) return;
    if (pending > 1) this.opening.set(userId, pending - 1);
    else this.opening.delete(userId);
    this.openingTotal--;
  }

  /**
   * Registers `response` as a stream of the user that has seen everything up to `cursor`, and writes its
   * preamble. A client that left while its cursor was read is not registered (it would leak), nor one
   * still opening when the registry closed (it would hold the HTTP server open): false, response ended.
   */
  add(userId: string, tokenId: string, cursor: number, response: ServerResponse): boolean {
    if (response.destroyed || this.closed) {
      response.end();
      return false;
    }
    const client: StreamClient = { userId, tokenId, cursor, response };
    response.write(`retry: 2000\n\n${sseComment('connected')}`);
    const set = this.clients.get(userId) ?? new Set();
    set.add(client);
    this.clients.set(userId, set);
    this.registered++;
    this.metrics.openStreams.inc();
    response.on('close', () => this.remove(client));
    return true;
  }

  /** Per user with an open stream, the oldest cursor among them: what the relay reads after. */
  cursors(): StreamCursor[] {
    return [...this.clients].map(([userId, set]) => ({ userId, seq: Math.min(...[...set].map((c) => c.cursor)) }));
  }

  /**
   * Writes the event `seq`, read after `readFrom`, to the user's streams that have not seen it. A stream
   * that opened during the read with an older cursor than `readFrom` is left for the next read (returns
   * true), so it never skips an event.
   */
  deliver(userId: string, readFrom: number, seq: number, frame: string): boolean {
    let behind = false;
    for (const client of this.clients.get(userId) ?? []) {
      if (client.cursor < readFrom) {
        behind = true;
        continue;
      }
      if (seq <= client.cursor) continue;
      client.cursor = seq;
      this.write(client, frame);
    }
    return behind;
  }

  /** Writes the frame to every stream (a heartbeat). */
  broadcast(frame: string): void {
    for (const client of this.allClients()) this.write(client, frame);
  }

  /** The tokens the open streams were opened with, each once. */
  tokenIds(): string[] {
    return [...new Set([...this.allClients()].map((c) => c.tokenId))];
  }

  /** Ends the streams opened with one of `tokenIds`. */
  endStreamsOf(tokenIds: Iterable<string>): void {
    const ending = new Set(tokenIds);
    for (const client of this.allClients()) {
      if (!ending.has(client.tokenId)) continue;
      this.remove(client);
      client.response.end();
    }
  }

  /** Ends every stream and registers no more (shutdown). */
  close(): void {
    this.closed = true;
    for (const client of this.allClients()) client.response.end();
  }

  private remove(client: StreamClient): void {
    const set = this.clients.get(client.userId);
    if (!set?.delete(client)) return;
    if (set.size === 0) this.clients.delete(client.userId);
    this.registered--;
    this.metrics.openStreams.dec();
  }

  /** Writes a frame, closing the stream instead when the client does not keep up (bounded memory per client). */
  private write(client: StreamClient, frame: string): void {
    if (client.response.writableLength > MAX_BUFFERED_BYTES) {
      this.logger.warn(`closing a slow SSE client of user ${client.userId} (${client.response.writableLength} bytes unsent)`);
      this.remove(client);
      client.response.destroy();
      return;
    }
    client.response.write(frame);
  }

  private *allClients(): Iterable<StreamClient> {
    for (const set of this.clients.values()) yield* set;
  }
}
