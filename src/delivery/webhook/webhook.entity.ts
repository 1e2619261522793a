import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Account } from '../../directory/account.entity';
import { WebhookEvent, WebhookMethod, WebhookPayloadVersion, WebhookTransport } from '../delivery.enums';

/** One subscription of an account to webhook events, delivered over HTTP or into an AMQP broker. */
@Entity('webhooks')
@Check('webhooks_transport_check', `"transport" IN ('http', 'amqp')`)
@Check('webhooks_method_check', `"method" IN ('POST', 'PUT', 'PATCH')`)
@Check('webhooks_payload_version_check', `"payload_version" IN ('v3', 'v1')`)
@Index('ix_webhooks_account_id', ['accountId'])
// The one PUT /admin/accounts/{id}/webhook creates or replaces.
@Index('uq_webhooks_default', ['accountId'], { unique: true, where: '"is_default"' })
export class Webhook {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'account_id', type: 'int' })
  accountId: number;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault: boolean;

  @Column({ type: 'varchar', length: 32, array: true })
  events: WebhookEvent[];

  @Column({ type: 'varchar', length: 8 })
  transport: WebhookTransport;

  /** http(s):// or amqp(s)://, with a password for a broker: never echoed or logged (see redactUrl). */
  @Column({ type: 'varchar', length: 2048 })
  url: string;

  @Column({ type: 'varchar', length: 255 })
  secret: string;

  @Column({ type: 'varchar', length: 8, default: WebhookMethod.Post })
  method: WebhookMethod;

  /** Constant headers sent with every HTTP call. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  headers: Record<string, string>;

  @Column({ type: 'varchar', length: 255, default: '' })
  exchange: string;

  @Column({ name: 'routing_key', type: 'varchar', length: 255, nullable: true })
  routingKey: string | null;

  @Column({ name: 'payload_version', type: 'varchar', length: 4, default: WebhookPayloadVersion.V3 })
  payloadVersion: WebhookPayloadVersion;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'webhooks_account_id_fkey' })
  account?: Account;
}
