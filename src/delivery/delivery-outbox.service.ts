import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { INSERT_NEW_MESSAGE_DELIVERIES, INSERT_STREAM_EVENTS } from './delivery-outbox.sql';
import { DeliverySignals } from './delivery-signals';

/** One recipient of a new v2 message, as the delivery side needs it. */
export interface EmailRecipient {
  userId: string;
  /** Where the e-mail goes (receiver.email override, else the user's address). */
  address: string;
}

/** A change a user's open browser tabs must hear about. */
export interface UserStreamEvent {
  userId: string;
  type: 'message' | 'updated' | 'deleted';
  messageId: string;
}

/**
 * The features' only door into delivery. Every writing method takes the caller's transaction manager
 * and writes durable rows in that same transaction, so a committed message always has its deliveries
 * and a rolled-back one has none. Each is one set-based statement whatever the number of recipients.
 * (The v3 create goes one step further: its single statement embeds the webhook insert itself.)
 */
@Injectable()
export class DeliveryOutbox {
  constructor(private readonly signals: DeliverySignals) {}

  /**
   * For a new v2 message: one e-mail per recipient (`email`) and a `message` event on each recipient's
   * stream (`push`), in one statement.
   */
  async announceNewMessage(manager: EntityManager, messageId: string, recipients: EmailRecipient[], channels: { email: boolean; push: boolean }): Promise<void> {
    if (recipients.length === 0 || (!channels.email && !channels.push)) return;
    await manager.query(INSERT_NEW_MESSAGE_DELIVERIES, [messageId, recipients.map((r) => r.userId), recipients.map((r) => r.address), channels.email, channels.push]);
    if (channels.email) this.signals.afterCommit(manager, 'deliveries');
    if (channels.push) this.signals.afterCommit(manager, 'streamEvents');
  }

  /** Records stream events (new, updated, deleted) for users' open SSE streams. */
  async publishUserEvents(manager: EntityManager, events: UserStreamEvent[]): Promise<void> {
    if (events.length === 0) return;
    await manager.query(INSERT_STREAM_EVENTS, [events.map((e) => e.userId), events.map((e) => e.type), events.map((e) => e.messageId)]);
    this.signals.afterCommit(manager, 'streamEvents');
  }

  /**
   * Wakes this process's workers after a committed statement that queued deliveries itself (the v3
   * create embeds `insertWebhooksFrom` from delivery-outbox.sql.ts); other instances find them by polling.
   */
  deliveriesQueued(): void {
    this.signals.afterCommit(undefined, 'deliveries');
  }
}
