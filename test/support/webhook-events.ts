import { DataSource } from 'typeorm';

export interface QueuedWebhookEvent {
  event: string;
  messageId: string;
  accountId: number;
}

/**
 * The webhook events a v3 statement queued and no worker has fanned out yet (apps started with
 * WORKERS_ENABLED=false keep them), one entry per (message, account) pair, oldest first.
 */
export async function queuedWebhookEvents(db: DataSource, messageId?: number): Promise<QueuedWebhookEvent[]> {
  return db.query(
    `SELECT e.event, p.message_id AS "messageId", p.account_id AS "accountId"
       FROM webhook_events e CROSS JOIN LATERAL unnest(e.message_ids, e.account_ids) WITH ORDINALITY AS p(message_id, account_id, ord)
      WHERE $1::text IS NULL OR p.message_id = $1::text
      ORDER BY e.id, p.ord`,
    [messageId === undefined ? null : String(messageId)],
  );
}
