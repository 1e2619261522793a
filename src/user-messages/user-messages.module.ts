import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { UserMessageSource } from '../delivery/message-source.port';
import { CreateUserMessagePipe } from './create-user-message.pipe';
import { IdempotencyKeyPruner } from './idempotency-key.pruner';
import { MessageRetention } from './message-retention';
import { SystemGroupsController } from './system-groups/system-groups.controller';
import { SystemGroupsService } from './system-groups/system-groups.service';
import { UserInboxController } from './user-inbox.controller';
import { UserMessageDeliverySource } from './user-message.delivery-source';
import { UserMessagesController } from './user-messages.controller';
import { UserMessagesRepository } from './user-messages.repository';
import { UserMessagesService } from './user-messages.service';

/** User Messages API v2: notifications to users and groups with per-recipient read state, and the messaging groups. */
@Module({
  // Groups are created through the operators' provisioning, so both share one set of rules.
  imports: [AdminModule],
  controllers: [UserMessagesController, UserInboxController, SystemGroupsController],
  providers: [
    UserMessagesService,
    SystemGroupsService,
    UserMessagesRepository,
    CreateUserMessagePipe,
    IdempotencyKeyPruner,
    MessageRetention,
    { provide: UserMessageSource, useClass: UserMessageDeliverySource },
  ],
  exports: [UserMessageSource],
})
export class UserMessagesModule {}
