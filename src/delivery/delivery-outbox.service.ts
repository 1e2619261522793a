import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
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

// Bumps each user's counter once for all of the user's events (locking the users in id order so two
// concurrent writers cannot deadlock), then numbers the events under it: one statement for N users.
const INSERT_STREAM_EVENTS = `
  WITH input AS (
    SELECT e.user_id, e.type, e.message_id, e.ord
    FROM unnest($1::uuid[], $2::varchar[], $3::uuid[]) WITH ORDINALITY AS e(user_id, type, message_id, ord)
  ), counts AS (
    SELECT user_id, count(*) AS n FROM input GROUP BY user_id
  ), bumped AS (
    INSERT INTO user_stream_seqs (user_id, last_seq)
    SELECT user_id, n FROM counts ORDER BY user_id
    ON CONFLICT (user_id) DO UPDATE SET last_seq = user_stream_seqs.last_seq + EXCLUDED.last_seq
    RETURNING user_id, last_seq
  )
  INSERT INTO user_stream_events (user_id, seq, type, message_id)
  SELECT i.user_id, b.last_seq - c.n + row_number() OVER (PARTITION BY i.user_id ORDER BY i.ord), i.type, i.message_id
  FROM input i JOIN counts c ON c.user_id = i.user_id JOIN bumped b ON b.user_id = i.user_id`;

/**
 * The features' only door into delivery. Every method takes the caller's transaction manager and
 * writes durable rows in that same transaction, so a committed message always has its deliveries
 * and a rolled-back one has none. Each is one set-based statement whatever the number of recipients.
 */
@Injectable()
export class DeliveryOutbox {
  constructor(private readonly signals: DeliverySignals) {}

  /** Queues one e-mail per recipient for a new v2 message. */
  async enqueueEmails(manager: EntityManager, messageId: string, recipients: EmailRecipient[]): Promise<void> {
    if (recipients.length === 0) return;
    await manager.query(
      `INSERT INTO deliveries (kind, message_id, user_id, address)
       SELECT 'email', $1, r.user_id, r.address FROM unnest($2::uuid[], $3::varchar[]) AS r(user_id, address)`,
      [messageId, recipients.map((r) => r.userId), recipients.map((r) => r.address)],
    );
    this.signals.afterCommit(manager, 'deliveries');
  }

  /** Records stream events (new, updated, deleted) for users' open SSE streams. */
  async publishUserEvents(manager: EntityManager, events: UserStreamEvent[]): Promise<void> {
    if (events.length === 0) return;
    await manager.query(INSERT_STREAM_EVENTS, [events.map((e) => e.userId), events.map((e) => e.type), events.map((e) => e.messageId)]);
    this.signals.afterCommit(manager, 'streamEvents');
  }

  /** Queues a webhook call to each receiving account of a new case message (accounts without a webhook are skipped). */
  async enqueueWebhooks(manager: EntityManager, caseMessageId: number, receiverAccountIds: number[]): Promise<void> {
    if (receiverAccountIds.length === 0) return;
    const rows: unknown[] = await manager.query(
      `INSERT INTO deliveries (kind, message_id, account_id)
       SELECT 'webhook', $1, a.id FROM accounts a WHERE a.id = ANY($2::int[]) AND a.webhook_url IS NOT NULL
       RETURNING id`,
      [String(caseMessageId), receiverAccountIds],
    );
    if (rows.length > 0) this.signals.afterCommit(manager, 'deliveries');
  }
}
