import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { toCaseMessageResponse } from '../case-messages/case-message.mapper';
import { CaseMessageRow } from '../case-messages/case-message.entity';
import { CASE_MESSAGE_COLUMNS, CASE_MESSAGE_SOURCE } from '../case-messages/case-messages.sql';
import { CaseMessageResponseDto } from '../case-messages/dto/case-message-response.dto';
import { UserMessageResponseDto } from '../user-messages/dto/user-message-response.dto';
import { toUserMessageResponse, UserMessageView } from '../user-messages/user-message.mapper';
import { USER_MESSAGE_COLUMNS } from '../user-messages/user-messages.sql';

/**
 * Reads the messages delivery sends, at send time, in their features' wire shapes (through the
 * features' own mappers, so an e-mail, a stream event and a webhook show exactly what the API shows).
 */
@Injectable()
export class MessageSource {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * For each (user, message) pair still in that user's inbox, the message as that user sees it, keyed
   * `userId/messageId`; one query for any number of pairs.
   */
  async userMessagesFor(pairs: Array<{ userId: string; messageId: string }>): Promise<Map<string, UserMessageResponseDto>> {
    if (pairs.length === 0) return new Map();
    const rows: Array<UserMessageView & { userId: string }> = await this.dataSource.query(
      `SELECT ${USER_MESSAGE_COLUMNS}, r.user_id AS "userId", r.unread_email AS "unreadEmail", r.unread_browser AS "unreadBrowser"
       FROM unnest($1::uuid[], $2::uuid[]) AS p(user_id, message_id)
       JOIN user_message_recipients r ON r.user_id = p.user_id AND r.message_id = p.message_id
       JOIN user_messages m ON m.id = r.message_id`,
      [pairs.map((p) => p.userId), pairs.map((p) => p.messageId)],
    );
    return new Map(rows.map(({ userId, ...view }) => [`${userId}/${view.id}`, toUserMessageResponse(view)]));
  }

  /**
   * The v2 messages an e-mail batch needs, keyed by id; a message deleted for everyone is absent.
   * An e-mail shows the message, not anyone's read flags, so one read serves every recipient.
   */
  async userMessagesForEmail(messageIds: string[]): Promise<Map<string, UserMessageResponseDto>> {
    if (messageIds.length === 0) return new Map();
    const rows: UserMessageView[] = await this.dataSource.query(
      `SELECT ${USER_MESSAGE_COLUMNS}, true AS "unreadEmail", true AS "unreadBrowser" FROM user_messages m WHERE m.id = ANY($1::uuid[])`,
      [[...new Set(messageIds)]],
    );
    return new Map(rows.map((row) => [row.id, toUserMessageResponse(row)]));
  }

  /** A v3 case message in its API shape, or undefined when it is gone. */
  async caseMessage(id: number): Promise<CaseMessageResponseDto | undefined> {
    const rows: CaseMessageRow[] = await this.dataSource.query(`SELECT ${CASE_MESSAGE_COLUMNS} FROM ${CASE_MESSAGE_SOURCE} WHERE m.id = $1`, [id]);
    return rows.length > 0 ? toCaseMessageResponse(rows[0]) : undefined;
  }
}
