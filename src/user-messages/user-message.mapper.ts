import { GroupSentMessageResponseDto, UserMessageResponseDto } from './dto/user-message-response.dto';
import { readAdditionalData } from './additional-data';
import { UserMessage } from './user-message.entity';

/**
 * A message with the flags the caller sees (its own, or the recipients' for its sender), as USER_MESSAGE_COLUMNS
 * reads it: the timestamp already the API's ISO string.
 */
export type UserMessageView = Omit<UserMessage, 'createdBy' | 'timestamp'> & { timestamp: string; unreadEmail: boolean; unreadBrowser: boolean };

/** Entity → wire shape; the only place the JSON keys of a v2 message are spelled. */
export function toUserMessageResponse(view: UserMessageView): UserMessageResponseDto {
  return {
    id: view.id,
    sender: view.senderId === null ? null : { id: view.senderId, email: view.senderEmail },
    receiver: { id: view.receiverId, email: view.receiverEmail },
    receiverType: view.receiverType,
    source: view.source,
    topic: view.topic,
    severity: view.severity,
    returnCode: view.returnCode,
    timestamp: view.timestamp,
    unreadEmail: view.unreadEmail,
    unreadBrowserNotification: view.unreadBrowser,
    additionalData: readAdditionalData(view),
    correlationId: view.correlationId,
  };
}

/** A group-sent row → wire shape: the message plus `groupId` and the group as it is now. */
export function toGroupSentResponse(view: UserMessageView & { groupName: string | null; groupDescription: string | null }): GroupSentMessageResponseDto {
  const group = view.groupName === null ? null : { id: view.receiverId, name: view.groupName, description: view.groupDescription };
  return { ...toUserMessageResponse(view), groupId: view.receiverId, group };
}
