import { Injectable } from '@nestjs/common';
import { EmailMessage } from '../delivery/email/email-content';
import { UserMessageSource } from '../delivery/message-source.port';
import { additionalDataText } from './additional-data';
import { UserMessageResponseDto } from './dto/user-message-response.dto';
import { toUserMessageResponse } from './user-message.mapper';
import { UserMessagesRepository } from './user-messages.repository';

/** Delivery's view of v2 messages: e-mails and stream events show exactly what the API shows. */
@Injectable()
export class UserMessageDeliverySource extends UserMessageSource {
  constructor(private readonly messages: UserMessagesRepository) {
    super();
  }

  async userMessagesFor(pairs: Array<{ userId: string; messageId: string }>): Promise<Map<string, UserMessageResponseDto>> {
    if (pairs.length === 0) return new Map();
    const rows = await this.messages.findForRecipients(pairs);
    return new Map(rows.map(({ userId, ...view }) => [`${userId}/${view.id}`, toUserMessageResponse(view)]));
  }

  /** An e-mail shows the message, not anyone's read flags, so one read serves every recipient. */
  async userMessagesForEmail(messageIds: string[]): Promise<Map<string, EmailMessage>> {
    if (messageIds.length === 0) return new Map();
    const rows = await this.messages.findByIds([...new Set(messageIds)]);
    return new Map(
      rows.map((row) => {
        const message = toUserMessageResponse(row);
        return [row.id, { ...message, additionalData: additionalDataText(message.additionalData) }];
      }),
    );
  }
}
