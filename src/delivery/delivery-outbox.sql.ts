/**
 * The statements (and one statement fragment) DeliveryOutbox adds to a feature's writes. Plain strings,
 * so the benchmark's floor (bench/floor/outbox.ts) runs exactly the same ones.
 */

/**
 * Stream events from `input` (user_id, type, message_id, ord): bumps each user's counter once for all
 * of the user's events (locking the users in id order so two concurrent writers cannot deadlock), then
 * numbers the events under it. One statement for N users; `input` is a CTE the caller defines first.
 */
const STREAM_EVENTS_FROM_INPUT = `counts AS (
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
 * Queues webhook calls for new case messages: one per row of `source`, a FROM item with columns
 * (message_id text, account_id int), whose account has a webhook URL. An INSERT … RETURNING id that the
 * v3 create statement embeds as a CTE, so the message and its webhook rows commit in one statement.
 */
export const insertWebhooksFrom = (source: string) => `INSERT INTO deliveries (kind, message_id, account_id)
       SELECT 'webhook', s.message_id, a.id FROM ${source} JOIN accounts a ON a.id = s.account_id
       WHERE a.webhook_url IS NOT NULL
       RETURNING id`;

/** $1 user ids, $2 event types, $3 message ids (parallel arrays). */
export const INSERT_STREAM_EVENTS = `
  WITH input AS (
    SELECT e.user_id, e.type, e.message_id, e.ord
    FROM unnest($1::uuid[], $2::varchar[], $3::uuid[]) WITH ORDINALITY AS e(user_id, type, message_id, ord)
  ), ${STREAM_EVENTS_FROM_INPUT}`;

/**
 * A new v2 message's e-mails and `message` stream events in one statement (one round trip instead of
 * two when both flags are on). $1 message id, $2 recipient user ids, $3 their addresses, $4 queue
 * e-mails, $5 record stream events.
 */
export const INSERT_NEW_MESSAGE_DELIVERIES = `
  WITH emails AS (
    INSERT INTO deliveries (kind, message_id, user_id, address)
    SELECT 'email', $1::text, r.user_id, r.address FROM unnest($2::uuid[], $3::varchar[]) AS r(user_id, address) WHERE $4::boolean
  ), input AS (
    SELECT e.user_id, 'message'::varchar AS type, $1::text::uuid AS message_id, e.ord
    FROM unnest($2::uuid[]) WITH ORDINALITY AS e(user_id, ord) WHERE $5::boolean
  ), ${STREAM_EVENTS_FROM_INPUT}`;
