/**
 * The SQL the v2 User Messages endpoints send, for the benchmark's floor server and its seeding.
 * The reads below are copies, because the repository assembles them at run time (filter compiler, paging);
 * src/user-messages/user-messages.sql.spec.ts drives the repository with a recording fake and fails if they
 * drift. The writes are the app's own statements, which the floor imports from src/user-messages/user-messages.sql.ts.
 *
 * Statements per request in the app (auth is a cached token lookup, 0 when warm):
 * - inbox first page: 1 (inboxFirstPageSql)
 * - sent first page: 1 (sentFirstPageSql); group-sent first page: 1 (groupSentFirstPageSql)
 * - filter `unread=true&source=…`: 1 (filterUnreadSourceSql)
 * - unread count: 1 (unreadCountSql)
 * - mark as read (browser): 1, the app's own setFlagSql (src/user-messages/user-messages.sql.ts): flag, `updated`
 *   stream event and the answer in one statement; the floor imports it
 * - create to one user or a group: findAddresseeSql, then one statement that writes the message, its recipients
 *   (a group's members as one INSERT … SELECT) and their e-mails and stream events: the app's own
 *   insertMessageSql (src/user-messages/user-messages.sql.ts), which the floor imports. With an
 *   Idempotency-Key (not benchmarked) the app adds BEGIN, the key's claim, the stored response and COMMIT.
 */

const MESSAGE_COLUMNS = `m.id, m.sender_id AS "senderId", m.sender_email AS "senderEmail", m.receiver_type AS "receiverType",
  m.receiver_id AS "receiverId", m.receiver_email AS "receiverEmail", m.source, m.topic, m.severity,
  m.return_code AS "returnCode", to_char(m."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "timestamp", m.additional_data AS "additionalData",
  m.additional_data_is_object AS "additionalDataIsObject", m.correlation_id AS "correlationId"`;
const VIEW_NAMES = `id, "senderId", "senderEmail", "receiverType", "receiverId", "receiverEmail", source, topic, severity,
  "returnCode", "timestamp", "additionalData", "additionalDataIsObject", "correlationId", "unreadEmail", "unreadBrowser"`;
const ANY_UNREAD_EMAIL = `COALESCE((SELECT true FROM user_message_recipients x WHERE x.message_id = m.id AND x.unread_email LIMIT 1), false)`;
const ANY_UNREAD_BROWSER = `COALESCE((SELECT true FROM user_message_recipients x WHERE x.message_id = m.id AND x.unread_browser LIMIT 1), false)`;
const FIRST_UNREAD = `LEFT JOIN LATERAL (
            SELECT true AS any_unread, x.unread_email, x.unread_browser FROM user_message_recipients x
             WHERE x.message_id = m.id AND (x.unread_browser OR x.unread_email) LIMIT 1) f ON true`;
const SENT_UNREAD_EMAIL = `CASE WHEN f.unread_email THEN true WHEN f.any_unread IS NULL OR m.receiver_type = 'user' THEN false ELSE ${ANY_UNREAD_EMAIL} END`;
const SENT_UNREAD_BROWSER = `CASE WHEN f.unread_browser THEN true WHEN f.any_unread IS NULL OR m.receiver_type = 'user' THEN false ELSE ${ANY_UNREAD_BROWSER} END`;

/** GET /v2/user/me/messages (first page). $1 user id, $2 limit + 1 (101 by default). */
export const inboxFirstPageSql = `SELECT ${MESSAGE_COLUMNS}, r.unread_email AS "unreadEmail", r.unread_browser AS "unreadBrowser"
       FROM user_message_recipients r JOIN user_messages m ON m.id = r.message_id
       WHERE r.user_id = $1 AND TRUE
       ORDER BY r."timestamp" DESC, r.message_id DESC
       LIMIT $2`;

/** GET /v2/user/me/messages/sent (first page). $1 user id, $2 limit + 1. */
export const sentFirstPageSql = `SELECT ${MESSAGE_COLUMNS}, ${SENT_UNREAD_EMAIL} AS "unreadEmail", ${SENT_UNREAD_BROWSER} AS "unreadBrowser"
       FROM user_messages m ${FIRST_UNREAD}
       WHERE m.sender_id = $1 AND TRUE
       ORDER BY m."timestamp" DESC, m.id DESC
       LIMIT $2`;

/** GET /v2/user/me/messages/groupsent (first page). $1 user id, $2 limit + 1. */
export const groupSentFirstPageSql = `SELECT ${MESSAGE_COLUMNS}, ${SENT_UNREAD_EMAIL} AS "unreadEmail", ${SENT_UNREAD_BROWSER} AS "unreadBrowser",
              g.name AS "groupName", g.description AS "groupDescription"
       FROM (SELECT * FROM user_messages m
             WHERE m.sender_id = $1 AND m.receiver_type = 'group' AND TRUE
             ORDER BY m."timestamp" DESC, m.id DESC
             LIMIT $2) m ${FIRST_UNREAD}
       LEFT JOIN groups g ON g.id = m.receiver_id
       ORDER BY m."timestamp" DESC, m.id DESC`;

/** GET /v2/messages?filter=unread=true%26source=… (first page). $1 user id, $2 and $3 the source, $4 limit + 1. */
export const filterUnreadSourceSql = `SELECT ${VIEW_NAMES} FROM (
         (SELECT ${MESSAGE_COLUMNS}, r.unread_email AS "unreadEmail", r.unread_browser AS "unreadBrowser",
                 r."timestamp" AS sort_at, r.message_id AS sort_id
          FROM user_message_recipients r JOIN user_messages m ON m.id = r.message_id
          WHERE r.user_id = $1 AND TRUE AND ((r.unread_browser OR r.unread_email)) AND (r.source = $2::text)
          ORDER BY r."timestamp" DESC, r.message_id DESC LIMIT $4)
         UNION ALL
         (SELECT ${MESSAGE_COLUMNS}, ${SENT_UNREAD_EMAIL} AS "unreadEmail", ${SENT_UNREAD_BROWSER} AS "unreadBrowser",
                 m."timestamp" AS sort_at, m.id AS sort_id
          FROM user_messages m ${FIRST_UNREAD}
          WHERE m.sender_id = $1 AND TRUE AND (COALESCE(f.any_unread, false)) AND (m.source = $3::text)
            AND (m.receiver_type = 'user' AND m.receiver_id <> $1
                 OR (SELECT true FROM user_message_recipients o WHERE o.message_id = m.id AND o.user_id = $1) IS NULL)
          ORDER BY m."timestamp" DESC, m.id DESC LIMIT $4)
       ) AS visible
       ORDER BY sort_at DESC, sort_id DESC
       LIMIT $4`;

/** GET /v2/user/me/messages/unreadcount. $1 user id. */
export const unreadCountSql = `SELECT (count(*) FILTER (WHERE unread_browser))::int AS browser, (count(*) FILTER (WHERE unread_email))::int AS email
       FROM user_message_recipients WHERE user_id = $1 AND (unread_browser OR unread_email)`;

/** Create, before the transaction: is receiver.id a user or a group? $1 receiver id. */
export const findAddresseeSql = `SELECT 'user' AS type, email FROM users WHERE id = $1
       UNION ALL SELECT 'group', NULL FROM groups WHERE id = $1
       LIMIT 1`;

// Ids as bench/lib/fixtures.ts makes them (kept in step by hand: this file imports nothing).
const userIdSql = (n: string) => `md5('bench-user-' || ${n})::uuid`;
const userEmailSql = (n: string) => `'user' || ${n} || '@bench.example'`;
const SERVICE_ID = `md5('bench-service')::uuid`;
const HEAVY_USER_MESSAGES = 10_000;
const OTHER_USERS = 9_999;

/**
 * Seeds `rows` messages over the users 1..10,000 that already exist: user 1 (the heavy user) receives
 * min(rows, 10,000), the rest go round-robin to users 2..10,000 (so at 1,000,000 rows each has ~99).
 * Mostly sent by the service user; 1 in 100 of the others is sent by the heavy user, so its sender-side
 * index is exercised by the filter (seedHeavySenderSql adds what the sent lists need). Timestamps are spread over the last `rows` seconds, interleaving the
 * heavy user's messages with everyone else's; about 1/3 are unread in the browser and 1/5 by e-mail.
 */
export function seedUserMessagesSql(rows: number): string {
  const heavy = Math.min(rows, HEAVY_USER_MESSAGES);
  const receiverNumber = `CASE WHEN g <= ${heavy} THEN 1 ELSE 2 + (g % ${OTHER_USERS}) END`;
  return `
WITH seeded AS (
  INSERT INTO user_messages (id, sender_id, sender_email, receiver_type, receiver_id, receiver_email, source, topic, severity,
                             return_code, "timestamp", additional_data, correlation_id, created_by)
  SELECT md5('bench-user-message-' || g)::uuid,
         CASE WHEN g > ${heavy} AND g % 100 = 0 THEN ${userIdSql('1')} ELSE ${SERVICE_ID} END,
         CASE WHEN g > ${heavy} AND g % 100 = 0 THEN ${userEmailSql('1')} ELSE 'service@bench.example' END,
         'user', ${userIdSql(`(${receiverNumber})`)}, ${userEmailSql(`(${receiverNumber})`)},
         (ARRAY['Import Service', 'Issue Service', 'Model Service', 'Sync Service'])[1 + g % 4],
         'Job ' || (g % 97) || ' finished',
         CASE WHEN g % 50 = 0 THEN 'Error' WHEN g % 10 = 0 THEN 'Warning' ELSE 'Info' END,
         CASE WHEN g % 50 = 0 THEN 'FAILED' ELSE 'OK' END,
         date_trunc('milliseconds', now()) - make_interval(secs => (g::bigint * 7919) % ${Math.max(rows, 1)}),
         CASE WHEN g % 3 = 0 THEN '{"model":"bench.ifc","objects":1234}' END,
         NULL,
         CASE WHEN g > ${heavy} AND g % 100 = 0 THEN ${userIdSql('1')} ELSE ${SERVICE_ID} END
    FROM generate_series(1, ${rows}) g
  RETURNING id, receiver_id, receiver_email, "timestamp", source
)
INSERT INTO user_message_recipients (message_id, user_id, address, unread_email, unread_browser, "timestamp", source)
SELECT id, receiver_id, receiver_email,
       ('x' || substr(id::text, 1, 2))::bit(8)::int % 5 = 0,
       ('x' || substr(id::text, 3, 2))::bit(8)::int % 3 = 0,
       "timestamp", source
  FROM seeded`;
}

const TEAMS = 1_000;
const TEAM_MEMBERS = 5;
const MIN_SENT_PER_KIND = 1_000;

/**
 * What the heavy user sent, for the sent and group-sent lists: max(1,000, rows / 100) messages to users (topping
 * up seedUserMessagesSql's 1 in 100, none at 10,000 rows) and as many to 1,000 groups of 5 (users 2..5,001:
 * small, so the fan-out stays cheap to seed; many, so groups is not a one-page table the planner would rather
 * scan than probe), interleaved over the same `rows` seconds. Half of either first
 * page is then a group message at every scale.
 */
export function seedHeavySenderSql(rows: number): string {
  const perKind = Math.max(MIN_SENT_PER_KIND, Math.floor(rows / 100));
  const seededToUsers = Math.max(0, Math.floor(rows / 100) - Math.floor(Math.min(rows, HEAVY_USER_MESSAGES) / 100));
  const total = perKind + Math.max(0, perKind - seededToUsers);
  const teamIdSql = (n: string) => `md5('bench-team-' || ${n})::uuid`;
  const toGroup = `g <= ${perKind}`;
  return `
INSERT INTO groups (id, name, description)
SELECT ${teamIdSql('t')}, 'Bench team ' || t, 'Team ' || t || ' of the bench' FROM generate_series(1, ${TEAMS}) t;
INSERT INTO group_members (group_id, user_id)
SELECT ${teamIdSql('t')}, ${userIdSql(`(2 + (t - 1) * ${TEAM_MEMBERS} + k)`)} FROM generate_series(1, ${TEAMS}) t, generate_series(0, ${TEAM_MEMBERS - 1}) k;
WITH seeded AS (
  INSERT INTO user_messages (id, sender_id, sender_email, receiver_type, receiver_id, receiver_email, source, topic, severity,
                             return_code, "timestamp", additional_data, correlation_id, created_by)
  SELECT md5('bench-sent-message-' || g)::uuid, ${userIdSql('1')}, ${userEmailSql('1')},
         CASE WHEN ${toGroup} THEN 'group' ELSE 'user' END,
         CASE WHEN ${toGroup} THEN ${teamIdSql(`(1 + g % ${TEAMS})`)} ELSE ${userIdSql(`(2 + g % ${OTHER_USERS})`)} END,
         CASE WHEN ${toGroup} THEN NULL ELSE ${userEmailSql(`(2 + g % ${OTHER_USERS})`)} END,
         (ARRAY['Import Service', 'Issue Service', 'Model Service', 'Sync Service'])[1 + g % 4],
         'Review ' || (g % 89) || ' requested',
         CASE WHEN g % 10 = 0 THEN 'Warning' ELSE 'Info' END,
         'OK',
         date_trunc('milliseconds', now()) - make_interval(secs => (g::bigint * 104729) % ${Math.max(rows, 1)}),
         CASE WHEN g % 3 = 0 THEN '{"model":"bench.ifc","objects":1234}' END,
         NULL,
         ${userIdSql('1')}
    FROM generate_series(1, ${total}) g
  RETURNING id, receiver_type, receiver_id, receiver_email, "timestamp", source
)
INSERT INTO user_message_recipients (message_id, user_id, address, unread_email, unread_browser, "timestamp", source)
SELECT s.id, r.user_id, r.address,
       ('x' || substr(md5(s.id::text || r.user_id::text), 1, 2))::bit(8)::int % 5 = 0,
       ('x' || substr(md5(s.id::text || r.user_id::text), 3, 2))::bit(8)::int % 3 = 0,
       s."timestamp", s.source
  FROM seeded s CROSS JOIN LATERAL (
         SELECT s.receiver_id, s.receiver_email WHERE s.receiver_type = 'user'
         UNION ALL
         SELECT gm.user_id, u.email FROM group_members gm JOIN users u ON u.id = gm.user_id
          WHERE s.receiver_type = 'group' AND gm.group_id = s.receiver_id) AS r(user_id, address)`;
}

/**
 * A group of `members` existing users (1..members), for a harness that does not build one itself
 * (bench/lib/fixtures.ts already does: md5('bench-group'), every user). Idempotent.
 */
export function seedGroupSql(groupIdSql: string, members: number): string {
  return `
INSERT INTO groups (id, name) VALUES (${groupIdSql}, 'Bench group') ON CONFLICT (id) DO NOTHING;
INSERT INTO group_members (group_id, user_id)
SELECT ${groupIdSql}, ${userIdSql('g')} FROM generate_series(1, ${members}) g
ON CONFLICT DO NOTHING`;
}
