import { Injectable, Logger } from '@nestjs/common';
import { StreamEventType } from '../delivery.enums';
import { DeliverySignals } from '../delivery-signals';
import { MessagePayload, UserMessageSource } from '../message-source.port';
import { sseEvent, sseIdOnly } from './sse';
import { StreamCursor, StreamEventRow, StreamEventsRepository } from './stream-events.repository';
import { StreamBus } from './stream-bus';
import { UserStreamRegistry } from './user-stream.registry';

/** Events read per user per relay pass; a user with more is served by the next pass at once. */
export const EVENTS_PER_PASS = 200;
/** Safety net for a lost notification (e.g. while the listener reconnects after a database restart). */
const POLL_MS = 2000;

/**
 * Moves committed events from user_stream_events (written in the message's transaction) to the open
 * streams of the registry. One relay loop per instance reads what its streams have not seen yet, woken
 * by this process's commits, by the stream bus (another instance's commits), or by a slow poll; it also places a
 * new stream in its user's sequence (Last-Event-ID replay).
 */
@Injectable()
export class UserStreamRelay {
  private readonly logger = new Logger(UserStreamRelay.name);
  private running = false;
  private again = false;
  private pollTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(
    private readonly registry: UserStreamRegistry,
    private readonly events: StreamEventsRepository,
    private readonly messages: UserMessageSource,
    private readonly signals: DeliverySignals,
    private readonly bus: StreamBus,
  ) {}

  start(): void {
    this.unsubscribe = this.signals.on('streamEvents', () => {
      this.wake();
      this.bus.publish();
    });
    this.bus.subscribe(() => this.wake());
    this.pollTimer = setInterval(() => !this.registry.isEmpty && this.wake(), POLL_MS).unref();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.pollTimer);
    await this.bus.close();
  }

  /**
   * Where a new stream of the user starts: after `lastEventId` (replay), or after the user's latest event.
   * A `lastEventId` beyond the latest (ids from before a database restore, or from another deployment)
   * counts as now: kept, it would silence the stream until the user's ids caught up with it.
   */
  async startCursor(userId: string, lastEventId: number | undefined): Promise<number> {
    const current = await this.events.lastSeq(userId);
    return lastEventId === undefined || lastEventId > current ? current : lastEventId;
  }

  /** Runs a pass now, or once more right after the pass in progress (never two at a time). */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        if (await this.pass()) this.again = true;
      } while (this.again);
    } catch (error) {
      this.logger.warn(`stream relay failed, the next poll retries: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  /** Sends every stream what it has not seen yet; true when a user had more than one pass's worth. */
  private async pass(): Promise<boolean> {
    const cursors = this.registry.cursors();
    if (cursors.length === 0) return false;
    const rows = await this.events.eventsAfter(cursors, EVENTS_PER_PASS);
    if (rows.length === 0) return false;
    const rendered = await this.messages.userMessagesFor(
      rows.filter((r) => r.type !== StreamEventType.Deleted).map((r) => ({ userId: r.userId, messageId: r.messageId })),
    );
    return this.deliver(cursors, rows, rendered);
  }

  private deliver(cursors: StreamCursor[], rows: StreamEventRow[], rendered: Map<string, MessagePayload>): boolean {
    const counts = new Map<string, number>();
    const readFrom = new Map(cursors.map((c) => [c.userId, c.seq]));
    let behind = false;
    for (const row of rows) {
      counts.set(row.userId, (counts.get(row.userId) ?? 0) + 1);
      const seq = Number(row.seq);
      behind = this.registry.deliver(row.userId, readFrom.get(row.userId) as number, seq, frame(row, seq, rendered)) || behind;
    }
    return behind || [...counts.values()].some((n) => n >= EVENTS_PER_PASS);
  }
}

/**
 * `deleted` carries `{"id"}`; `message` and `updated` carry the message as the user sees it now. When the
 * user can no longer see it (deleted since the event was written; its `deleted` event follows), the
 * event is sent as its id alone, which moves the client's Last-Event-ID without dispatching an event.
 */
function frame(row: StreamEventRow, seq: number, rendered: Map<string, MessagePayload>): string {
  if (row.type === StreamEventType.Deleted) return sseEvent(seq, row.type, { id: row.messageId });
  const message = rendered.get(`${row.userId}/${row.messageId}`);
  return message === undefined ? sseIdOnly(seq) : sseEvent(seq, row.type, message);
}
