import { insertWebhookEventFrom } from '../delivery/delivery-outbox.sql';
import { WebhookEvent } from '../delivery/delivery.enums';
import { isoTimestampSql } from '../common/iso-timestamp';
import { AccountType } from '../directory/directory.enums';

/**
 * Every statement the v3 endpoints send, in one place so the count per request stays visible and
 * the benchmark (bench/scenarios/case-messages.ts) can run exactly the same SQL. Columns are
 * aliased to CaseMessage's property names and timestamps come as ISO strings, so a row is already a
 * CaseMessageRow.
 */

/**
 * A message and its confirmation if it has one: every read of a whole message goes through this, with the
 * columns below (aliases m and k). A confirmation is a row of its own (migration 1795367000000). Looked up per
 * message by primary key: as a plain join, the planner hashed the whole confirmations table (a sequential scan)
 * to show one case's 50 messages while that table was small; the LIMIT keeps the subquery a per-row probe.
 */
export const CASE_MESSAGE_SOURCE = `case_messages m LEFT JOIN LATERAL (
    SELECT message_id, confirmed_at, confirmed_by_account_id FROM case_message_confirmations WHERE message_id = m.id LIMIT 1
  ) k ON true`;

/** A message's columns, aliased to CaseMessageRow's names; `updatedAt` is the later of creation and confirmation. */
function messageColumns(confirmedAt: string, confirmedBy: string): string {
  return `m.id, m.case_id AS "caseId", m.case_guid AS "caseGuid", m.partner_account_id AS "partnerAccountId",
  m.provider_account_id AS "providerAccountId", m.sender_account_id AS "senderAccountId", m.sender_type AS "senderType",
  m.parent_message_id AS "parentMessageId", m.type, m.content, m.external_id AS "externalId", m.user_email AS "userEmail",
  m.user_name AS "userName", m.is_internal AS "isInternal", ${isoTimestampSql('m.declared_at')} AS "declaredAt", ${isoTimestampSql(confirmedAt)} AS "confirmedAt",
  ${confirmedBy} AS "confirmedByAccountId", ${isoTimestampSql('m.created_at')} AS "createdAt",
  ${isoTimestampSql(`GREATEST(m.updated_at, ${confirmedAt})`)} AS "updatedAt"`;
}

/** The columns of a message read from CASE_MESSAGE_SOURCE. */
export const CASE_MESSAGE_COLUMNS = messageColumns('k.confirmed_at', 'k.confirmed_by_account_id');

/**
 * The columns of a message known to be unconfirmed without reading its confirmation: one just inserted, or
 * one the reader holds in its unconfirmed queue (the confirm statement empties the queue as it confirms).
 */
const UNCONFIRMED_MESSAGE_COLUMNS = messageColumns('NULL::timestamptz', 'NULL::int');

/**
 * List: one statement. $1 case guid, $2 caller account id, $3 afterId, $4 unconfirmed only,
 * $5 limit (NULL = all). The other party's internal messages are left out. No row: no such case. Otherwise one row per message, or one row with a NULL
 * id when there is none to show (or `allowed` is false), so one round trip also tells "not found"
 * from "no access".
 */
export const LIST_SQL = `
WITH c AS (
  SELECT id, (partner_account_id = $2 OR provider_account_id = $2) AS allowed FROM cases WHERE guid = $1::uuid
)
SELECT c.id AS "foundCaseId", c.allowed, x.*
  FROM c
  LEFT JOIN LATERAL (
    SELECT ${CASE_MESSAGE_COLUMNS} FROM ${CASE_MESSAGE_SOURCE}
     WHERE m.case_id = c.id AND c.allowed AND m.id > $3 AND ($4::boolean IS NOT TRUE OR k.message_id IS NULL)
       AND (NOT m.is_internal OR m.sender_account_id = $2)
     ORDER BY m.id LIMIT $5
  ) x ON true`;

/**
 * Whether a row's writer (writer_xid) finished before every transaction of this database that is still running:
 * then no message id below the row's can still commit. Transaction ids are server-wide, so first the cheap test
 * against the oldest transaction still running anywhere (the snapshot's xmin); only a row that fails it pays for
 * the second, which leaves out the transactions that pg_stat_activity shows running in other databases (they
 * cannot write here; one that finished meanwhile is kept, which only delays). Each bound is an InitPlan,
 * computed once per statement and only when a row needs it.
 */
const SETTLED = `CASE WHEN m.writer_xid < (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint) THEN true
    ELSE m.writer_xid < (
      SELECT COALESCE(min(x.xid::text::bigint), pg_snapshot_xmax(pg_current_snapshot())::text::bigint)
        FROM pg_snapshot_xip(pg_current_snapshot()) AS x(xid)
       WHERE x.xid::xid NOT IN (
         SELECT a.backend_xid FROM pg_stat_get_activity(NULL) a
          WHERE a.backend_xid IS NOT NULL AND a.datid <> (SELECT datid FROM pg_stat_get_activity(pg_backend_pid()))))
  END AS settled`;

/**
 * Create: one statement — its own transaction — that finds the case, checks access and the parent,
 * inserts, adds the message to the receiving account's unconfirmed queue, queues the message.created
 * webhook event for the receiving party (the delivery outbox's fragment), and (for a retry whose original the
 * statement's snapshot can see) returns the stored message instead. An internal message is neither
 * queued nor announced: the other party never sees it. A reply must answer a message the sender can see.
 * $1 guid, $2 sender account id, $3 sender type, $4 type, $5 content, $6 externalId,
 * $7 parentMessageId, $8 userEmail, $9 userName, $10 declaredAt (NULL = now), $11 isInternal.
 * No row: case not found. `inserted` true: new message; false: stored one; NULL with `allowed`
 * and `parentOk`: a concurrent twin won the unique index after our snapshot — read it again.
 * `webhookEventQueued`: whether the statement queued a webhook event (the receiving account subscribes).
 */
export const CREATE_SQL = `
WITH c AS (
  SELECT id, guid, partner_account_id, provider_account_id,
         (partner_account_id = $2 OR provider_account_id = $2) AS allowed,
         ($7::int IS NULL OR EXISTS (
           SELECT 1 FROM case_messages p WHERE p.id = $7::int AND p.case_id = cases.id AND (NOT p.is_internal OR p.sender_account_id = $2)
         )) AS parent_ok
    FROM cases WHERE guid = $1::uuid
), ok AS (
  -- The transaction id and the message id together, before anything is written (see feedSql).
  SELECT *, next_case_message_id() AS new_id FROM c WHERE allowed AND parent_ok
), ins AS (
  INSERT INTO case_messages AS m (id, writer_xid, case_id, case_guid, partner_account_id, provider_account_id, sender_account_id, sender_type,
                             parent_message_id, type, content, external_id, user_email, user_name, is_internal, declared_at, created_at, updated_at)
  SELECT ok.new_id, pg_current_xact_id()::text::bigint, ok.id, ok.guid, ok.partner_account_id, ok.provider_account_id, $2, $3, $7, $4, $5, $6, $8, $9, $11::boolean,
         COALESCE($10::timestamptz, date_trunc('milliseconds', now())), date_trunc('milliseconds', now()), date_trunc('milliseconds', now())
    FROM ok
  ON CONFLICT (case_id, sender_account_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
  RETURNING ${UNCONFIRMED_MESSAGE_COLUMNS}, true AS inserted
), unconfirmed AS (
  -- The receiving account(s) — the other party, or both for a message from the system — until it is confirmed.
  INSERT INTO case_message_unconfirmed (account_id, message_id)
  SELECT s.account_id, ins.id
    FROM ins CROSS JOIN LATERAL (VALUES (ins."partnerAccountId", 'partner'), (ins."providerAccountId", 'provider')) AS s(account_id, side)
   WHERE ins."senderType" IS DISTINCT FROM s.side AND NOT ins."isInternal"
), hook AS (
  ${insertWebhookEventFrom(`(SELECT id::text, CASE "senderType" WHEN 'partner' THEN "providerAccountId" ELSE "partnerAccountId" END FROM ins WHERE NOT "isInternal") AS s(message_id, account_id)`, WebhookEvent.MessageCreated)}
), prev AS (
  SELECT ${CASE_MESSAGE_COLUMNS}, false AS inserted FROM ${CASE_MESSAGE_SOURCE}
   WHERE $6::varchar IS NOT NULL AND m.case_id = (SELECT id FROM ok) AND m.sender_account_id = $2 AND m.external_id = $6
), message AS (
  SELECT * FROM ins UNION ALL SELECT * FROM prev
)
SELECT c.allowed, c.parent_ok AS "parentOk", EXISTS (SELECT FROM hook) AS "webhookEventQueued", message.* FROM c LEFT JOIN message ON true`;

/** The stored message behind an idempotency key. $1 case guid, $2 sender account id, $3 externalId. */
export const FIND_BY_EXTERNAL_ID_SQL = `
SELECT ${CASE_MESSAGE_COLUMNS} FROM ${CASE_MESSAGE_SOURCE}
 WHERE m.case_id = (SELECT id FROM cases WHERE guid = $1::uuid) AND m.sender_account_id = $2 AND m.external_id = $3`;

/**
 * Feed for one side: what the other side or the system sent on the caller's cases, keyset on id; never
 * an internal message (the other side's are not the caller's to see). The literal predicate matches a partial index on (side_account_id, id). The keyset is
 * written as a row comparison, `(side_account_id, id) > ($1, $2) AND side_account_id <= $1`, which
 * means exactly `side_account_id = $1 AND id > $2` but can only be ordered by that index: with the
 * plain equality the planner (at 1,000,000 rows, 20 accounts per side) walked the primary key from
 * $2 and filtered out ~3,900 other accounts' rows per page (1.6 ms warm instead of 0.1 ms).
 * `unconfirmed=true` walks the caller's rows of case_message_unconfirmed instead (its primary key is
 * (account_id, message_id), so the same keyset is one range scan) and fetches each message by id; a
 * message in the queue is unconfirmed (the confirm statement removes it as it confirms), so its
 * confirmation is not read.
 * Order: a transaction draws its message id while it is still open, so a smaller id can commit after a larger
 * one, and a reader that moved past the larger would never see the smaller. Every create gets its transaction id
 * and its message id in one step (next_case_message_id(), migration 1795410000000), so both orders agree, and
 * each row says whether its writer is older than every transaction of this database still running (SETTLED). Settled rows
 * come first, in id order: the caller shows those and leaves the rest for a later read, when their writers and
 * every older one have finished.
 * $1 caller account id, $2 afterId, $3 limit.
 */
export function feedSql(side: AccountType, unconfirmedOnly: boolean): string {
  if (unconfirmedOnly) {
    return `
SELECT ${UNCONFIRMED_MESSAGE_COLUMNS}, ${SETTLED}
  FROM case_message_unconfirmed u JOIN case_messages m ON m.id = u.message_id
 WHERE u.account_id = $1::int AND u.message_id > $2::int
 ORDER BY u.message_id LIMIT $3`;
  }
  return `
SELECT ${CASE_MESSAGE_COLUMNS}, ${SETTLED} FROM ${CASE_MESSAGE_SOURCE}
 WHERE (m.${side}_account_id, m.id) > ($1::int, $2::int) AND m.${side}_account_id <= $1::int
   AND m.sender_type IS DISTINCT FROM '${side}' AND NOT m.is_internal
 ORDER BY m.${side}_account_id, m.id LIMIT $3`;
}

/**
 * Confirm a batch in one statement: classify every id, record a confirmation for each one the caller may
 * confirm (the confirmations' primary key keeps the first: a later or concurrent confirm of the same message
 * inserts nothing and reports it as already confirmed), remove those from the unconfirmed queue, and report
 * per id in input order. Message rows are only read: appending to the narrow confirmations table writes a
 * handful of pages where updating the messages wrote ~100 (migration 1795367000000). The other party's
 * internal message does not exist for the caller: 'Not found'. The newly confirmed messages whose sender
 * subscribes to message.confirmed go into one webhook event row for the whole batch, in the same statement
 * (the workers fan it out into deliveries), so a batch of 1,000 writes one row, not 1,000 per webhook; a
 * re-confirm inserts no confirmation and so queues nothing. Each row carries `webhookEventQueued`.
 * $1 int[] of distinct ids, $2 caller account id, $3 caller side.
 */
export const CONFIRM_SQL = `
WITH input AS (
  SELECT t.id, t.ord FROM unnest($1::int[]) WITH ORDINALITY AS t(id, ord)
), checked AS (
  SELECT i.id, i.ord, m.partner_account_id, m.provider_account_id, m.sender_account_id,
         CASE WHEN m.id IS NULL OR (m.is_internal AND m.sender_account_id IS DISTINCT FROM $2) THEN 'Not found'
              WHEN m.partner_account_id <> $2 AND m.provider_account_id <> $2 THEN 'No access'
              WHEN m.sender_type = $3 THEN 'Own message' END AS error
    FROM input i LEFT JOIN case_messages m ON m.id = i.id
), confirmed AS (
  -- Inserted in id order, whatever the input order: two overlapping batches then wait on each other's
  -- keys in the same order and cannot deadlock.
  INSERT INTO case_message_confirmations (message_id, confirmed_at, confirmed_by_account_id)
  SELECT id, date_trunc('milliseconds', now()), $2 FROM checked WHERE error IS NULL ORDER BY id
  ON CONFLICT (message_id) DO NOTHING
  RETURNING message_id
), dequeued AS (
  -- Out of the unconfirmed queue of both parties (only the receiving ones hold a row). Explicit
  -- (account, message) pairs, so each is one probe of the queue's primary key.
  DELETE FROM case_message_unconfirmed u
   USING confirmed f JOIN checked c ON c.id = f.message_id
   CROSS JOIN LATERAL (VALUES (c.partner_account_id), (c.provider_account_id)) AS s(account_id)
   WHERE u.account_id = s.account_id AND u.message_id = f.message_id
), hook AS (
  ${insertWebhookEventFrom(`(SELECT f.message_id::text, c.sender_account_id FROM confirmed f JOIN checked c ON c.id = f.message_id) AS s(message_id, account_id)`, WebhookEvent.MessageConfirmed)}
)
SELECT c.id, c.error, (f.message_id IS NOT NULL) AS confirmed, EXISTS (SELECT FROM hook) AS "webhookEventQueued"
  FROM checked c LEFT JOIN confirmed f ON f.message_id = c.id
 ORDER BY c.ord`;
