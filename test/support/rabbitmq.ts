import { describeWithServer } from './local-server';

export const RABBITMQ_HOST = '127.0.0.1';
export const RABBITMQ_PORT = 5672;
/** The broker every developer machine and CI run (guest/guest is accepted from localhost only). */
export const RABBITMQ_URL = `amqp://guest:guest@${RABBITMQ_HOST}:${RABBITMQ_PORT}`;

/** `describe` when RabbitMQ listens on 127.0.0.1:5672, else `describe.skip` with a line saying so. */
export function describeWithRabbitMq(suite: string): jest.Describe {
  return describeWithServer(suite, 'RabbitMQ', RABBITMQ_HOST, RABBITMQ_PORT);
}
