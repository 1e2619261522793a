/**
 * The SQL the v3 Case Messages endpoints send, for the benchmark's floor server and its seeding.
 * Self-contained on purpose (the harness must not load the app); src/case-messages/case-messages.sql.spec.ts
 * fails if these copies drift from src/case-messages/case-messages.sql.ts.
 *
 * Statements per request in the app: list 1, feed 1, confirm 1; create = BEGIN + createSql + the
 * delivery outbox's webhook insert + COMMIT (a retry whose original is visible: the same; a retry
 * that raced a concurrent twin adds findByExternalIdSql). Auth is a cached token lookup (0 when warm).
 */

/** Side of the caller, as in accounts.type. */
export type Side = 'partner' | 'provider';

const COLUMNS = `id, case_id AS "caseId", case_guid AS "caseGuid", partner_account_id AS "partnerAccountId",
  provider_account_id AS "providerAccountId", sender_account_id AS "senderAccountId", sender_type AS "senderType",
  parent_message_id AS "parentMessageId", type, content, external_id AS "externalId", user_email AS "userEmail",
  user_name AS "userName", declared_at AS "declaredAt", confirmed_at AS "confirmedAt",
  confirmed_by_account_id AS "confirmedByAccountId", created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * List a case. $1 case guid (text, cast to uuid), $2 caller account id, $3 afterId (0 = from start),
 * $4 unconfirmed only (boolean), $5 limit (NULL = all). No rows: case not found; first row
 * `allowed` false: no access; a single row with id NULL: the case has no messages.
 */
export const listSql = `
WITH c AS (
  SELECT id, (partner_account_id = $2 OR provider_account_id = $2) AS allowed FROM cases WHERE guid = $1::uuid
)
SELECT c.id AS "foundCaseId", c.allowed, m.*
  FROM c
  LEFT JOIN LATERAL (
    SELECT ${COLUMNS} FROM case_messages
     WHERE case_id = c.id AND c.allowed AND id > $3 AND ($4::boolean IS NOT TRUE OR confirmed_at IS NULL)
     ORDER BY id LIMIT $5
  ) m ON true`;

/**
 * Create (run inside BEGIN … COMMIT together with the outbox insert). $1 guid, $2 sender account id,
 * $3 sender side, $4 type, $5 content, $6 externalId (NULL = none), $7 parentMessageId (NULL = none),
 * $8 userEmail, $9 userName, $10 declaredAt (ISO text; NULL = now). No row: case not found; `allowed`
 * false: 403; `parentOk` false: 400; `inserted` true: new row (enqueue the webhook to the other
 * party); false: the stored twin; NULL: a concurrent twin committed after our snapshot (read it with
 * findByExternalIdSql).
 */
export const createSql = `
WITH c AS (
  SELECT id, guid, partner_account_id, provider_account_id,
         (partner_account_id = $2 OR provider_account_id = $2) AS allowed,
         ($7::int IS NULL OR EXISTS (SELECT 1 FROM case_messages p WHERE p.id = $7::int AND p.case_id = cases.id)) AS parent_ok
    FROM cases WHERE guid = $1::uuid
), ok AS (
  SELECT * FROM c WHERE allowed AND parent_ok
), ins AS (
  INSERT INTO case_messages (case_id, case_guid, partner_account_id, provider_account_id, sender_account_id, sender_type,
                             parent_message_id, type, content, external_id, user_email, user_name, declared_at, created_at, updated_at)
  SELECT ok.id, ok.guid, ok.partner_account_id, ok.provider_account_id, $2, $3, $7, $4, $5, $6, $8, $9,
         COALESCE($10::timestamptz, date_trunc('milliseconds', now())), date_trunc('milliseconds', now()), date_trunc('milliseconds', now())
    FROM ok
  ON CONFLICT (case_id, sender_account_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
  RETURNING ${COLUMNS}, true AS inserted
), prev AS (
  SELECT ${COLUMNS}, false AS inserted FROM case_messages
   WHERE $6::varchar IS NOT NULL AND case_id = (SELECT id FROM ok) AND sender_account_id = $2 AND external_id = $6
), m AS (
  SELECT * FROM ins UNION ALL SELECT * FROM prev
)
SELECT c.allowed, c.parent_ok AS "parentOk", m.* FROM c LEFT JOIN m ON true`;

/** The stored message of an idempotency key. $1 case guid, $2 sender account id, $3 externalId. */
export const findByExternalIdSql = `
SELECT ${COLUMNS} FROM case_messages
 WHERE case_id = (SELECT id FROM cases WHERE guid = $1::uuid) AND sender_account_id = $2 AND external_id = $3`;

/**
 * Feed page for one side: what the other side or the system sent, keyset on id (a partial index
 * per side and variant). $1 caller account id, $2 afterId, $3 limit (default 100, max 1000).
 */
export function feedSql(side: Side, unconfirmedOnly: boolean): string {
  return `
SELECT ${COLUMNS} FROM case_messages
 WHERE ${side}_account_id = $1 AND sender_type IS DISTINCT FROM '${side}'${unconfirmedOnly ? ' AND confirmed_at IS NULL' : ''} AND id > $2
 ORDER BY id LIMIT $3`;
}

/**
 * Confirm a batch. $1 int[] of distinct ids (dedupe first, keep first-seen order), $2 caller account id,
 * $3 caller side. One row per id in input order: `error` ('Not found' | 'No access' | 'Own message' |
 * NULL) and `confirmed` (true: confirmed now; false with no error: already confirmed before).
 */
export const confirmSql = `
WITH input AS (
  SELECT t.id, t.ord FROM unnest($1::int[]) WITH ORDINALITY AS t(id, ord)
), checked AS (
  SELECT i.id, i.ord,
         CASE WHEN m.id IS NULL THEN 'Not found'
              WHEN m.partner_account_id <> $2 AND m.provider_account_id <> $2 THEN 'No access'
              WHEN m.sender_type = $3 THEN 'Own message' END AS error
    FROM input i LEFT JOIN case_messages m ON m.id = i.id
), confirmed AS (
  UPDATE case_messages m
     SET confirmed_at = date_trunc('milliseconds', now()), updated_at = date_trunc('milliseconds', now()), confirmed_by_account_id = $2
    FROM checked k
   WHERE m.id = k.id AND k.error IS NULL AND m.confirmed_at IS NULL
  RETURNING m.id
)
SELECT k.id, k.error, (f.id IS NOT NULL) AS confirmed
  FROM checked k LEFT JOIN confirmed f ON f.id = k.id
 ORDER BY k.ord`;

/** The four benchmarked statements, as one object. */
export const caseMessageStatements = { listSql, createSql, confirmSql, feedSql };

/**
 * Seeds `totalMessages` messages spread round-robin over the first `cases` cases (by id), so with
 * 1,000,000 over 20,000 every case (the list target too) holds 50. Needs accounts and cases. Senders
 * alternate partner/provider with every 20th from the system; every 4th is already confirmed (by the
 * receiving side), the rest are left for the confirm and `unconfirmed` workloads. Run ANALYZE after.
 */
export function seedCaseMessagesSql(totalMessages: number, cases: number): string {
  const n = Math.floor(totalMessages);
  const m = Math.max(1, Math.floor(cases));
  return `
WITH c AS (
  SELECT id, guid, partner_account_id, provider_account_id, row_number() OVER (ORDER BY id) - 1 AS k
    FROM cases ORDER BY id LIMIT ${m}
), g AS (
  SELECT g, CASE WHEN g % 20 = 7 THEN NULL WHEN g % 2 = 0 THEN 'partner' ELSE 'provider' END AS side
    FROM generate_series(1, ${n}) g
)
INSERT INTO case_messages (case_id, case_guid, partner_account_id, provider_account_id, sender_account_id, sender_type,
                           type, content, external_id, declared_at, confirmed_at, confirmed_by_account_id, created_at, updated_at)
SELECT c.id, c.guid, c.partner_account_id, c.provider_account_id,
       CASE g.side WHEN 'partner' THEN c.partner_account_id WHEN 'provider' THEN c.provider_account_id END,
       g.side,
       (ARRAY['serviceComment','customerCenterReply','statusRequest','spareParts','reminder','costProposal','shipment','forwarding'])[1 + g.g % 8],
       'Seeded message ' || g.g || ': the spare part has been ordered and will arrive next week.',
       CASE WHEN g.g % 3 = 0 THEN 'seed-' || g.g END,
       ts, CASE WHEN g.g % 4 = 0 THEN ts END,
       CASE WHEN g.g % 4 = 0 THEN CASE g.side WHEN 'partner' THEN c.provider_account_id ELSE c.partner_account_id END END,
       ts, ts
  FROM g
  JOIN c ON c.k = (g.g - 1) % ${m}
  CROSS JOIN LATERAL (SELECT date_trunc('milliseconds', now()) - make_interval(secs => ${n} - g.g) AS ts) t
 ORDER BY g.g`;
}
