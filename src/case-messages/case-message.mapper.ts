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
