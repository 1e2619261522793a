import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { INSERT_STREAM_EVENTS } from './delivery-outbox.sql';
import { DeliverySignals } from './delivery-signals';
import { StreamEventType } from './delivery.enums';

/** A change a user's open browser tabs must hear about. */
export interface UserStreamEvent {
  userId: string;
  type: StreamEventType;
  messageId: string;
}

/**
 * The features' door into delivery. `publishUserEvents` takes the caller's transaction manager and
 * writes the stream events in that same transaction, so a committed change always has its events and a
 * rolled-back one has none; one set-based statement whatever the number of users. The creates go one
 * step further: their single statement embeds the outbox's SQL (delivery-outbox.sql.ts) and then tells
 * `queuedBy` what it queued.
 */
@Injectable()
export class DeliveryOutbox {
  constructor(private readonly signals: DeliverySignals) {}

  /** Records stream events (new, updated, deleted) for users' open SSE streams. */
  async publishUserEvents(manager: EntityManager, events: UserStreamEvent[]): Promise<void> {
    if (events.length === 0) return;
    await manager.query(INSERT_STREAM_EVENTS, [events.map((e) => e.userId), events.map((e) => e.type), events.map((e) => e.messageId)]);
    this.signals.afterCommit(manager, 'streamEvents');
  }

  /**
   * For the creates that queue their deliveries inside their own statement (the v3 and v2 creates embed
   * the fragments of delivery-outbox.sql.ts): wakes this process's workers and stream relay once that
   * statement — or the transaction `manager` is in — has committed. Other instances poll and LISTEN.
   */
  queuedBy(manager: EntityManager, what: { deliveries?: boolean; streamEvents?: boolean }): void {
    if (what.deliveries) this.signals.afterCommit(manager, 'deliveries');
    if (what.streamEvents) this.signals.afterCommit(manager, 'streamEvents');
  }
}
