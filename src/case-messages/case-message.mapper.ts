import { WebhookEvent } from '../delivery/delivery.enums';
import { CaseMessageRow } from './case-message.entity';
import { CaseMessageResponseDto } from './dto/case-message-response.dto';

/** Entity → wire shape. Every v3 message (create, list, feed, webhooks) goes through here. */
export function toCaseMessageResponse(message: CaseMessageRow): CaseMessageResponseDto {
  return {
    id: message.id,
    caseId: message.caseId,
    guid: message.caseGuid,
    senderAccountId: message.senderAccountId,
    senderType: message.senderType,
    content: message.content,
    type: message.type,
    externalId: message.externalId,
    confirmedAt: message.confirmedAt,
    createdAt: message.createdAt,
    updatedAt: message.updatedAt,
    declaredAt: message.declaredAt,
    parentMessageId: message.parentMessageId,
    userEmail: message.userEmail,
    userName: message.userName,
    isInternal: message.isInternal,
  };
}

/** The v1 webhook payload of the original service: `confirmedAt` only on message.confirmed. */
export interface CaseMessageV1Payload {
  id: number;
  guid: string;
  content: string | null;
  type: string;
  createdAt: string;
  updatedAt: string;
  confirmedAt?: string | null;
}

export function toCaseMessageV1(message: CaseMessageRow, event: WebhookEvent): CaseMessageV1Payload {
  const v1: CaseMessageV1Payload = {
    id: message.id,
    guid: message.caseGuid,
    content: message.content,
    type: message.type,
    createdAt: message.createdAt,
    updatedAt: message.updatedAt,
  };
  if (event === WebhookEvent.MessageConfirmed) v1.confirmedAt = message.confirmedAt;
  return v1;
}
