import { BeforeApplicationShutdown, HttpException, HttpStatus, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { EnvironmentVariables } from '../../config/env.validation';
import { StreamEventType } from '../delivery.enums';
import { DeliveryMetrics } from '../delivery.metrics';
import { DeliverySignals } from '../delivery-signals';
import { MessageSource } from '../message-source.service';
import { sseComment, sseEvent, sseIdOnly } from './sse';
import { StreamNotifier } from './stream-notifier';

/** A client whose socket holds more unsent bytes than this is too slow: it is closed and reconnects with Last-Event-ID. */
export const MAX_BUFFERED_BYTES = 256 * 1024;
/** Events read per user per relay pass; a user with more is served by the next pass at once. */
const EVENTS_PER_PASS = 200;
/** Safety net for a lost notification (e.g. while the listener reconnects after a database restart). */
const POLL_MS = 2000;

interface StreamClient {
  userId: string;
  /** The token the stream was opened with: a revoked token ends the stream at the next heartbeat. */
  tokenId: string;
  /** The last seq written to this client. */
  cursor: number;
  response: ServerResponse;
}

interface EventRow {
  userId: string;
  seq: string;
  type: StreamEventType;
  messageId: string;
}

/**
 * The open SSE streams of this instance. Events live in user_stream_events (written in the message's
 * transaction); one relay loop per instance reads what its clients have not seen yet, woken by this
 * process's commits, by a NOTIFY from another instance, or by a slow poll.
 */
@Injectable()
export class UserStreamHub implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(UserStreamHub.name);
  private readonly clients = new Map<string, Set<StreamClient>>();
  /** Streams accepted but not registered yet (reading their cursor), per user: they count towards the cap. */
  private readonly opening = new Map<string, number>();
  /** Streams registered on this instance, and places taken by streams still opening (see SSE_MAX_STREAMS). */
  private registered = 0;
  private openingTotal = 0;
  private relayRunning = false;
  private relayAgain = false;
  private closing = false;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe?: () => void;

  constructor(
    private readonly env: EnvironmentVariables,
    private readonly dataSource: DataSource,
    private readonly messages: MessageSource,
    private readonly signals: DeliverySignals,
    private readonly notifier: StreamNotifier,
    private readonly metrics: DeliveryMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.signals.on('streamEvents', () => {
      this.relay();
      this.notifier.notifyOthers();
    });
    this.notifier.listen(() => this.relay());
    this.timers.push(setInterval(() => this.heartbeat(), this.env.SSE_HEARTBEAT_MS).unref());
    this.timers.push(setInterval(() => this.clients.size > 0 && this.relay(), POLL_MS).unref());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.unsubscribe?.();
    this.timers.forEach(clearInterval);
    for (const client of this.allClients()) client.response.end();
    await this.notifier.close();
  }

  /**
   * Turns `reply` into the user's SSE stream: takes a place (429 when the user has none left on this
   * instance, before anything is written), takes over the socket and writes the head, then streams from
   * `lastEventId` (replay) or from now. Returns once the stream is registered; the socket stays open.
   */
  async attach(userId: string, tokenId: string, lastEventId: number | undefined, reply: FastifyReply): Promise<void> {
    // Checked in the same tick as the reservation below, so a burst cannot overshoot either cap. A 503 with
    // Retry-After: a load balancer can send the stream to another instance, a portal can try again later.
    if (this.registered + this.openingTotal >= this.env.SSE_MAX_STREAMS) {
      throw new HttpException('This instance has no room for another stream; retry later', HttpStatus.SERVICE_UNAVAILABLE);
    }
    // A 429 makes EventSource give up instead of reconnecting, so tabs beyond the cap do not evict each other.
    if (!this.tryReserve(userId)) {
      throw new HttpException(`Too many open streams for this user (at most ${this.env.SSE_MAX_STREAMS_PER_USER} per instance); close one first`, HttpStatus.TOO_MANY_REQUESTS);
    }
    try {
      writeStreamHead(reply);
    } catch (error) {
      this.release(userId);
      throw error;
    }
    try {
      await this.open(userId, tokenId, lastEventId, reply.raw);
    } catch {
      reply.raw.end(); // the database is away; EventSource reconnects by itself
    }
  }

  /**
   * Takes one of the user's SSE_MAX_STREAMS_PER_USER places on this instance, or says there is none. Taken
   * synchronously, before any await, so a burst of simultaneous opens cannot overshoot the cap; `open`
   * gives the place back to the pool of registered streams (or frees it).
   */
  tryReserve(userId: string): boolean {
    const pending = this.opening.get(userId) ?? 0;
    if ((this.clients.get(userId)?.size ?? 0) + pending >= this.env.SSE_MAX_STREAMS_PER_USER) return false;
    this.opening.set(userId, pending + 1);
    this.openingTotal++;
    return true;
  }

  /** Gives back a place taken with tryReserve (open does so itself). */
  release(userId: string): void {
    const pending = this.opening.get(userId);
    if (pending === undefined) return;
    if (pending > 1) this.opening.set(userId, pending - 1);
    else this.opening.delete(userId);
    this.openingTotal--;
  }

  /**
   * Starts streaming to `response` from `lastEventId` (replay) or from now, on a place taken with
   * tryReserve; the place is given back whether or not the stream gets registered.
   */
  async open(userId: string, tokenId: string, lastEventId: number | undefined, response: ServerResponse): Promise<void> {
    try {
      await this.register(userId, tokenId, lastEventId, response);
    } finally {
      this.release(userId);
    }
  }

  /**
   * A `lastEventId` beyond the user's last event (ids from before a database restore, or from another
   * deployment) counts as now: kept, it would silence the stream until the user's ids caught up with it.
   */
  private async register(userId: string, tokenId: string, lastEventId: number | undefined, response: ServerResponse): Promise<void> {
    const current = await this.currentSeq(userId);
    const cursor = lastEventId === undefined || lastEventId > current ? current : lastEventId;
    // Registering a client that left while the cursor was read would leak it; one still opening when
    // shutdown began would hold the HTTP server open.
    if (response.destroyed || this.closing) {
      response.end();
      return;
    }
    const client: StreamClient = { userId, tokenId, cursor, response };
    response.write(`retry: 2000\n\n${sseComment('connected')}`);
    const set = this.clients.get(userId) ?? new Set();
    set.add(client);
    this.clients.set(userId, set);
    this.registered++;
    this.metrics.openStreams.inc();
    response.on('close', () => this.remove(client));
    if (lastEventId !== undefined) this.relay();
  }

  get openCount(): number {
    return this.registered;
  }

  private async currentSeq(userId: string): Promise<number> {
    const rows: Array<{ lastSeq: string }> = await this.dataSource.query(`SELECT last_seq AS "lastSeq" FROM user_stream_seqs WHERE user_id = $1`, [userId]);
    return rows.length > 0 ? Number(rows[0].lastSeq) : 0;
  }

  private remove(client: StreamClient): void {
    const set = this.clients.get(client.userId);
    if (!set?.delete(client)) return;
    if (set.size === 0) this.clients.delete(client.userId);
    this.registered--;
    this.metrics.openStreams.dec();
  }

  /** Runs the relay now, or once more right after the pass in progress (never two at a time). */
  relay(): void {
    if (this.relayRunning) {
      this.relayAgain = true;
      return;
    }
    this.relayRunning = true;
    void this.relayLoop();
  }

  private async relayLoop(): Promise<void> {
    try {
      do {
        this.relayAgain = false;
        if (await this.relayPass()) this.relayAgain = true;
      } while (this.relayAgain);
    } catch (error) {
      this.logger.warn(`stream relay failed, the next poll retries: ${(error as Error).message}`);
    } finally {
      this.relayRunning = false;
    }
  }

  /** Sends every client what it has not seen yet; true when a user had more than one pass's worth. */
  private async relayPass(): Promise<boolean> {
    const cursors = [...this.clients].map(([userId, set]) => ({ userId, seq: Math.min(...[...set].map((c) => c.cursor)) }));
    if (cursors.length === 0) return false;
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT e.user_id AS "userId", e.seq::text AS "seq", e.type, e.message_id AS "messageId"
       FROM unnest($1::uuid[], $2::bigint[]) AS c(user_id, seq)
       CROSS JOIN LATERAL (
         SELECT * FROM user_stream_events e WHERE e.user_id = c.user_id AND e.seq > c.seq ORDER BY e.seq LIMIT ${EVENTS_PER_PASS}
       ) e
       ORDER BY e.user_id, e.seq`,
      [cursors.map((c) => c.userId), cursors.map((c) => c.seq)],
    );
    if (rows.length === 0) return false;
    const rendered = await this.messages.userMessagesFor(
      rows.filter((r) => r.type !== StreamEventType.Deleted).map((r) => ({ userId: r.userId, messageId: r.messageId })),
    );
    const counts = new Map<string, number>();
    const readFrom = new Map(cursors.map((c) => [c.userId, c.seq]));
    let behind = false;
    for (const row of rows) {
      counts.set(row.userId, (counts.get(row.userId) ?? 0) + 1);
      const seq = Number(row.seq);
      behind = this.deliver(row.userId, readFrom.get(row.userId) as number, seq, this.frame(row, seq, rendered)) || behind;
    }
    return behind || [...counts.values()].some((n) => n >= EVENTS_PER_PASS);
  }

  /**
   * `deleted` carries `{"id"}`; `message` and `updated` carry the message as the user sees it now. When the
   * user can no longer see it (deleted since the event was written; its `deleted` event follows), the
   * event is sent as its id alone, which moves the client's Last-Event-ID without dispatching an event.
   */
  private frame(row: EventRow, seq: number, rendered: Map<string, unknown>): string {
    if (row.type === StreamEventType.Deleted) return sseEvent(seq, row.type, { id: row.messageId });
    const message = rendered.get(`${row.userId}/${row.messageId}`);
    return message === undefined ? sseIdOnly(seq) : sseEvent(seq, row.type, message);
  }

  /**
   * Writes the event to the user's clients that have not seen it. A client that connected during this
   * pass with an older cursor than the pass read from is left for the next pass (returns true), so
   * it never skips an event.
   */
  private deliver(userId: string, readFrom: number, seq: number, frame: string): boolean {
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

  private heartbeat(): void {
    const frame = sseComment('heartbeat');
    for (const client of this.allClients()) this.write(client, frame);
    void this.closeRevoked();
  }

  /** Ends the streams whose token has been revoked since they opened: one query for all of them. */
  private async closeRevoked(): Promise<void> {
    const tokenIds = [...new Set([...this.allClients()].map((c) => c.tokenId))];
    if (tokenIds.length === 0) return;
    try {
      const rows: Array<{ id: string }> = await this.dataSource.query(
        `SELECT id FROM api_tokens WHERE id = ANY($1::uuid[]) AND revoked_at IS NOT NULL`,
        [tokenIds],
      );
      const revoked = new Set(rows.map((r) => r.id));
      for (const client of this.allClients()) {
        if (!revoked.has(client.tokenId)) continue;
        this.remove(client);
        client.response.end();
      }
    } catch (error) {
      this.logger.warn(`could not check streams for revoked tokens: ${(error as Error).message}`);
    }
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
