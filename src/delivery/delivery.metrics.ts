import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../observability/metrics.service';
import { DeliveryKind } from './delivery.enums';
import { DeliveriesRepository } from './deliveries.repository';

/** Delivery's Prometheus metrics, on the application's registry. */
@Injectable()
export class DeliveryMetrics {
  readonly sent: Counter<'kind'>;
  readonly failed: Counter<'kind'>;
  readonly attemptFailures: Counter<'kind'>;
  readonly latency: Histogram<'kind'>;
  readonly openStreams: Gauge;

  constructor(metrics: MetricsService, queue: DeliveriesRepository) {
    const registers = [metrics.registry];
    this.sent = new Counter({ name: 'delivery_sent_total', help: 'Deliveries sent, by kind', labelNames: ['kind'], registers });
    this.failed = new Counter({ name: 'delivery_failed_total', help: 'Deliveries that ran out of attempts, by kind', labelNames: ['kind'], registers });
    this.attemptFailures = new Counter({ name: 'delivery_attempt_failures_total', help: 'Failed send attempts (retried or final), by kind', labelNames: ['kind'], registers });
    this.latency = new Histogram({
      name: 'delivery_latency_seconds',
      help: 'Time from enqueue (message commit) to successful send, by kind',
      labelNames: ['kind'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
      registers,
    });
    // Every kind from the start at 0: a series that appears only with its first failure breaks rate() and
    // "absent" alerts.
    for (const kind of Object.values(DeliveryKind)) {
      for (const counter of [this.sent, this.failed, this.attemptFailures]) counter.inc({ kind }, 0);
    }
    this.openStreams = new Gauge({ name: 'sse_open_streams', help: 'Open SSE message streams on this instance', registers });
    new Gauge({
      name: 'delivery_queue_depth',
      help: 'Deliveries by kind and status still pending, being sent, or failed (whole database)',
      labelNames: ['kind', 'status'],
      registers,
      async collect() {
        this.reset();
        for (const kind of Object.values(DeliveryKind)) this.set({ kind, status: 'pending' }, 0);
        try {
          for (const row of await queue.depth()) this.set({ kind: row.kind, status: row.status }, row.count);
        } catch {
          // a scrape while the database is away shows zeros rather than failing the whole /metrics
        }
      },
    });
    new Gauge({
      name: 'webhook_events_waiting',
      help: 'Webhook events not yet fanned out into deliveries (whole database)',
      registers,
      async collect() {
        this.set(await queue.waitingWebhookEvents().catch(() => 0));
      },
    });
  }
}
