import { CaseMessagesModule } from './case-messages/case-messages.module';
import { DeliveryModule } from './delivery/delivery.module';
import { UserMessagesModule } from './user-messages/user-messages.module';

/** The product's feature modules (v3 case messages, v2 user messages, delivery), registered in AppModule. */
export const FEATURE_MODULES = [CaseMessagesModule, DeliveryModule, UserMessagesModule];
