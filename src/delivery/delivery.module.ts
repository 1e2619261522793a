import { Global, Module } from '@nestjs/common';
import { DeliveryOutbox } from './delivery-outbox.service';

@Global()
@Module({ providers: [DeliveryOutbox], exports: [DeliveryOutbox] })
export class DeliveryModule {}
