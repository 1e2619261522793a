import { Provider } from '@nestjs/common';
import { EnvironmentVariables } from '../../config/env.validation';
import { NatsStreamBus } from './nats-stream-bus';
import { PostgresStreamBus } from './postgres-stream-bus';
import { InProcessStreamBus, StreamBus } from './stream-bus';
import { StreamEventsRepository } from './stream-events.repository';

/** PUSH_BUS picks the bus on an external database; the embedded one keeps its in-process signal whatever PUSH_BUS says. */
export const streamBusProvider: Provider = {
  provide: StreamBus,
  inject: [EnvironmentVariables, StreamEventsRepository],
  useFactory: (env: EnvironmentVariables, events: StreamEventsRepository): StreamBus => {
    if (env.DATABASE_URL === undefined) return new InProcessStreamBus();
    if (env.PUSH_BUS === 'nats') return new NatsStreamBus(env.NATS_URL as string);
    return new PostgresStreamBus(env.DATABASE_DIRECT_URL ?? env.DATABASE_URL, events);
  },
};
