import { Module } from '@nestjs/common';
import { UserMessageSource } from '../delivery/message-source.port';
import { CreateUserMessagePipe } from './create-user-message.pipe';
import { IdempotencyKeyPruner } from './idempotency-key.pruner';
import { UserInboxController } from './user-inbox.controller';
import { UserMessageDeliverySource } from './user-message.delivery-source';
import { UserMessagesController } from './user-messages.controller';
import { UserMessagesRepository } from './user-messages.repository';
import { UserMessagesService } from './user-messages.service';

/** User Messages API v2: notifications to users and groups with per-recipient read state. */
@Module({
  controllers: [UserMessagesController, UserInboxController],
  providers: [
    UserMessagesService,
    UserMessagesRepository,
    CreateUserMessagePipe,
    IdempotencyKeyPruner,
    { provide: UserMessageSource, useClass: UserMessageDeliverySource },
  ],
  exports: [UserMessageSource],
})
export class UserMessagesModule {}
