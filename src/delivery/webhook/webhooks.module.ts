import { Global, Module } from '@nestjs/common';
import { DeliveriesRepository } from '../deliveries.repository';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** Webhook subscriptions for the admin API, provisioning and the CLI (which runs without the delivery workers). */
@Global()
@Module({
  providers: [WebhooksRepository, WebhooksService, DeliveriesRepository],
  exports: [WebhooksService],
})
export class WebhooksModule {}
