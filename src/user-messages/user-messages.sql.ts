import { isoTimestampSql } from '../common/iso-timestamp';
import { newMessageDeliveriesFrom, streamEventsFrom } from '../delivery/delivery-outbox.sql';
import { StreamEventType } from '../delivery/delivery.enums';
import { ReceiverType } from './user-messages.enums';

/**
 * The user_messages columns (alias `m`) as UserMessageView's property names, the timestamp as the API's ISO
 * string (see isoTimestampSql); also read by delivery.
 */
export const USER_MESSAGE_COLUMNS = `m.id, m.sender_id AS "senderId", m.sender_email AS "senderEmail", m.receiver_type AS "receiverType",
  m.receiver_id AS "receiverId", m.receiver_email AS "receiverEmail", m.source, m.topic, m.severity,
  m.return_code AS "returnCode", ${isoTimestampSql('m."timestamp"')} AS "timestamp", m.additional_data AS "additionalData",
  m.additional_data_is_object AS "additionalDataIsObject", m.correlation_id AS "correlationId"`;

/** A UserMessageView's columns by name, for a query that selects from a subquery of USER_MESSAGE_COLUMNS and the flags. */
export const VIEW_NAMES = `id, "senderId", "senderEmail", "receiverType", "receiverId", "receiverEmail", source, topic, severity,
  "returnCode", "timestamp", "additionalData", "additionalDataIsObject", "correlationId", "unreadEmail", "unreadBrowser"`;

/**
 * Who receives a new message: the user (with the message's receiver e-mail, $6), or every member of the group
 * now who is not deactivated.
 */
const RECIPIENTS: Record<ReceiverType, string> = {
  [ReceiverType.User]: `SELECT u.id, COALESCE($6::varchar, u.email) FROM users u WHERE u.id = $5`,
  [ReceiverType.Group]: `SELECT gm.user_id, u.email FROM group_members gm JOIN users u ON u.id = gm.user_id WHERE gm.group_id = $5 AND u.deactivated_at IS NULL`,
};

/**
 * The recipients that get an e-mail and a push: a deactivated user addressed directly keeps the message in
 * the inbox (data stays) but is sent nothing; a group's recipients are all active already.
 */
const NOTIFIED: Record<ReceiverType, { cte: string; name: string }> = {
  [ReceiverType.User]: { cte: `notified AS (SELECT r.user_id, r.address FROM recipients r JOIN users u ON u.id = r.user_id WHERE u.deactivated_at IS NULL), `, name: 'notified' },
  [ReceiverType.Group]: { cte: '', name: 'recipients' },
};

/**
 * Create, in ONE statement (its own transaction unless the caller opened one): the message, one recipient
 * row per addressee (a user, or each member of a group, as a single INSERT … SELECT however large the
 * group), and — through the delivery outbox's fragment — the recipients' e-mails and stream events.
 * $1 new id, $2 sender id, $3 sender email, $4 'user'|'group', $5 receiver id, $6 receiver email (NULL for
 * a group), $7 source, $8 topic, $9 severity (canonical), $10 returnCode, $11 additionalData,
 * $12 correlationId, $13 the caller's id, $14 unreadEmail, $15 unreadBrowser, $16 whether $11 is an object's JSON.
 * One row: the stored timestamp and how many recipients were written.
 */
export function insertMessageSql(receiverType: ReceiverType): string {
  return `
WITH m AS (
  INSERT INTO user_messages (id, sender_id, sender_email, receiver_type, receiver_id, receiver_email, source, topic, severity,
                             return_code, "timestamp", additional_data, correlation_id, created_by, additional_data_is_object)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), $11, $12, $13, $16)
  RETURNING id, "timestamp", source
), recipients AS (
  INSERT INTO user_message_recipients (message_id, user_id, address, unread_email, unread_browser, "timestamp", source)
  SELECT m.id, s.user_id, s.address, $14::boolean, $15::boolean, m."timestamp", m.source FROM m, (${RECIPIENTS[receiverType]}) AS s(user_id, address)
  RETURNING user_id, address
), ${NOTIFIED[receiverType].cte}${newMessageDeliveriesFrom(NOTIFIED[receiverType].name, '(SELECT id FROM m)', '$14::boolean', '$15::boolean')}
SELECT ${isoTimestampSql('m."timestamp"')} AS "timestamp", (SELECT count(*) FROM recipients)::int AS recipients FROM m`;
}

/**
 * Mark: sets one of the caller's flags and records an `updated` event on the caller's stream, in one
 * statement. $1 message id, $2 user id, $3 the flag's new value. One row, the message as the caller now
 * sees it (its flags from the UPDATE's RETURNING: the statement's own reads would see the old row), or
 * none when the caller holds no recipient row.
 */
export function setFlagSql(column: 'unread_email' | 'unread_browser'): string {
  return `
WITH changed AS (
  UPDATE user_message_recipients SET ${column} = $3 WHERE message_id = $1 AND user_id = $2
  RETURNING message_id, user_id, unread_email, unread_browser
), ${streamEventsFrom('changed', StreamEventType.Updated)}
SELECT ${USER_MESSAGE_COLUMNS}, c.unread_email AS "unreadEmail", c.unread_browser AS "unreadBrowser"
  FROM changed c JOIN user_messages m ON m.id = c.message_id`;
}

/**
 * Mark all: clears one flag on every unread message of the user and records one `updated` event per
 * changed message on the user's stream, in one statement. $1 user id. One row: how many changed.
 */
export function markAllReadSql(column: 'unread_email' | 'unread_browser'): string {
  return `
WITH changed AS (
  UPDATE user_message_recipients SET ${column} = false WHERE user_id = $1 AND ${column}
  RETURNING message_id, user_id
), ${streamEventsFrom('changed', StreamEventType.Updated)}
SELECT count(*)::int AS updated FROM changed`;
}

/**
 * New content for a message, with an `updated` event on the stream of each recipient still holding it, in
 * one statement. $1 message id, $2 additional_data, $3 whether $2 is an object's JSON. One row: whether the
 * message was still there.
 */
export const UPDATE_ADDITIONAL_DATA_SQL = `
WITH changed AS (
  UPDATE user_messages SET additional_data = $2, additional_data_is_object = $3 WHERE id = $1 RETURNING id
), ${streamEventsFrom('(SELECT r.user_id, r.message_id FROM user_message_recipients r JOIN changed c ON c.id = r.message_id)', StreamEventType.Updated)}
SELECT EXISTS (SELECT 1 FROM changed) AS updated`;
