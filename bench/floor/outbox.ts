import { PoolClient } from 'pg';

/**
 * The statements src/delivery/delivery-outbox.service.ts adds to a write transaction, copied so the floor
 * pays for the same durable delivery rows as the app. Keep in step with that file; the statement counts in
 * docs/performance.md show whether app and floor send the same number.
 */
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

export const floorOutbox = {
  async enqueueWebhooks(client: PoolClient, caseMessageId: number, receiverAccountIds: number[]): Promise<void> {
    await client.query(
      `INSERT INTO deliveries (kind, message_id, account_id)
       SELECT 'webhook', $1, a.id FROM accounts a WHERE a.id = ANY($2::int[]) AND a.webhook_url IS NOT NULL
       RETURNING id`,
      [String(caseMessageId), receiverAccountIds],
    );
  },

  async enqueueEmails(client: PoolClient, messageId: string, recipients: { userId: string; address: string }[]): Promise<void> {
    await client.query(
      `INSERT INTO deliveries (kind, message_id, user_id, address)
       SELECT 'email', $1, r.user_id, r.address FROM unnest($2::uuid[], $3::varchar[]) AS r(user_id, address)`,
      [messageId, recipients.map((r) => r.userId), recipients.map((r) => r.address)],
    );
  },

  async publishUserEvents(client: PoolClient, events: { userId: string; type: string; messageId: string }[]): Promise<void> {
    await client.query(INSERT_STREAM_EVENTS, [events.map((e) => e.userId), events.map((e) => e.type), events.map((e) => e.messageId)]);
  },
};
