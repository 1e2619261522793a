import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** One recipient of a new v2 message, as the delivery side needs it. */
export interface EmailRecipient {
  userId: string;
  /** Where the e-mail goes (receiver.email override, else the user's address). */
  address: string;
}

/** A change a user's open browser tabs must hear about. */
export interface UserStreamEvent {
  userId: string;
  type: 'message' | 'updated' | 'deleted';
  messageId: string;
}

/**
 * The features' only door into delivery. Every method takes the caller's transaction manager and
 * writes durable rows in that same transaction, so a committed message always has its deliveries
 * and a rolled-back one has none.
 */
@Injectable()
export class DeliveryOutbox {
  /** Queues one e-mail per recipient for a new v2 message. */
  async enqueueEmails(_manager: EntityManager, _messageId: string, _recipients: EmailRecipient[]): Promise<void> {
    // Implemented by the delivery feature (issue 5).
  }

  /** Records stream events (new, updated, deleted) for users' open SSE streams. */
  async publishUserEvents(_manager: EntityManager, _events: UserStreamEvent[]): Promise<void> {
    // Implemented by the delivery feature (issue 5).
  }

  /** Queues a webhook call to each receiving account of a new case message. */
  async enqueueWebhooks(_manager: EntityManager, _caseMessageId: number, _receiverAccountIds: number[]): Promise<void> {
    // Implemented by the delivery feature (issue 5).
  }
}
