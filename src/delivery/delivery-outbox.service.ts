import { Injectable } from '@nestjs/common';
import { Transaction, Transactions } from '../database/transactions';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliverySignal, DeliverySignals } from './delivery-signals';
import { StreamEventType } from './delivery.enums';

/** A change a user's open browser tabs must hear about. */
export interface UserStreamEvent {
  userId: string;
  type: StreamEventType;
  messageId: string;
}

/**
 * The features' door into delivery. `publishUserEvents` writes stream events in the caller's transaction,
 * so a committed change always has its events and a rolled-back one has none; one set-based statement
 * whatever the number of users. The creates go one step further: their single statement embeds the
 * outbox's SQL (delivery-outbox.sql.ts) and then tells `queuedBy` what it queued.
 */
@Injectable()
export class DeliveryOutbox {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly transactions: Transactions,
    private readonly signals: DeliverySignals,
  ) {}

  /** Records stream events (new, updated, deleted) for users' open SSE streams. */
  async publishUserEvents(tx: Transaction, events: UserStreamEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.deliveries.insertStreamEvents(tx, events);
    this.wakeAfterCommit(tx, 'streamEvents');
  }

  /**
   * For the creates that queue their deliveries inside their own statement: wakes this process's workers
   * and stream relay once that statement (no `tx`) or the transaction `tx` has committed. Other
   * instances poll and LISTEN.
   */
  queuedBy(tx: Transaction | undefined, what: { deliveries?: boolean; streamEvents?: boolean }): void {
    if (what.deliveries) this.wakeAfterCommit(tx, 'deliveries');
    if (what.streamEvents) this.wakeAfterCommit(tx, 'streamEvents');
  }

  private wakeAfterCommit(tx: Transaction | undefined, signal: DeliverySignal): void {
    this.transactions.afterCommit(tx, () => this.signals.emit(signal));
  }
}
