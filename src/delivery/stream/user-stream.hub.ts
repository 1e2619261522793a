import { BeforeApplicationShutdown, HttpException, HttpStatus, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { ServerResponse } from 'node:http';
import { EnvironmentVariables } from '../../config/env.validation';
import { RetryLaterException } from '../../http/retry-later.exception';
import { sseComment } from './sse';
import { StreamEventsRepository } from './stream-events.repository';
import { UserStreamRegistry } from './user-stream.registry';
import { UserStreamRelay } from './user-stream.relay';

/**
 * Retry-After of the per-user cap's 429: a place frees only when one of the user's own streams closes (a
 * tab closed), so asking every few seconds is soon enough.
 */
export const STREAM_CAP_RETRY_AFTER_SECONDS = 10;

/**
 * The SSE streams of this instance, as the controller sees them: opens a stream on a place of the
 * registry, starts it where the relay says, runs the heartbeat, and ends the streams of revoked tokens and
 * deactivated users as often as HTTP requests notice them (AUTH_CACHE_TTL_MS). The registry holds the
 * sockets; the relay moves events from the database to them.
 */
@Injectable()
export class UserStreamHub implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(UserStreamHub.name);
  private heartbeatTimer?: NodeJS.Timeout;
  private revocationTimer?: NodeJS.Timeout;

  constructor(
    private readonly env: EnvironmentVariables,
    private readonly registry: UserStreamRegistry,
    private readonly relay: UserStreamRelay,
    private readonly events: StreamEventsRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.relay.start();
    this.heartbeatTimer = setInterval(() => this.registry.broadcast(sseComment('heartbeat')), this.env.SSE_HEARTBEAT_MS).unref();
    this.revocationTimer = setInterval(() => void this.closeRevoked(), revocationCheckMs(this.env)).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    clearInterval(this.revocationTimer);
    this.registry.close();
    await this.relay.stop();
  }

  get openCount(): number {
    return this.registry.openCount;
  }

  /**
   * Turns `reply` into the user's SSE stream: takes a place (429 when the user has none left on this
   * instance, before anything is written), takes over the socket and writes the head, then streams from
   * `lastEventId` (replay) or from now. Returns once the stream is registered; the socket stays open.
   */
  async attach(userId: string, tokenId: string, lastEventId: number | undefined, reply: FastifyReply): Promise<void> {
    // Checked in the same tick as the reservation below, so a burst cannot overshoot either cap. A 503 with
    // Retry-After: a load balancer can send the stream to another instance, a portal can try again later.
    if (!this.registry.hasRoom()) {
      throw new HttpException('This instance has no room for another stream; retry later', HttpStatus.SERVICE_UNAVAILABLE);
    }
    // A 429 makes EventSource give up instead of reconnecting, so tabs beyond the cap do not evict each other;
    // like every 429 it says when to ask again, for clients that do retry.
    if (!this.registry.tryReserve(userId)) {
      const message = `Too many open streams for this user (at most ${this.env.SSE_MAX_STREAMS_PER_USER} per instance); close one first`;
      throw new RetryLaterException(message, HttpStatus.TOO_MANY_REQUESTS, STREAM_CAP_RETRY_AFTER_SECONDS);
    }
    try {
      writeStreamHead(reply);
    } catch (error) {
      this.registry.release(userId);
      throw error;
    }
    try {
      await this.open(userId, tokenId, lastEventId, reply.raw);
    } catch {
      reply.raw.end(); // the database is away; EventSource reconnects by itself
    }
  }

  /** Starts streaming to `response` on a place taken with tryReserve; the place is given back either way. */
  async open(userId: string, tokenId: string, lastEventId: number | undefined, response: ServerResponse): Promise<void> {
    try {
      const cursor = await this.relay.startCursor(userId, lastEventId);
      if (this.registry.add(userId, tokenId, cursor, response) && lastEventId !== undefined) this.relay.wake();
    } finally {
      this.registry.release(userId);
    }
  }

  /** Ends the streams whose token has been revoked (or its user deactivated or erased) since they opened: one query for all of them. */
  private async closeRevoked(): Promise<void> {
    const tokenIds = this.registry.tokenIds();
    if (tokenIds.length === 0) return;
    try {
      this.registry.endStreamsOf(await this.events.endedTokenIds(tokenIds));
    } catch (error) {
      this.logger.warn(`could not check streams for revoked tokens: ${(error as Error).message}`);
    }
  }
}

/**
 * How often open streams are checked against revocations and deactivations: as often as a cached token
 * expires (at least once a second when nothing is cached), and never less often than the heartbeat.
 */
export function revocationCheckMs(env: Pick<EnvironmentVariables, 'AUTH_CACHE_TTL_MS' | 'SSE_HEARTBEAT_MS'>): number {
  return Math.min(env.SSE_HEARTBEAT_MS, Math.max(1000, env.AUTH_CACHE_TTL_MS));
}

/** Takes the raw socket over from Fastify and writes the SSE head, keeping the headers the hooks set (request id, helmet, CORS). */
function writeStreamHead(reply: FastifyReply): void {
  reply.hijack();
  reply.raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  // No socket timeout on an endless response.
  reply.request.raw.socket.setTimeout(0);
}
