import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { Transaction } from '../database/transactions';
import { FAN_OUT_WEBHOOK_EVENTS, INSERT_STREAM_EVENTS } from './delivery-outbox.sql';
import { AttemptOutcome, backoffSeconds, ClaimedDelivery, nextStatus, RetryPolicy } from './delivery-retry';
import { DeliveryKind, DeliveryStatus, StreamEventType } from './delivery.enums';
import { Webhook } from './webhook/webhook.entity';

/** A delivery as the operators' views read it: the claimed fields and where it stands. */
export interface DeliveryRow extends ClaimedDelivery {
  status: DeliveryStatus;
  runAt: Date;
  lastError: string | null;
  updatedAt: Date;
  sentAt: Date | null;
}

export interface AttemptRow {
  attempt: number;
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  attemptedAt: Date;
}

const DELIVERY_COLUMNS = `id::text AS "id", kind, status, message_id AS "messageId", user_id AS "userId", address,
  account_id AS "accountId", webhook_id AS "webhookId", event, attempts, run_at AS "runAt", last_error AS "lastError", created_at AS "createdAt",
  updated_at AS "updatedAt", sent_at AS "sentAt"`;
/** Back in the queue, due now, with a fresh attempt budget (an operator's retry). */
const REQUEUE = `status = 'pending', attempts = 0, run_at = now(), last_error = NULL, updated_at = now()`;

/**
 * The deliveries aggregate (deliveries, their attempts, the users' stream events): claiming due rows,
 * recording attempts, the operators' view. Hand-written SQL: a claim or a round's results are one
 * statement each, whatever the batch size (docs/delivery.md).
 */
@Injectable()
export class DeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes up to `limit` due rows and leases them for `leaseSeconds`: a worker that dies mid-send
   * leaves its rows in `sending`, and they become due again when the lease runs out.
   */
  async claim(kind: DeliveryKind, limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [rows] = await this.dataSource.query(
      `UPDATE deliveries d SET status = 'sending', attempts = d.attempts + 1, run_at = now() + make_interval(secs => $2), updated_at = now()
       WHERE d.id IN (
         SELECT id FROM deliveries WHERE status IN ('pending', 'sending') AND run_at <= now() AND kind = $3
         ORDER BY run_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING d.id::text AS "id", d.kind, d.message_id AS "messageId", d.user_id AS "userId", d.address,
         d.account_id AS "accountId", d.webhook_id AS "webhookId", d.event, d.attempts, d.created_at AS "createdAt"`,
      [limit, leaseSeconds, kind],
    );
    return rows;
  }

  /** Expands up to FAN_OUT_BATCH waiting webhook events into deliveries; how many events and deliveries that made. */
  async fanOutWebhookEvents(): Promise<{ events: number; deliveries: number }> {
    const [row] = await this.dataSource.query(FAN_OUT_WEBHOOK_EVENTS);
    return row;
  }

  /**
   * Records a round's attempts and moves each row on (sent, cancelled, back to pending after a
   * backoff, or failed), in one statement for the whole round.
   */
  async finish(results: Array<{ delivery: ClaimedDelivery; outcome: AttemptOutcome }>, policy: RetryPolicy): Promise<DeliveryStatus[]> {
    if (results.length === 0) return [];
    const now = Date.now();
    const statuses = results.map(({ delivery, outcome }) => nextStatus(delivery, outcome, policy, now));
    const delays = results.map(({ delivery }, i) => (statuses[i] === DeliveryStatus.Pending ? backoffSeconds(delivery.attempts, policy.backoffBaseSeconds) : 0));
    await this.dataSource.query(
      `WITH input AS (
         SELECT * FROM unnest($1::bigint[], $2::varchar[], $3::float8[], $4::text[], $5::int[], $6::boolean[], $7::int[], $8::int[])
           AS t(id, status, delay, error, attempt, ok, status_code, latency_ms)
       ), updated AS (
         UPDATE deliveries d SET status = i.status, run_at = now() + make_interval(secs => i.delay), last_error = i.error, updated_at = now(),
           sent_at = CASE WHEN i.status = 'sent' THEN now() ELSE d.sent_at END
         FROM input i WHERE d.id = i.id AND d.status = 'sending' RETURNING d.id)
       INSERT INTO delivery_attempts (delivery_id, attempt, ok, status_code, latency_ms, error)
       SELECT id, attempt, ok, status_code, latency_ms, error FROM input`,
      [
        results.map((r) => r.delivery.id),
        statuses,
        delays,
        results.map((r) => r.outcome.error ?? null),
        results.map((r) => r.delivery.attempts),
        results.map((r) => r.outcome.ok),
        results.map((r) => r.outcome.statusCode ?? null),
        results.map((r) => Math.round(r.outcome.latencyMs)),
      ],
    );
    return statuses;
  }

  async list(status: DeliveryStatus | undefined, kind: DeliveryKind | undefined, limit: number, beforeId?: string): Promise<DeliveryRow[]> {
    return this.dataSource.query(
      // d.id, not id: the output column "id" is text, and ORDER BY would sort by it ("9" before "10").
      `SELECT ${DELIVERY_COLUMNS} FROM deliveries d
       WHERE ($1::varchar IS NULL OR d.status = $1) AND ($2::varchar IS NULL OR d.kind = $2) AND ($3::bigint IS NULL OR d.id < $3)
       ORDER BY d.id DESC LIMIT $4`,
      [status ?? null, kind ?? null, beforeId ?? null, limit],
    );
  }

  async get(id: string): Promise<{ delivery: DeliveryRow; attempts: AttemptRow[] }> {
    const [delivery] = await this.dataSource.query(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE id = $1`, [id]);
    if (!delivery) throw new DomainError('NOT_FOUND', 'Delivery not found');
    const attempts = await this.dataSource.query(
      `SELECT attempt, ok, status_code AS "statusCode", latency_ms AS "latencyMs", error, attempted_at AS "attemptedAt"
       FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`,
      [id],
    );
    return { delivery, attempts };
  }

  /** Makes a delivery due now with a fresh attempt budget (redelivery of a sent one included). */
  async retry(id: string): Promise<DeliveryRow> {
    const [rows] = await this.dataSource.query(
      `UPDATE deliveries SET ${REQUEUE}
       WHERE id = $1 AND status <> 'sending' RETURNING ${DELIVERY_COLUMNS}`,
      [id],
    );
    if (rows.length > 0) return rows[0];
    await this.get(id);
    throw new DomainError('CONFLICT', 'Delivery is being sent right now; retry later');
  }

  /**
   * Every failed delivery (of one kind, or both) due now with a fresh attempt budget: after an outage longer
   * than DELIVERY_RETRY_HOURS, once the SMTP server or receiver is back. How many were requeued.
   */
  async retryFailed(kind: DeliveryKind | undefined): Promise<number> {
    // TypeORM answers an UPDATE with [rows, rowCount]. ix_deliveries_status_id finds the failed rows.
    const [, count] = await this.dataSource.query(
      `UPDATE deliveries SET ${REQUEUE}
       WHERE status = 'failed' AND ($1::varchar IS NULL OR kind = $1)`,
      [kind ?? null],
    );
    return count;
  }

  /** Deletes stream events older than `days` (ix_user_stream_events_created_at). */
  async pruneStreamEvents(days: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM user_stream_events WHERE created_at < now() - make_interval(days => $1)`, [days]);
  }

  /** Rows still to be sent, by kind (the queue depth operators watch). */
  async depth(): Promise<Array<{ kind: DeliveryKind; status: DeliveryStatus; count: number }>> {
    const rows: Array<{ kind: DeliveryKind; status: DeliveryStatus; count: string }> = await this.dataSource.query(
      `SELECT kind, status, count(*) AS count FROM deliveries WHERE status IN ('pending', 'sending', 'failed') GROUP BY kind, status`,
    );
    return rows.map((r) => ({ ...r, count: Number(r.count) }));
  }

  /** Webhook events not yet fanned out into deliveries (whole database). */
  async waitingWebhookEvents(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM webhook_events`);
    return row.n;
  }

  /** Stream events for users' open SSE streams, in the caller's transaction; one statement for any number. */
  async insertStreamEvents(tx: Transaction, events: Array<{ userId: string; type: StreamEventType; messageId: string }>): Promise<void> {
    await tx.manager.query(INSERT_STREAM_EVENTS, [events.map((e) => e.userId), events.map((e) => e.type), events.map((e) => e.messageId)]);
  }

  /** The webhook a delivery goes to, as it is now, with its account (to see a deactivation); undefined when it has been deleted. */
  async findWebhook(webhookId: string | null): Promise<Webhook | undefined> {
    if (webhookId === null) return undefined;
    return (await this.dataSource.getRepository(Webhook).findOne({ where: { id: webhookId }, relations: { account: true } })) ?? undefined;
  }
}
