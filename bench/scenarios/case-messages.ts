/**
 * The SQL the v3 Case Messages endpoints send, for the benchmark's floor server and its seeding.
 * The statements are the app's own (src/case-messages/case-messages.sql.ts), imported rather than
 * copied, so the floor always runs exactly what the endpoints run.
 *
 * Statements per request in the app: list 1, feed 1, confirm 1, create 1 (createSql, which also queues
 * the webhook delivery; a retry that raced a concurrent twin adds findByExternalIdSql). Auth is a cached token lookup (0 when warm).
 */
import {
  CONFIRM_SQL as confirmSql,
  CREATE_SQL as createSql,
  feedSql as appFeedSql,
  FIND_BY_EXTERNAL_ID_SQL as findByExternalIdSql,
  LIST_SQL as listSql,
} from '../../src/case-messages/case-messages.sql';

import { AccountType } from '../../src/directory/directory.enums';

export { confirmSql, createSql, findByExternalIdSql, listSql };

/** Side of the caller, as in accounts.type. */
export type Side = 'partner' | 'provider';

export const feedSql = (side: Side, unconfirmedOnly: boolean): string => appFeedSql(side as AccountType, unconfirmedOnly);

/** The four benchmarked statements, as one object. */
export const caseMessageStatements = { listSql, createSql, confirmSql, feedSql };

/**
 * Seeds `totalMessages` messages spread round-robin over the first `cases` cases (by id), so with
 * 1,000,000 over 20,000 every case (the list target too) holds 50. Needs accounts and cases. Senders
 * alternate partner/provider with every 20th from the system; every 10th (by id) is already confirmed (by
 * the receiving side), the rest are left for the confirm and `unconfirmed` workloads, and in the receiving
 * accounts' unconfirmed queues (case_message_unconfirmed). Three statements (simple protocol, no
 * parameters). Run ANALYZE after.
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
                           type, content, external_id, declared_at, created_at, updated_at)
SELECT c.id, c.guid, c.partner_account_id, c.provider_account_id,
       CASE g.side WHEN 'partner' THEN c.partner_account_id WHEN 'provider' THEN c.provider_account_id END,
       g.side,
       (ARRAY['serviceComment','customerCenterReply','statusRequest','spareParts','reminder','costProposal','shipment','forwarding'])[1 + g.g % 8],
       'Seeded message ' || g.g || ': the spare part has been ordered and will arrive next week.',
       CASE WHEN g.g % 3 = 0 THEN 'seed-' || g.g END,
       ts, ts, ts
  FROM g
  JOIN c ON c.k = (g.g - 1) % ${m}
  CROSS JOIN LATERAL (SELECT date_trunc('milliseconds', now()) - make_interval(secs => ${n} - g.g) AS ts) t
 ORDER BY g.g;
INSERT INTO case_message_confirmations (message_id, confirmed_at, confirmed_by_account_id)
SELECT id, created_at, CASE sender_type WHEN 'partner' THEN provider_account_id ELSE partner_account_id END
  FROM case_messages WHERE id % 10 = 0 ORDER BY id;
INSERT INTO case_message_unconfirmed (account_id, message_id)
SELECT s.account_id, m.id
  FROM case_messages m
 CROSS JOIN LATERAL (VALUES (m.partner_account_id, 'partner'), (m.provider_account_id, 'provider')) AS s(account_id, side)
 WHERE NOT EXISTS (SELECT 1 FROM case_message_confirmations k WHERE k.message_id = m.id) AND m.sender_type IS DISTINCT FROM s.side
 ORDER BY 1, 2`;
}
