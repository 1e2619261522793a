import { Module } from '@nestjs/common';
import { CaseMessageSource } from '../delivery/message-source.port';
import { CaseMessageDeliverySource } from './case-message.delivery-source';
import { CaseMessagesController } from './case-messages.controller';
import { CaseMessagesRepository } from './case-messages.repository';
import { CaseMessagesService } from './case-messages.service';

/** v3 Case Messages API: create, list, feed and confirm under /api/v3/case-messages. */
@Module({
  controllers: [CaseMessagesController],
  providers: [CaseMessagesService, CaseMessagesRepository, { provide: CaseMessageSource, useClass: CaseMessageDeliverySource }],
  exports: [CaseMessageSource],
})
export class CaseMessagesModule {}
