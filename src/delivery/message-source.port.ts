import { WebhookEvent, WebhookPayloadVersion } from './delivery.enums';
import { EmailMessage } from './email/email-content';

/** A message in its feature's wire shape, sent as JSON as it is (an SSE event's or a webhook's body). */
export type MessagePayload = object;

/**
 * What delivery needs from the v2 feature: the messages its e-mails and stream events carry, read at send
 * time in the API's own shape. The feature implements it (delivery imports no feature code) and the
 * composition root binds it (feature-modules.ts).
 */
export abstract class UserMessageSource {
  /** For each (user, message) pair still in that user's inbox, the message as that user sees it, keyed `userId/messageId`. */
  abstract userMessagesFor(pairs: Array<{ userId: string; messageId: string }>): Promise<Map<string, MessagePayload>>;

  /** The messages of an e-mail batch, keyed by id; a message deleted for everyone is absent. */
  abstract userMessagesForEmail(messageIds: string[]): Promise<Map<string, EmailMessage>>;
}

/** What delivery needs from the v3 feature: the case message a webhook carries. */
export abstract class CaseMessageSource {
  /** The message as the `version` payload of `event` shows it, or undefined when it is gone. */
  abstract caseMessage(id: number, version: WebhookPayloadVersion, event: WebhookEvent): Promise<MessagePayload | undefined>;
}
