import { spawnSync } from 'node:child_process';

export const RABBITMQ_HOST = '127.0.0.1';
export const RABBITMQ_PORT = 5672;
/** The broker every developer machine and CI run (guest/guest is accepted from localhost only). */
export const RABBITMQ_URL = `amqp://guest:guest@${RABBITMQ_HOST}:${RABBITMQ_PORT}`;

/** Jest decides what to skip before any hook runs, so the probe is a synchronous child process. */
function brokerListens(): boolean {
  const probe = `require('node:net').connect(${RABBITMQ_PORT}, '${RABBITMQ_HOST}').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
  return spawnSync(process.execPath, ['-e', probe], { timeout: 5000 }).status === 0;
}

/** `describe` when RabbitMQ listens on 127.0.0.1:5672, else `describe.skip` with a line saying so. */
export function describeWithRabbitMq(suite: string): jest.Describe {
  if (brokerListens()) return describe;
  console.warn(`${suite}: SKIPPED, nothing listens on ${RABBITMQ_HOST}:${RABBITMQ_PORT} (RabbitMQ)`);
  return describe.skip;
}
