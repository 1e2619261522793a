/**
 * The SQL of the delivery outbox: the statement DeliveryOutbox runs in a feature's transaction, and the
 * fragments the v3 and v2 create statements embed as CTEs, so a new message and its deliveries commit
 * in one statement. Plain strings, so the benchmark's floor runs exactly the same SQL.
 */
import { StreamEventType, WebhookEvent } from './delivery.enums';

/**
 * Stream events from `input` (user_id, type, message_id, ord), as CTEs ending in `stream_events`: bumps
 * each user's counter once for all of the user's events (locking the users in id order so two concurrent
 * writers cannot deadlock), then numbers the events under it. One statement for N users; `input` is a CTE
 * the caller defines first.
 */
const STREAM_EVENT_CTES = `counts AS (
    SELECT user_id, count(*) AS n FROM input GROUP BY user_id
  ), bumped AS (
    INSERT INTO user_stream_seqs (user_id, last_seq)
    SELECT user_id, n FROM counts ORDER BY user_id
    ON CONFLICT (user_id) DO UPDATE SET last_seq = user_stream_seqs.last_seq + EXCLUDED.last_seq
    RETURNING user_id, last_seq
  ), stream_events AS (
    INSERT INTO user_stream_events (user_id, seq, type, message_id)
    SELECT i.user_id, b.last_seq - c.n + row_number() OVER (PARTITION BY i.user_id ORDER BY i.ord), i.type, i.message_id
    FROM input i JOIN counts c ON c.user_id = i.user_id JOIN bumped b ON b.user_id = i.user_id
    RETURNING seq
  )`;

/**
 * Queues one `event` webhook event for the rows of `source`, a FROM item with columns (message_id text,
 * account_id int), keeping the rows whose account has a webhook subscribed to the event
 * (ix_webhooks_account_id); no row when none has. An INSERT … RETURNING id that the v3 statements embed as
 * a CTE, so a message (or a batch's confirmations) and its event commit in one statement. One narrow row
 * whatever the batch: the workers fan it out into deliveries (FAN_OUT_WEBHOOK_EVENTS), off the request.
 */
export const insertWebhookEventFrom = (source: string, event: WebhookEvent) => `INSERT INTO webhook_events (event, message_ids, account_ids)
       SELECT '${event}', array_agg(s.message_id), array_agg(s.account_id)
         FROM ${source}
        WHERE EXISTS (SELECT 1 FROM webhooks w WHERE w.account_id = s.account_id AND '${event}' = ANY (w.events))
       HAVING count(*) > 0
       RETURNING id`;

/** Webhook events fanned out per statement (one confirm's event holds up to 1,000 messages). */
export const FAN_OUT_BATCH = 50;

/**
 * Fans out up to FAN_OUT_BATCH waiting webhook events: one delivery per (message, account) pair and webhook of that
 * account subscribed to the event when it happened (a webhook created later gets none, a deactivated account none), then deletes the
 * events, in one statement, so a crash leaves either the event or its deliveries. SKIP LOCKED lets any
 * number of workers share the table. The limit is a constant, not a parameter: a prepared statement's
 * generic plan for `LIMIT $1` guesses a large share of the table. `= ANY (ARRAY(…))`, not `IN (…)`: with
 * IN, the planner hashed the taken ids and scanned the whole table for them (10,000 waiting events). A delivery's created_at is its event's, so delivery latency counts
 * the wait. AMQP webhooks get their own kind, so their loop never waits on a slow HTTP receiver.
 */
export const FAN_OUT_WEBHOOK_EVENTS = `
  WITH taken AS (
    DELETE FROM webhook_events WHERE id = ANY (ARRAY(SELECT id FROM webhook_events ORDER BY id LIMIT ${FAN_OUT_BATCH} FOR UPDATE SKIP LOCKED))
    RETURNING id, event, message_ids, account_ids, created_at
  ), queued AS (
    INSERT INTO deliveries (kind, message_id, account_id, webhook_id, event, created_at)
    SELECT CASE w.transport WHEN 'amqp' THEN 'amqp' ELSE 'webhook' END, p.message_id, w.account_id, w.id, t.event, t.created_at
      FROM taken t CROSS JOIN LATERAL unnest(t.message_ids, t.account_ids) WITH ORDINALITY AS p(message_id, account_id, ord)
      JOIN webhooks w ON w.account_id = p.account_id AND t.event = ANY (w.events) AND w.created_at <= t.created_at
      JOIN accounts a ON a.id = w.account_id AND a.deactivated_at IS NULL
     ORDER BY t.id, p.ord, w.created_at
    RETURNING kind
  )
  SELECT (SELECT count(*) FROM taken)::int AS events, (SELECT count(*) FROM queued)::int AS deliveries`;

/** $1 user ids, $2 event types, $3 message ids (parallel arrays). */
export const INSERT_STREAM_EVENTS = `
  WITH input AS (
    SELECT e.user_id, e.type, e.message_id, e.ord
    FROM unnest($1::uuid[], $2::varchar[], $3::uuid[]) WITH ORDINALITY AS e(user_id, type, message_id, ord)
  ), ${STREAM_EVENT_CTES}
  SELECT count(*)::int AS events FROM stream_events`;

/**
 * `type` events on the streams of the rows of `source` (a CTE name or a parenthesised SELECT with columns
 * user_id, message_id) that pass `where`, as CTEs for a feature's own statement.
 */
export const streamEventsFrom = (source: string, type: StreamEventType, where = 'true') => `input AS (
    SELECT s.user_id, '${type}'::varchar AS type, s.message_id, row_number() OVER () AS ord FROM ${source} s WHERE ${where}
  ), ${STREAM_EVENT_CTES}`;

/**
 * A new v2 message's deliveries, as CTEs for the statement that inserts the message and its recipients
 * (src/user-messages/user-messages.sql.ts), so all of it commits in one statement: one e-mail per row of
 * `recipients` (a CTE with user_id, address) when `email` is true, and one `message` event on each
 * recipient's stream when `push` is true (both boolean SQL expressions). `messageId`: a uuid SQL expression.
 */
export const newMessageDeliveriesFrom = (recipients: string, messageId: string, email: string, push: string) => `emails AS (
    INSERT INTO deliveries (kind, message_id, user_id, address)
    SELECT 'email', (${messageId})::text, r.user_id, r.address FROM ${recipients} r WHERE ${email}
  ), ${streamEventsFrom(`(SELECT r.user_id, ${messageId} AS message_id FROM ${recipients} r)`, StreamEventType.Message, push)}`;
