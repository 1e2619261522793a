import { Injectable } from '@nestjs/common';
import { Transaction } from '../database/transactions';

/** Stands in for an erased user in NOT NULL id columns of messages that stay (the nil UUID). */
export const ERASED_USER_ID = '00000000-0000-0000-0000-000000000000';
const ERASED = '[erased]';

/** How many rows each step of an erasure removed or rewrote. */
export interface ErasureCounts {
  tokens: number;
  groupMemberships: number;
  recipientRows: number;
  deliveries: number;
  streamEvents: number;
  sentMessagesScrubbed: number;
  receivedMessagesScrubbed: number;
  caseMessagesScrubbed: number;
  idempotencyKeys: number;
  auditEntriesScrubbed: number;
}

/** The person to erase: their id, their e-mail address, and the pseudonym audit entries keep instead of the id. */
export interface ErasureSubject {
  id: string;
  email: string;
  auditTarget: string;
}

/**
 * Removes a user and every stored copy of their id and e-mail address, in the caller's transaction (one
 * statement per table). The user's own rows are found on their indexes; the copies other rows hold
 * (messages they sent or were sent, case messages naming their address, stored idempotent responses, audit
 * details) are found by scanning those tables: erasure is rare, and an index for it would cost every insert.
 */
@Injectable()
export class UserErasureRepository {
  /** Locks the user's row until the transaction ends; undefined when there is none. */
  async lockUser(tx: Transaction, id: string): Promise<{ id: string; email: string } | undefined> {
    const [row] = await tx.manager.query(`SELECT id, email FROM users WHERE id = $1 FOR UPDATE`, [id]);
    return row;
  }

  async erase(tx: Transaction, subject: ErasureSubject): Promise<ErasureCounts> {
    const count = (sql: string, params: unknown[]) => this.count(tx, sql, params);
    const { id, email } = subject;
    const tokens = await count(`DELETE FROM api_tokens WHERE user_id = $1`, [id]);
    const groupMemberships = await count(`DELETE FROM group_members WHERE user_id = $1`, [id]);
    const recipientRows = await count(`DELETE FROM user_message_recipients WHERE user_id = $1`, [id]);
    // Attempt logs go with their delivery (ON DELETE CASCADE).
    const deliveries = await count(`DELETE FROM deliveries WHERE user_id = $1`, [id]);
    const streamEvents = await count(`DELETE FROM user_stream_events WHERE user_id = $1`, [id]);
    await count(`DELETE FROM user_stream_seqs WHERE user_id = $1`, [id]);
    const messages = await this.scrubMessages(tx, id, email);
    const caseMessagesScrubbed = await count(`UPDATE case_messages SET user_email = NULL, user_name = NULL WHERE lower(user_email) = lower($1)`, [email]);
    const idempotencyKeys = await count(
      `DELETE FROM user_message_idempotency_keys WHERE caller_id = $1 OR response::text LIKE '%' || $1 || '%' OR response::text ILIKE $2`,
      [id, `%${escapeLike(JSON.stringify(email).slice(1, -1))}%`],
    );
    const auditEntriesScrubbed = await this.scrubAudit(tx, subject);
    await count(`DELETE FROM users WHERE id = $1`, [id]);
    return { tokens, groupMemberships, recipientRows, deliveries, streamEvents, ...messages, caseMessagesScrubbed, idempotencyKeys, auditEntriesScrubbed };
  }

  /** Messages the user sent keep their content without the sender; messages to the user alone lose the receiver. */
  private async scrubMessages(tx: Transaction, id: string, email: string): Promise<{ sentMessagesScrubbed: number; receivedMessagesScrubbed: number }> {
    const [row] = await tx.manager.query(
      `WITH t AS (
         SELECT id, (sender_id = $1 OR created_by = $1 OR lower(sender_email) = lower($2)) AS sent, (receiver_id = $1 OR lower(receiver_email) = lower($2)) AS received
           FROM user_messages
          WHERE sender_id = $1 OR created_by = $1 OR receiver_id = $1 OR lower(sender_email) = lower($2) OR lower(receiver_email) = lower($2)
          FOR UPDATE
       ), scrubbed AS (
         UPDATE user_messages m SET
           sender_id = CASE WHEN m.sender_id = $1 THEN NULL ELSE m.sender_id END,
           sender_email = CASE WHEN m.sender_id = $1 OR lower(m.sender_email) = lower($2) THEN NULL ELSE m.sender_email END,
           created_by = CASE WHEN m.created_by = $1 THEN $3::uuid ELSE m.created_by END,
           receiver_id = CASE WHEN m.receiver_id = $1 THEN $3::uuid ELSE m.receiver_id END,
           receiver_email = CASE WHEN m.receiver_id = $1 OR lower(m.receiver_email) = lower($2) THEN NULL ELSE m.receiver_email END
          FROM t WHERE m.id = t.id RETURNING 1
       )
       SELECT (count(*) FILTER (WHERE t.sent))::int AS sent, (count(*) FILTER (WHERE t.received))::int AS received, (SELECT count(*) FROM scrubbed)::int AS n FROM t`,
      [id, email, ERASED_USER_ID],
    );
    return { sentMessagesScrubbed: row.sent, receivedMessagesScrubbed: row.received };
  }

  /**
   * Audit entries stay (who did what), but name the user by the pseudonym, and their details lose every copy
   * of the id and the address (case-insensitively, as typed by operators).
   */
  private async scrubAudit(tx: Transaction, subject: ErasureSubject): Promise<number> {
    const emailInJson = JSON.stringify(subject.email).slice(1, -1);
    return this.count(
      tx,
      `UPDATE audit_log SET
         target = CASE WHEN target = 'user:' || $1 THEN $4 ELSE target END,
         details = regexp_replace(regexp_replace(details::text, $1, $5, 'gi'), $2, $5, 'gi')::jsonb
       WHERE target = 'user:' || $1 OR details::text ILIKE '%' || $1 || '%' OR details::text ILIKE $3`,
      [subject.id, escapeRegex(emailInJson), `%${escapeLike(emailInJson)}%`, subject.auditTarget, ERASED],
    );
  }

  private async count(tx: Transaction, sql: string, params: unknown[]): Promise<number> {
    const [row] = await tx.manager.query(`WITH done AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM done`, params);
    return row.n;
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
