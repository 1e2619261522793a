import { Global, Module } from '@nestjs/common';
import { DeliveryAdminController } from './delivery-admin.controller';
import { DeliveryMetrics } from './delivery.metrics';
import { DeliveryOutbox } from './delivery-outbox.service';
import { DeliveryQueue } from './delivery-queue.service';
import { DeliverySignals } from './delivery-signals';
import { DeliveryWorker } from './delivery-worker.service';
import { EmailSender } from './email/email-sender.service';
import { InboxController } from './inbox/inbox.controller';
import { MessageSource } from './message-source.service';
import { StreamNotifier } from './stream/stream-notifier';
import { UserStreamController } from './stream/user-stream.controller';
import { UserStreamHub } from './stream/user-stream.hub';
import { WebhookSender } from './webhook/webhook-sender.service';

/** E-mail, browser streams and webhooks behind the DeliveryOutbox seam; global so features can inject the outbox. */
@Global()
@Module({
  controllers: [UserStreamController, DeliveryAdminController, InboxController],
  providers: [
    DeliveryOutbox,
    DeliverySignals,
    DeliveryQueue,
    DeliveryMetrics,
    MessageSource,
    EmailSender,
    WebhookSender,
    DeliveryWorker,
    StreamNotifier,
    UserStreamHub,
  ],
  exports: [DeliveryOutbox],
})
export class DeliveryModule {}
