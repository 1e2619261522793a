import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { DeliveryKind, DeliveryStatus, StreamEventType, WebhookEvent } from './delivery.enums';
import { Webhook } from './webhook/webhook.entity';

/** One e-mail (message × recipient) or one webhook call (case message event × webhook). */
@Entity('deliveries')
@Check('deliveries_kind_check', `"kind" IN ('email', 'webhook', 'amqp')`)
@Check('deliveries_status_check', `"status" IN ('pending', 'sending', 'sent', 'failed', 'cancelled')`)
@Index('ix_deliveries_due', ['kind', 'runAt'], { where: `"status" IN ('pending', 'sending')` })
@Index('ix_deliveries_status_id', ['status', 'id'])
@Index('ix_deliveries_webhook_id_id', ['webhookId', 'id'], { where: '"webhook_id" IS NOT NULL' })
// A user's e-mails, for erasure and deactivation.
@Index('ix_deliveries_user_id', ['userId'], { where: '"user_id" IS NOT NULL' })
// Deliveries sent in the last hour, for the operator console's chart.
@Index('ix_deliveries_sent_at', ['sentAt'], { where: '"sent_at" IS NOT NULL' })
export class Delivery {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 16 })
  kind: DeliveryKind;

  @Column({ type: 'varchar', length: 16, default: DeliveryStatus.Pending })
  status: DeliveryStatus;

  /** The v2 message uuid (e-mail) or the v3 case message id (webhook), as text. */
  @Column({ name: 'message_id', type: 'varchar', length: 64 })
  messageId: string;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  address: string | null;

  @Column({ name: 'account_id', type: 'int', nullable: true })
  accountId: number | null;

  /** The webhook a webhook delivery goes to; NULL once the webhook is deleted (the worker then cancels it). */
  @Column({ name: 'webhook_id', type: 'uuid', nullable: true })
  webhookId: string | null;

  /** The webhook event (message.created, message.confirmed); NULL for e-mails. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  event: WebhookEvent | null;

  // The foreign key, for the schema only.
  @ManyToOne(() => Webhook, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'webhook_id', foreignKeyConstraintName: 'deliveries_webhook_id_fkey' })
  webhook?: Webhook;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'run_at', type: 'timestamptz', default: () => 'now()' })
  runAt: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}

/** The log of one send attempt, for operators. */
@Entity('delivery_attempts')
@Index('ix_delivery_attempts_delivery_id', ['deliveryId', 'id'])
export class DeliveryAttempt {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'delivery_id', type: 'bigint' })
  deliveryId: string;

  @Column({ type: 'int' })
  attempt: number;

  @Column({ type: 'boolean' })
  ok: boolean;

  @Column({ name: 'status_code', type: 'int', nullable: true })
  statusCode: number | null;

  @Column({ name: 'latency_ms', type: 'int' })
  latencyMs: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'attempted_at', type: 'timestamptz', default: () => 'now()' })
  attemptedAt: Date;

  // The foreign key, for the schema only: never loaded (services use deliveryId).
  @ManyToOne(() => Delivery, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'delivery_attempts_delivery_id_fkey' })
  delivery?: Delivery;
}

/** One change a user's open streams must hear about; (user, seq) is the SSE event id. */
@Entity('user_stream_events')
@Check('user_stream_events_type_check', `"type" IN ('message', 'updated', 'deleted')`)
export class UserStreamEventRow {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'varchar', length: 16 })
  type: StreamEventType;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId: string;

  @Index('ix_user_stream_events_created_at')
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/**
 * A webhook event waiting to be fanned out: the (message, account) pairs one v3 statement created or
 * confirmed, as parallel arrays. The workers turn it into one delivery per subscribed webhook.
 */
@Entity('webhook_events')
export class WebhookEventRow {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  event: WebhookEvent;

  @Column({ name: 'message_ids', type: 'text', array: true })
  messageIds: string[];

  @Column({ name: 'account_ids', type: 'int', array: true })
  accountIds: number[];

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
