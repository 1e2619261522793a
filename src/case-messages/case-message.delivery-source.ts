import { Injectable } from '@nestjs/common';
import { CaseMessageSource } from '../delivery/message-source.port';
import { toCaseMessageResponse } from './case-message.mapper';
import { CaseMessagesRepository } from './case-messages.repository';
import { CaseMessageResponseDto } from './dto/case-message-response.dto';

/** Delivery's view of v3 messages: a webhook carries the message exactly as the API shows it. */
@Injectable()
export class CaseMessageDeliverySource extends CaseMessageSource {
  constructor(private readonly messages: CaseMessagesRepository) {
    super();
  }

  async caseMessage(id: number): Promise<CaseMessageResponseDto | undefined> {
    const row = await this.messages.findById(id);
    return row && toCaseMessageResponse(row);
  }
}
