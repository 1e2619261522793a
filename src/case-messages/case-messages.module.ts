import { Module } from '@nestjs/common';
import { CaseMessagesController } from './case-messages.controller';
import { CaseMessagesService } from './case-messages.service';

/** v3 Case Messages API: create, list, feed and confirm under /api/v3/case-messages. */
@Module({ controllers: [CaseMessagesController], providers: [CaseMessagesService] })
export class CaseMessagesModule {}
