import { Channel, ChannelModel, connect, ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { privateAddressGuard } from '../src/common/url-safety';
import { AmqpPublisher, AmqpTarget, AmqpWebhookMessage } from '../src/delivery/webhook/amqp-publisher';
import { describeWithRabbitMq, RABBITMQ_HOST, RABBITMQ_PORT, RABBITMQ_URL } from './support/rabbitmq';
import { TcpProxy } from './support/tcp-proxy';

const HOST = RABBITMQ_HOST;
const PORT = RABBITMQ_PORT;
const BROKER = RABBITMQ_URL;
const REDACTED = `amqp://guest:***@${HOST}:${PORT}`;

const describeWithBroker = describeWithRabbitMq('amqp-publisher e2e');

const message = (body: unknown = { id: randomUUID() }): AmqpWebhookMessage => ({
  body: JSON.stringify(body),
  messageId: randomUUID(),
  type: 'case-message.created',
  timestamp: '1700000000',
  signature: 'sha256=0123abcd',
  standardSignature: 'v1,ASNFZw==',
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the publish to reject');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A local port where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Accepts TCP connections and never says a word, like a broker that hangs in the handshake. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket.on('error', () => socket.destroy())));
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const close = async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => server.close(resolve));
  };
  return { port: (server.address() as AddressInfo).port, close };
}

describe('AmqpPublisher without a broker', () => {
  const publisher = new AmqpPublisher({ timeoutMs: 300, firstBackoffMs: 60_000 });
  afterAll(() => publisher.onApplicationShutdown());

  it('rejects when nothing listens, then refuses to reconnect during the backoff', async () => {
    const url = `amqp://guest:guest@${HOST}:${await closedPort()}`;
    const target: AmqpTarget = { url, exchange: '', routingKey: 'q' };
    const first = await rejection(publisher.publish(target, message()));
    expect(first.message).toMatch(/ECONNREFUSED/);
    const second = await rejection(publisher.publish(target, message()));
    expect(second.message).toMatch(/not reconnecting for another \d+ ms after 1 failed connects \(last: connect ECONNREFUSED/);
    for (const error of [first, second]) {
      expect(error.message).toContain(`amqp://guest:***@${HOST}:`);
      expect(error.message).not.toContain('guest:guest');
    }
  });

  it('times out on a server that never completes the handshake', async () => {
    const server = await silentServer();
    try {
      const error = await rejection(publisher.publish({ url: `amqp://guest:guest@${HOST}:${server.port}`, exchange: '', routingKey: 'q' }, message()));
      expect(error.message).toMatch(/timed out after 300 ms|connect ETIMEDOUT/);
      expect(error.message).not.toContain('guest:guest');
    } finally {
      await server.close();
    }
  });

  it('resolves host names through the given lookup, so the private-address guard applies', async () => {
    const guarded = new AmqpPublisher({ timeoutMs: 2000, lookup: privateAddressGuard(false) });
    const error = await rejection(guarded.publish({ url: `amqp://guest:guest@localhost:${PORT}`, exchange: '', routingKey: 'q' }, message()));
    await guarded.onApplicationShutdown();
    expect(error.message).toContain('localhost resolves to a loopback or private address');
    expect(error.message).toContain(`amqp://guest:***@localhost:${PORT}`);
  });

  it('refuses a URL that is not amqp: or amqps:, without repeating its password', async () => {
    const error = await rejection(publisher.publish({ url: 'http://guest:guest@example.test', exchange: '', routingKey: 'q' }, message()));
    expect(error.message).toBe('AMQP publish to http://guest:***@example.test/ (exchange "", routing key "q") failed: the URL must use the amqp: or amqps: scheme');
  });

  it('refuses to publish once shut down', async () => {
    const closed = new AmqpPublisher();
    await closed.onApplicationShutdown();
    const error = await rejection(closed.publish({ url: BROKER, exchange: '', routingKey: 'q' }, message()));
    expect(error.message).toMatch(/failed: the publisher is shut down$/);
  });
});

describeWithBroker(`AmqpPublisher against RabbitMQ on ${HOST}:${PORT}`, () => {
  const publisher = new AmqpPublisher({ timeoutMs: 3000 });
  const queues: string[] = [];
  const exchanges: string[] = [];
  let admin: ChannelModel;
  let channel: Channel;

  /** A fresh queue, deleted in afterAll. */
  const newQueue = async (): Promise<string> => {
    const { queue } = await channel.assertQueue(`amqp-publisher-e2e.${randomUUID()}`, { durable: false });
    queues.push(queue);
    return queue;
  };
  const toQueue = (queue: string, url = BROKER): AmqpTarget => ({ url, exchange: '', routingKey: queue });

  const receive = async (queue: string): Promise<ConsumeMessage> => {
    let arrived!: (m: ConsumeMessage | null) => void;
    let timer: NodeJS.Timeout | undefined;
    const received = new Promise<ConsumeMessage>((resolve, reject) => {
      arrived = (m) => (m ? resolve(m) : reject(new Error('consumer cancelled')));
      timer = setTimeout(() => reject(new Error(`nothing arrived on ${queue}`)), 5000);
    });
    const { consumerTag } = await channel.consume(queue, (m) => arrived(m), { noAck: true });
    try {
      return await received;
    } finally {
      clearTimeout(timer);
      await channel.cancel(consumerTag);
    }
  };

  /** Every body waiting in `queue`, emptying it. */
  const drain = async (queue: string): Promise<string[]> => {
    const bodies: string[] = [];
    for (let m = await channel.get(queue, { noAck: true }); m; m = await channel.get(queue, { noAck: true })) bodies.push(m.content.toString());
    return bodies;
  };

  beforeAll(async () => {
    admin = await connect(BROKER);
    channel = await admin.createChannel();
  });
  afterAll(async () => {
    await publisher.onApplicationShutdown();
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const exchange of exchanges) await channel.deleteExchange(exchange);
    await admin.close();
  });

  it('lands in the queue, persistent, with the message id, type, content type and signature headers', async () => {
    const queue = await newQueue();
    const sent = message({ event: 'created', n: 1 });
    await publisher.publish(toQueue(queue), sent);
    const got = await receive(queue);
    expect(got.content.toString()).toBe(sent.body);
    expect(got.properties).toMatchObject({ messageId: sent.messageId, type: 'case-message.created', contentType: 'application/json', deliveryMode: 2 });
    expect(got.properties.headers).toEqual({
      'x-webhook-timestamp': '1700000000',
      'x-webhook-signature': 'sha256=0123abcd',
      'webhook-id': sent.messageId,
      'webhook-timestamp': '1700000000',
      'webhook-signature': 'v1,ASNFZw==',
    });
  });

  it('rejects a message no queue receives (mandatory), naming the target without the password', async () => {
    const error = await rejection(publisher.publish(toQueue(`amqp-publisher-e2e.missing.${randomUUID()}`), message()));
    expect(error.message).toMatch(new RegExp(`^AMQP publish to ${REDACTED.replace(/[*.]/g, '\\$&')} \\(exchange "", routing key "amqp-publisher-e2e\\.missing\\.`));
    expect(error.message).toMatch(/unroutable, no queue is bound to receive it \(312 NO_ROUTE\)$/);
    expect(error.message).not.toContain('guest:guest');
  });

  it('rejects only the unroutable one of concurrent publishes that share the channel', async () => {
    const queue = await newQueue();
    const missing = `amqp-publisher-e2e.missing.${randomUUID()}`;
    const targets = [queue, missing, queue, missing, queue].map((q) => toQueue(q));
    const results = await Promise.allSettled(targets.map((t) => publisher.publish(t, message({ to: t.routingKey }))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await drain(queue)).toHaveLength(3);
  });

  it('rejects a publish to a missing exchange without failing the good publishes beside it', async () => {
    const queue = await newQueue();
    const missing: AmqpTarget = { url: BROKER, exchange: `amqp-publisher-e2e.missing.${randomUUID()}`, routingKey: 'k' };
    const results = await Promise.allSettled([publisher.publish(toQueue(queue), message()), publisher.publish(missing, message()), publisher.publish(toQueue(queue), message())]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/exchange check failed: .*404 \(NOT-FOUND\).*no exchange 'amqp-publisher-e2e\.missing\./);
    await publisher.publish(toQueue(queue), message());
    expect(await drain(queue)).toHaveLength(3);
  });

  it('recovers on the next publish after an exchange it used is deleted under it (the broker closes the channel)', async () => {
    const queue = await newQueue();
    const exchange = `amqp-publisher-e2e.${randomUUID()}`;
    await channel.assertExchange(exchange, 'direct', { durable: false });
    exchanges.push(exchange);
    await channel.bindQueue(queue, exchange, 'k');
    await publisher.publish({ url: BROKER, exchange, routingKey: 'k' }, message({ n: 'before' }));
    await channel.deleteExchange(exchange);

    const error = await rejection(publisher.publish({ url: BROKER, exchange, routingKey: 'k' }, message({ n: 'gone' })));
    expect(error.message).toMatch(/failed: Channel closed by server: 404 \(NOT-FOUND\)/);
    expect(error.message).not.toContain('guest:guest');
    await publisher.publish(toQueue(queue), message({ n: 'after' }));
    expect(await drain(queue)).toEqual([JSON.stringify({ n: 'before' }), JSON.stringify({ n: 'after' })]);
  });

  it('shares one connection among concurrent publishes to a URL', async () => {
    const queue = await newQueue();
    let connections = 0;
    const counter = createServer((client) => {
      connections++;
      const upstream = new Socket().connect(PORT, HOST);
      client.on('error', () => upstream.destroy()).pipe(upstream).on('error', () => client.destroy()).pipe(client);
    });
    await new Promise<void>((resolve) => counter.listen(0, HOST, resolve));
    const own = new AmqpPublisher({ timeoutMs: 3000 });
    try {
      const url = `amqp://guest:guest@${HOST}:${(counter.address() as AddressInfo).port}`;
      await Promise.all(Array.from({ length: 50 }, (_, n) => own.publish(toQueue(queue, url), message({ n }))));
      await own.publish(toQueue(queue, url), message({ n: 50 }));
      expect(connections).toBe(1);
      expect(await drain(queue)).toHaveLength(51);
    } finally {
      await own.onApplicationShutdown();
      await new Promise((resolve) => counter.close(resolve));
    }
  });

  it('fails publishes while the broker is unreachable and reconnects once it is back', async () => {
    const queue = await newQueue();
    const proxy = new TcpProxy(HOST, PORT);
    await proxy.start();
    const own = new AmqpPublisher({ timeoutMs: 3000 });
    const target = toQueue(queue, `amqp://guest:guest@${HOST}:${proxy.port}`);
    const errors: Error[] = [];
    try {
      await own.publish(target, message({ n: 'before' }));
      await proxy.cut();
      errors.push(await rejection(own.publish(target, message({ n: 'during' }))));
      errors.push(await rejection(own.publish(target, message({ n: 'during' }))));
      await proxy.restore();
      // The backoff refuses some attempts after the failed connects; the worker's retries would come back later the same way.
      for (const deadline = Date.now() + 20_000; ; await sleep(200)) {
        const error = await own.publish(target, message({ n: 'after' })).then(() => undefined, (e: Error) => e);
        if (!error) break;
        errors.push(error);
        if (Date.now() > deadline) throw error;
      }
    } finally {
      await own.onApplicationShutdown();
      await proxy.cut();
    }
    for (const error of errors) {
      expect(error.message).toContain(`amqp://guest:***@${HOST}:${proxy.port}`);
      expect(error.message).not.toContain('guest:guest');
    }
    expect(await drain(queue)).toEqual([JSON.stringify({ n: 'before' }), JSON.stringify({ n: 'after' })]);
  });
});
