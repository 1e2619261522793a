import { CaseMessagesModule } from './case-messages/case-messages.module';
import { DeliveryModule } from './delivery/delivery.module';
import { UserMessagesModule } from './user-messages/user-messages.module';

/**
 * The product's feature modules (v3 case messages, v2 user messages, delivery), registered in AppModule.
 * Delivery gets the features' message sources here, so neither side imports the other's internals.
 */
export const FEATURE_MODULES = [CaseMessagesModule, UserMessagesModule, DeliveryModule.forRoot([CaseMessagesModule, UserMessagesModule])];
