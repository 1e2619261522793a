import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StreamEventType } from '../delivery.enums';

// The SQL of the SSE streams: the users' event ids, their events after a cursor, NOTIFY, ended tokens.
// Hand-written: a relay pass reads every user with an open stream in one statement, whatever their number.

/** The LISTEN/NOTIFY channel that wakes the stream relays of the other instances. */
export const STREAM_EVENTS_CHANNEL = 'user_stream_events';

/** The position in a user's event sequence that a relay pass reads after. */
export interface StreamCursor {
  userId: string;
  seq: number;
}

export interface StreamEventRow {
  userId: string;
  /** A bigint, as text. */
  seq: string;
  type: StreamEventType;
  messageId: string;
}

@Injectable()
export class StreamEventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The id of the user's latest event; 0 before the first. */
  async lastSeq(userId: string): Promise<number> {
    const rows: Array<{ lastSeq: string }> = await this.dataSource.query(`SELECT last_seq AS "lastSeq" FROM user_stream_seqs WHERE user_id = $1`, [userId]);
    return rows.length > 0 ? Number(rows[0].lastSeq) : 0;
  }

  /** Up to `perUser` events after each cursor, ordered by user and id. */
  async eventsAfter(cursors: StreamCursor[], perUser: number): Promise<StreamEventRow[]> {
    return this.dataSource.query(
      `SELECT e.user_id AS "userId", e.seq::text AS "seq", e.type, e.message_id AS "messageId"
       FROM unnest($1::uuid[], $2::bigint[]) AS c(user_id, seq)
       CROSS JOIN LATERAL (
         SELECT * FROM user_stream_events e WHERE e.user_id = c.user_id AND e.seq > c.seq ORDER BY e.seq LIMIT $3
       ) e
       ORDER BY e.user_id, e.seq`,
      [cursors.map((c) => c.userId), cursors.map((c) => c.seq), perUser],
    );
  }

  /** The ones among `tokenIds` that no longer open a stream: revoked, gone (the user erased), or of a deactivated user. */
  async endedTokenIds(tokenIds: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT s.id FROM unnest($1::uuid[]) AS s(id)
         LEFT JOIN api_tokens t ON t.id = s.id LEFT JOIN users u ON u.id = t.user_id
        WHERE t.id IS NULL OR t.revoked_at IS NOT NULL OR u.deactivated_at IS NOT NULL`,
      [tokenIds],
    );
    return rows.map((r) => r.id);
  }

  /** Wakes the relays listening on STREAM_EVENTS_CHANNEL; the payload is empty, they read the table. */
  async notify(): Promise<void> {
    await this.dataSource.query(`SELECT pg_notify($1, '')`, [STREAM_EVENTS_CHANNEL]);
  }
}
