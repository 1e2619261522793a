import { ApiToken } from './auth/api-token.entity';
import { CaseMessage, CaseMessageConfirmation, CaseMessageUnconfirmed } from './case-messages/case-message.entity';
import { Delivery, DeliveryAttempt, UserStreamEventRow, WebhookEventRow } from './delivery/delivery.entity';
import { Webhook } from './delivery/webhook/webhook.entity';
import { Account } from './directory/account.entity';
import { AccountRepresentation } from './directory/account-representation.entity';
import { Case } from './directory/case.entity';
import { Group, GroupMember } from './directory/group.entity';
import { User } from './directory/user.entity';
import { AuditEntry } from './audit/audit-entry.entity';
import { UserMessageIdempotencyKey } from './user-messages/user-message-idempotency-key.entity';
import { UserMessageRecipient } from './user-messages/user-message-recipient.entity';
import { UserMessage } from './user-messages/user-message.entity';

/** Every TypeORM entity, listed once at the composition root for the app, the CLI and the TypeORM CLI. */
export const ENTITIES = [Account, AccountRepresentation, Case, User, Group, GroupMember, ApiToken, CaseMessage, CaseMessageConfirmation, CaseMessageUnconfirmed, Delivery, DeliveryAttempt, Webhook, WebhookEventRow, UserStreamEventRow, UserMessage, UserMessageRecipient, UserMessageIdempotencyKey, AuditEntry];
