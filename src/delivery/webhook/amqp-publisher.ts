import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ChannelModel, ConfirmChannel, connect, Message, Options } from 'amqplib';
import { LookupFunction } from 'node:net';

/** Where a webhook goes on an AMQP broker: the default exchange ('') routes by queue name. */
export interface AmqpTarget {
  url: string;
  exchange: string;
  routingKey: string;
}

/** A signed webhook body; messageId also ties a mandatory return to its publish. */
export interface AmqpWebhookMessage {
  body: string;
  messageId: string;
  type: string;
  timestamp: string;
  signature: string;
  /** `webhook-signature` by the Standard Webhooks specification. */
  standardSignature: string;
}

export interface AmqpPublisherOptions {
  /** Longest wait for one publish, connecting included. Default 10 s. */
  timeoutMs?: number;
  /** Pause after the first failed connect to a URL; it doubles per consecutive failure. Default 0.5 s. */
  firstBackoffMs?: number;
  /** Longest pause between connect attempts to one URL. Default 30 s. */
  maxBackoffMs?: number;
  /** Resolves broker host names, e.g. privateAddressGuard() so a webhook cannot reach internal hosts. */
  lookup?: LookupFunction;
}

export const AMQP_PUBLISHER_OPTIONS = Symbol('AMQP_PUBLISHER_OPTIONS');

const logger = new Logger('AmqpPublisher');

const SCHEMES = new Set(['amqp:', 'amqps:']);

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Reads `message` rather than testing instanceof Error, which fails for errors made in another realm (Jest's vm, workers). */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** An '@' that did not end up in the credentials: a raw '/', '?' or '#' in the password cut them short, and the rest reads as host and path. */
function credentialsCutShort(url: string, parsed: URL): boolean {
  return url.includes('@') && !parsed.username && !parsed.password;
}

/** The URL as amqp://user:***@host:port/vhost, for messages and logs; the query is dropped as it may hold secrets too. */
export function redactAmqpUrl(url: string): string {
  const parsed = parseUrl(url);
  // Then a password may sit anywhere in the string, so none of it is echoed.
  if (!parsed?.host || credentialsCutShort(url, parsed)) return '[unparseable URL]';
  const credentials = parsed.username || parsed.password ? `${parsed.username}${parsed.password ? ':***' : ''}@` : '';
  return `${parsed.protocol}//${credentials}${parsed.host}${parsed.pathname}`;
}

/** Why `url` cannot name an AMQP broker, phrased to follow the field's name ("url must …"), or undefined. */
export function amqpUrlProblem(url: string): string | undefined {
  const parsed = parseUrl(url);
  if (!parsed) return 'must be a valid URL';
  if (!SCHEMES.has(parsed.protocol)) return 'must use the amqp: or amqps: scheme';
  if (!parsed.hostname) return 'must name a host';
  if (credentialsCutShort(url, parsed)) return 'must percent-encode "@", "/", "?" and "#" in its user name and password';
  return undefined;
}

function publishOptions(message: AmqpWebhookMessage): Options.Publish {
  return {
    persistent: true,
    mandatory: true,
    contentType: 'application/json',
    messageId: message.messageId,
    type: message.type,
    headers: {
      'x-webhook-timestamp': message.timestamp,
      'x-webhook-signature': message.signature,
      'webhook-id': message.messageId,
      'webhook-timestamp': message.timestamp,
      'webhook-signature': message.standardSignature,
    },
  };
}

function returnKey(exchange: string, routingKey: string, messageId: unknown): string {
  return JSON.stringify([exchange, routingKey, messageId]);
}

/** Rejects with the signal's reason once it aborts, whatever `promise` does later. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A publish waiting for its confirm. */
interface Pending {
  settle(error?: Error): void;
}

/** Consecutive failed connects to one URL, and when the next attempt is allowed. */
interface Backoff {
  failures: number;
  retryAt: number;
  reason: string;
}

/** One connection and its confirm channel; when either ends, the whole link ends once, with the first reason. */
class AmqpLink {
  private channel: ConfirmChannel;
  /** Publishes awaiting a confirm, oldest first, by the exchange, routing key and messageId that a basic.return carries back. */
  private readonly pending = new Map<string, Pending[]>();
  /** Exchanges known to exist on this connection. */
  private readonly exchanges = new Map<string, Promise<void>>();
  private endedBy?: Error;
  private closed: Promise<void> = Promise.resolve();

  private constructor(
    private readonly model: ChannelModel,
    broker: string,
    private readonly onEnd: (reason: Error) => void,
  ) {
    // Listeners go on before the first await: an 'error' event without one would crash the process.
    model.on('error', (error: Error) => this.end(`connection failed: ${error.message}`));
    // A broker shutting down closes with CONNECTION_FORCED, which amqplib reports on 'close' alone.
    model.on('close', (error?: Error) => this.end(error ? `connection closed: ${error.message}` : 'connection closed'));
    // A broker low on memory or disk holds publishes back; the publish timeout bounds the wait.
    model.on('blocked', (reason: string) => logger.warn(`${broker} blocks publishing: ${reason}`));
  }

  static async open(url: string, socket: { timeout: number; lookup?: LookupFunction }, onEnd: (reason: Error) => void): Promise<AmqpLink> {
    // The handshake is a string of small request-reply frames that Nagle's algorithm would hold back.
    const link = new AmqpLink(await connect(url, { ...socket, noDelay: true }), redactAmqpUrl(url), onEnd);
    try {
      await link.openChannel();
    } catch (error) {
      link.end(`channel did not open: ${messageOf(error)}`);
      throw error;
    }
    return link;
  }

  private async openChannel(): Promise<void> {
    this.channel = await this.model.createConfirmChannel();
    this.channel.on('error', (error: Error) => this.end(error.message));
    this.channel.on('close', () => this.end('channel closed'));
    this.channel.on('return', (message: Message) => this.returned(message));
  }

  /** Resolves on the broker's confirm; a return, a nack, the link's end or the signal rejects it. */
  async publish(target: AmqpTarget, message: AmqpWebhookMessage, signal: AbortSignal): Promise<void> {
    await untilAborted(this.verifyExchange(target.exchange), signal);
    await this.confirmed(target, message, signal);
  }

  private confirmed(target: AmqpTarget, message: AmqpWebhookMessage, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const key = returnKey(target.exchange, target.routingKey, message.messageId);
      const onAbort = () => pending.settle(signal.reason);
      const pending: Pending = {
        settle: (error) => {
          if (!this.untrack(key, pending)) return;
          signal.removeEventListener('abort', onAbort);
          if (error) reject(error);
          else resolve();
        },
      };
      this.track(key, pending);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        this.channel.publish(target.exchange, target.routingKey, Buffer.from(message.body), publishOptions(message), (error: unknown) =>
          pending.settle(error ? this.confirmFailure(error) : undefined),
        );
      } catch (error) {
        pending.settle(this.endedBy ?? (error as Error));
      }
    });
  }

  private confirmFailure(error: unknown): Error {
    if (messageOf(error) === 'message nacked') return new Error('the broker nacked the message');
    return this.endedBy ?? (error as Error);
  }

  /** RabbitMQ sends basic.return before the confirm, so the publish fails here and its confirm finds it settled. */
  private returned(message: Message): void {
    const { exchange, routingKey, replyCode, replyText } = message.fields as Message['fields'] & { replyCode: number; replyText: string };
    const oldest = this.pending.get(returnKey(exchange, routingKey, message.properties.messageId))?.[0];
    oldest?.settle(new Error(`unroutable, no queue is bound to receive it (${replyCode} ${replyText})`));
  }

  private track(key: string, pending: Pending): void {
    const queue = this.pending.get(key);
    if (queue) queue.push(pending);
    else this.pending.set(key, [pending]);
  }

  /** False when `pending` is settled already. */
  private untrack(key: string, pending: Pending): boolean {
    const queue = this.pending.get(key) ?? [];
    const index = queue.indexOf(pending);
    if (index < 0) return false;
    queue.splice(index, 1);
    if (queue.length === 0) this.pending.delete(key);
    return true;
  }

  /** A missing exchange closes the channel it is used on, so a side channel finds it before the shared one would fail everyone's publishes. */
  private verifyExchange(name: string): Promise<void> {
    if (name === '') return Promise.resolve();
    let check = this.exchanges.get(name);
    if (!check) {
      check = this.checkExchange(name);
      this.exchanges.set(name, check);
      check.catch(() => this.exchanges.delete(name));
    }
    return check;
  }

  private async checkExchange(name: string): Promise<void> {
    const side = await this.model.createChannel();
    // The failed check closes this channel with an 'error' event; checkExchange's rejection carries the reason.
    side.on('error', () => undefined);
    try {
      await side.checkExchange(name);
    } catch (error) {
      throw new Error(`exchange check failed: ${messageOf(error)}`);
    }
    void side.close().catch(() => undefined);
  }

  /** Closes the connection; in-flight publishes reject. */
  close(): Promise<void> {
    this.end('the publisher is shut down');
    return this.closed;
  }

  private end(reason: string): void {
    if (this.endedBy) return;
    this.endedBy = new Error(reason);
    this.onEnd(this.endedBy);
    // After a channel error the connection is still open, and a closed connection's close() fails harmlessly.
    this.closed = this.model.close().catch(() => undefined);
  }
}

/**
 * Publishes signed webhooks to AMQP brokers with publisher confirms: one connection and confirm channel per
 * broker URL, opened on first use and shared by every caller. A publish that fails just rejects; the delivery
 * worker's retry schedule tries it again later, and a URL whose connects keep failing is left alone for a
 * growing pause in between, so a dead broker costs no connect attempt per delivery.
 */
@Injectable()
export class AmqpPublisher implements OnApplicationShutdown {
  private readonly timeoutMs: number;
  private readonly firstBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly lookup?: LookupFunction;
  private readonly links = new Map<string, Promise<AmqpLink>>();
  private readonly backoffs = new Map<string, Backoff>();
  private readonly inFlight = new Set<Promise<void>>();
  private shutDown = false;

  constructor(@Optional() @Inject(AMQP_PUBLISHER_OPTIONS) options: AmqpPublisherOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.firstBackoffMs = options.firstBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.lookup = options.lookup;
  }

  /** Resolves once the broker confirms the message; rejects with a message that names the broker without its password. */
  async publish(target: AmqpTarget, message: AmqpWebhookMessage): Promise<void> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
    const attempt = this.attempt(target, message, deadline.signal);
    this.inFlight.add(attempt);
    try {
      await attempt;
    } catch (error) {
      const where = `${redactAmqpUrl(target.url)} (exchange "${target.exchange}", routing key "${target.routingKey}")`;
      throw new Error(`AMQP publish to ${where} failed: ${messageOf(error)}`);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(attempt);
    }
  }

  /** After the worker has stopped: in-flight publishes finish (each within its timeout), then every connection closes. */
  async onApplicationShutdown(): Promise<void> {
    this.shutDown = true;
    await Promise.allSettled(this.inFlight);
    const links = [...this.links.values()];
    this.links.clear();
    // A half-dead connection never answers the close, so each close gets the publish timeout too.
    await Promise.allSettled(links.map(async (link) => untilAborted((await link).close(), AbortSignal.timeout(this.timeoutMs))));
  }

  private async attempt(target: AmqpTarget, message: AmqpWebhookMessage, signal: AbortSignal): Promise<void> {
    if (this.shutDown) throw new Error('the publisher is shut down');
    const problem = amqpUrlProblem(target.url);
    if (problem) throw new Error(`the URL ${problem}`);
    const link = await untilAborted(this.link(target.url), signal);
    await link.publish(target, message, signal);
  }

  private link(url: string): Promise<AmqpLink> {
    const open = this.links.get(url);
    if (open) return open;
    const refusal = this.refusal(url);
    if (refusal) return Promise.reject(refusal);
    const opening: Promise<AmqpLink> = this.connect(url, (reason) => this.ended(url, opening, reason));
    this.links.set(url, opening);
    opening.catch(() => this.forget(url, opening));
    return opening;
  }

  private async connect(url: string, onEnd: (reason: Error) => void): Promise<AmqpLink> {
    try {
      const link = await AmqpLink.open(url, { timeout: this.timeoutMs, lookup: this.lookup }, onEnd);
      this.backoffs.delete(url);
      logger.log(`Connected to ${redactAmqpUrl(url)}`);
      return link;
    } catch (error) {
      this.failed(url, error);
      throw error;
    }
  }

  private ended(url: string, link: Promise<AmqpLink>, reason: Error): void {
    this.forget(url, link);
    if (!this.shutDown) logger.warn(`Link to ${redactAmqpUrl(url)} ended (${reason.message}); the next publish reconnects`);
  }

  private forget(url: string, link: Promise<AmqpLink>): void {
    if (this.links.get(url) === link) this.links.delete(url);
  }

  private failed(url: string, error: unknown): void {
    const failures = (this.backoffs.get(url)?.failures ?? 0) + 1;
    const pause = Math.min(this.firstBackoffMs * 2 ** (failures - 1), this.maxBackoffMs);
    this.backoffs.set(url, { failures, retryAt: Date.now() + pause, reason: messageOf(error) });
  }

  private refusal(url: string): Error | undefined {
    const backoff = this.backoffs.get(url);
    const wait = backoff ? backoff.retryAt - Date.now() : 0;
    if (!backoff || wait <= 0) return undefined;
    return new Error(`not reconnecting for another ${wait} ms after ${backoff.failures} failed connects (last: ${backoff.reason})`);
  }
}
