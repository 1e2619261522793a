import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { privateAddressGuard } from '../common/url-safety';
import { EnvironmentVariables } from '../config/env.validation';
import { DeliveryAdminController } from './delivery-admin.controller';
import { DeliveryMetrics } from './delivery.metrics';
import { DeliveryOutbox } from './delivery-outbox.service';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliverySignals } from './delivery-signals';
import { DeliveryWorker } from './delivery-worker.service';
import { EmailSender } from './email/email-sender.service';
import { InboxController } from './inbox/inbox.controller';
import { StreamEventsRepository } from './stream/stream-events.repository';
import { streamBusProvider } from './stream/stream-bus.provider';
import { UserStreamController } from './stream/user-stream.controller';
import { UserStreamHub } from './stream/user-stream.hub';
import { UserStreamRegistry } from './stream/user-stream.registry';
import { UserStreamRelay } from './stream/user-stream.relay';
import { AMQP_PUBLISHER_OPTIONS, AmqpPublisher, AmqpPublisherOptions } from './webhook/amqp-publisher';
import { WebhookSender } from './webhook/webhook-sender.service';
import { WebhooksAdminController } from './webhook/webhooks-admin.controller';
import { WebhooksModule } from './webhook/webhooks.module';

/**
 * E-mail, browser streams and webhooks behind the DeliveryOutbox seam; global so features can inject the
 * outbox. What a delivery carries comes through the ports of message-source.port.ts, which the modules
 * passed to `forRoot` (the features) provide: delivery imports no feature code.
 */
@Global()
@Module({
  imports: [WebhooksModule],
  controllers: [UserStreamController, DeliveryAdminController, InboxController, WebhooksAdminController],
  providers: [
    DeliveryOutbox,
    DeliverySignals,
    DeliveriesRepository,
    DeliveryMetrics,
    EmailSender,
    WebhookSender,
    AmqpPublisher,
    {
      provide: AMQP_PUBLISHER_OPTIONS,
      inject: [EnvironmentVariables],
      useFactory: (env: EnvironmentVariables): AmqpPublisherOptions => ({ timeoutMs: env.WEBHOOK_TIMEOUT_MS, lookup: privateAddressGuard(env.WEBHOOK_ALLOW_PRIVATE) }),
    },
    DeliveryWorker,
    StreamEventsRepository,
    streamBusProvider,
    UserStreamRegistry,
    UserStreamRelay,
    UserStreamHub,
  ],
  exports: [DeliveryOutbox],
})
export class DeliveryModule {
  static forRoot(messageSources: Type[]): DynamicModule {
    return { module: DeliveryModule, imports: messageSources };
  }
}
