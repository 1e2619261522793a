import { Injectable } from '@nestjs/common';
import { CaseMessageSource } from '../delivery/message-source.port';
import { WebhookEvent, WebhookPayloadVersion } from '../delivery/delivery.enums';
import { CaseMessageV1Payload, toCaseMessageResponse, toCaseMessageV1 } from './case-message.mapper';
import { CaseMessagesRepository } from './case-messages.repository';
import { CaseMessageResponseDto } from './dto/case-message-response.dto';

/** Delivery's view of v3 messages: a v3 webhook carries the message exactly as the API shows it. */
@Injectable()
export class CaseMessageDeliverySource extends CaseMessageSource {
  constructor(private readonly messages: CaseMessagesRepository) {
    super();
  }

  async caseMessage(id: number, version: WebhookPayloadVersion, event: WebhookEvent): Promise<CaseMessageResponseDto | CaseMessageV1Payload | undefined> {
    const row = await this.messages.findById(id);
    if (!row) return undefined;
    return version === WebhookPayloadVersion.V1 ? toCaseMessageV1(row, event) : toCaseMessageResponse(row);
  }
}
