import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EnvironmentVariables } from '../config/env.validation';
import { DeliveryKind, DeliveryStatus } from './delivery.enums';
import { DeliveryMetrics } from './delivery.metrics';
import { DeliveriesRepository } from './deliveries.repository';
import { AttemptOutcome, ClaimedDelivery, RetryPolicy } from './delivery-retry';
import { FAN_OUT_BATCH } from './delivery-outbox.sql';
import { DeliverySignals } from './delivery-signals';
import { EmailMessage } from './email/email-content';
import { EmailSender } from './email/email-sender.service';
import { Waker } from './waker';
import { WebhookSender } from './webhook/webhook-sender.service';

/** How often idle workers look for due rows written by other instances or whose backoff ran out. */
const POLL_MS = 500;
/** After a database error, wait this long before trying again (the pool reconnects by itself). */
const ERROR_PAUSE_MS = 1000;
/** Recording a round's outcomes stops retrying this long before the round's lease ends (then the rows go back to the queue). */
const FINISH_MARGIN_MS = 5000;
/** Stream events older than this are pruned; a tab offline longer reloads its inbox instead of replaying. */
const STREAM_EVENT_RETENTION_DAYS = 7;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

type Result = { delivery: ClaimedDelivery; outcome: AttemptOutcome };

/**
 * Sends due deliveries in this process when WORKERS_ENABLED (an operator can instead run dedicated
 * worker instances with it on and API instances with it off). One loop per kind, so a slow webhook
 * receiver never holds e-mails back; each round claims up to WORKER_CONCURRENCY rows, sends them in
 * parallel and records all outcomes in one statement. One more loop fans webhook events out into
 * webhook and AMQP deliveries. Any number of instances may run side by side.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorker.name);
  private readonly wakers = new Map(Object.values(DeliveryKind).map((kind) => [kind, new Waker()]));
  private readonly fanOutWaker = new Waker();
  private running = false;
  private loops: Promise<void>[] = [];
  private unsubscribe?: () => void;
  private pruneTimer?: NodeJS.Timeout;
  private readonly retryPolicy: RetryPolicy;

  constructor(
    private readonly env: EnvironmentVariables,
    private readonly queue: DeliveriesRepository,
    private readonly signals: DeliverySignals,
    private readonly email: EmailSender,
    private readonly webhook: WebhookSender,
    private readonly metrics: DeliveryMetrics,
  ) {
    this.retryPolicy = { maxAttempts: env.DELIVERY_MAX_ATTEMPTS, retryHours: env.DELIVERY_RETRY_HOURS, backoffBaseSeconds: env.DELIVERY_BACKOFF_BASE_SECONDS };
  }

  onApplicationBootstrap(): void {
    if (!this.env.WORKERS_ENABLED) return;
    this.running = true;
    // A create queues e-mails or webhook events, never webhook deliveries: those come from the fan-out, which
    // wakes the webhook loops itself, so waking them here would only cost two empty claims.
    this.unsubscribe = this.signals.on('deliveries', () => {
      this.fanOutWaker.wake();
      this.wakers.get(DeliveryKind.Email)?.wake();
    });
    const size = this.env.WORKER_CONCURRENCY;
    this.loops = [
      this.loop('webhook fan-out', this.fanOutWaker, () => this.fanOut()),
      ...[...this.wakers].map(([kind, waker]) => this.loop(`${kind} delivery`, waker, async () => (await this.runRound(kind, size)) >= size)),
    ];
    this.pruneTimer = setInterval(() => void this.pruneStreamEvents(), PRUNE_EVERY_MS).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    clearInterval(this.pruneTimer);
    this.unsubscribe?.();
    this.wakeAll();
    await Promise.all(this.loops);
  }

  private wakeAll(): void {
    this.fanOutWaker.wake();
    this.wakers.forEach((w) => w.wake());
  }

  /** Runs `round` until shutdown; `round` answers whether more work is waiting (else the loop sleeps until woken or polled). */
  private async loop(name: string, waker: Waker, round: () => Promise<boolean>): Promise<void> {
    while (this.running) {
      let more = false;
      try {
        more = await round();
      } catch (error) {
        this.logger.warn(`${name} round failed, retrying: ${(error as Error).message}`);
        await waker.sleep(ERROR_PAUSE_MS);
        continue;
      }
      if (!more) await waker.sleep(POLL_MS);
    }
  }

  /** Turns waiting webhook events into deliveries and wakes this process's webhook loops for them. */
  private async fanOut(): Promise<boolean> {
    const { events, deliveries } = await this.queue.fanOutWebhookEvents();
    if (deliveries > 0) [DeliveryKind.Webhook, DeliveryKind.Amqp].forEach((kind) => this.wakers.get(kind)?.wake());
    return events >= FAN_OUT_BATCH;
  }

  /** Claims a batch of one kind, sends it, records it; returns how many rows it claimed. */
  private async runRound(kind: DeliveryKind, size: number): Promise<number> {
    const leaseSeconds = this.leaseSeconds();
    const leaseEnds = Date.now() + leaseSeconds * 1000;
    const batch = await this.queue.claim(kind, size, leaseSeconds);
    if (batch.length === 0) return 0;
    const results = kind === DeliveryKind.Email ? await this.sendEmails(batch) : await Promise.all(batch.map((d) => this.attempt(d, () => this.webhook.send(d))));
    const statuses = await this.finish(results, leaseEnds - FINISH_MARGIN_MS);
    results.forEach((result, i) => this.record(result, statuses[i]));
    return batch.length;
  }

  private async sendEmails(batch: ClaimedDelivery[]): Promise<Result[]> {
    let messages: Map<string, EmailMessage>;
    try {
      messages = await this.email.prepare(batch);
    } catch (error) {
      return batch.map((delivery) => ({ delivery, outcome: { ok: false, error: (error as Error).message, latencyMs: 0 } }));
    }
    return Promise.all(batch.map((d) => this.attempt(d, () => this.email.send(d, messages))));
  }

  private async attempt(delivery: ClaimedDelivery, send: () => Promise<AttemptOutcome>): Promise<Result> {
    try {
      return { delivery, outcome: await send() };
    } catch (error) {
      return { delivery, outcome: { ok: false, error: (error as Error).message, latencyMs: 0 } };
    }
  }

  /**
   * Records the outcomes, retrying through a database outage until `giveUpAt` (shortly before the lease
   * ends): a sent e-mail whose row stayed in `sending` is sent again when its lease runs out, so giving up
   * any earlier only adds duplicates.
   */
  private async finish(results: Result[], giveUpAt: number): Promise<DeliveryStatus[]> {
    for (;;) {
      try {
        return await this.queue.finish(results, this.retryPolicy);
      } catch (error) {
        // Shutting down: leave the rows to their lease rather than hold the shutdown.
        if (!this.running || Date.now() + ERROR_PAUSE_MS >= giveUpAt) throw error;
        await new Promise((resolve) => setTimeout(resolve, ERROR_PAUSE_MS));
      }
    }
  }

  private record({ delivery, outcome }: Result, status: DeliveryStatus): void {
    const kind = delivery.kind;
    if (status === DeliveryStatus.Sent) {
      this.metrics.sent.inc({ kind });
      this.metrics.latency.observe({ kind }, (Date.now() - new Date(delivery.createdAt).getTime()) / 1000);
      return;
    }
    if (status === DeliveryStatus.Cancelled) return;
    this.metrics.attemptFailures.inc({ kind });
    if (status === DeliveryStatus.Failed) {
      this.metrics.failed.inc({ kind });
      this.logger.warn(`${kind} delivery ${delivery.id} failed after ${delivery.attempts} attempts: ${outcome.error}`);
    }
  }

  private async pruneStreamEvents(): Promise<void> {
    try {
      await this.queue.pruneStreamEvents(STREAM_EVENT_RETENTION_DAYS);
    } catch (error) {
      this.logger.warn(`pruning stream events failed: ${(error as Error).message}`);
    }
  }

  /** Long enough that a live worker always finishes first; a dead one's rows come back after it. */
  private leaseSeconds(): number {
    return Math.max(60, Math.ceil((3 * this.env.WEBHOOK_TIMEOUT_MS) / 1000));
  }
}
