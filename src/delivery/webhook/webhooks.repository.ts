import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeliveryRow } from '../deliveries.repository';
import { Webhook } from './webhook.entity';

export type WebhookFields = Omit<Webhook, 'id' | 'accountId' | 'isDefault' | 'createdAt' | 'updatedAt' | 'account'>;

/**
 * The webhooks aggregate: an account's subscriptions and each one's delivery log. Operators' writes are rare,
 * so this uses TypeORM's entity repository; the log is SQL on ix_deliveries_webhook_id_id.
 */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  insert(accountId: number, fields: WebhookFields): Promise<Webhook> {
    return this.dataSource.getRepository(Webhook).save({ accountId, isDefault: false, ...fields });
  }

  async accountExists(accountId: number): Promise<boolean> {
    const rows = await this.dataSource.query(`SELECT 1 FROM accounts WHERE id = $1`, [accountId]);
    return rows.length > 0;
  }

  listByAccount(accountId: number): Promise<Webhook[]> {
    return this.dataSource.getRepository(Webhook).find({ where: { accountId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async find(id: string): Promise<Webhook | undefined> {
    return (await this.dataSource.getRepository(Webhook).findOneBy({ id })) ?? undefined;
  }

  async update(id: string, fields: Partial<WebhookFields>): Promise<Webhook | undefined> {
    await this.dataSource.getRepository(Webhook).update(id, { ...fields, updatedAt: new Date() });
    return this.find(id);
  }

  /** True when there was one to delete. Its deliveries stay, with webhook_id NULL (the worker cancels pending ones). */
  async delete(id: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(Webhook).delete(id);
    return (result.affected ?? 0) > 0;
  }

  /** Creates or replaces the account's default webhook (HTTP POST, v3, message.created), in one statement. */
  async upsertDefault(accountId: number, fields: WebhookFields): Promise<Webhook> {
    const [row]: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO webhooks (account_id, is_default, events, transport, url, secret, method, headers, exchange, routing_key, payload_version)
       VALUES ($1, true, $2::varchar(32)[], $3, $4, $5, $6, $7::jsonb, $8, $9, $10)
       ON CONFLICT (account_id) WHERE is_default DO UPDATE SET
         events = EXCLUDED.events, transport = EXCLUDED.transport, url = EXCLUDED.url, secret = EXCLUDED.secret, method = EXCLUDED.method,
         headers = EXCLUDED.headers, exchange = EXCLUDED.exchange, routing_key = EXCLUDED.routing_key, payload_version = EXCLUDED.payload_version,
         updated_at = now()
       RETURNING id`,
      [accountId, fields.events, fields.transport, fields.url, fields.secret, fields.method, JSON.stringify(fields.headers), fields.exchange, fields.routingKey, fields.payloadVersion],
    );
    return (await this.find(row.id)) as Webhook;
  }

  /** The URL of the account's default webhook, or null. */
  async defaultUrl(accountId: number): Promise<string | null> {
    const webhook = await this.dataSource.getRepository(Webhook).findOneBy({ accountId, isDefault: true });
    return webhook?.url ?? null;
  }

  /** The webhook's deliveries, newest first, before `beforeId` (keyset). */
  deliveries(webhookId: string, limit: number, beforeId?: string): Promise<DeliveryRow[]> {
    return this.dataSource.query(
      `SELECT id::text AS "id", kind, status, message_id AS "messageId", user_id AS "userId", address, account_id AS "accountId",
              webhook_id AS "webhookId", event, attempts, run_at AS "runAt", last_error AS "lastError", created_at AS "createdAt",
              updated_at AS "updatedAt", sent_at AS "sentAt"
         FROM deliveries d WHERE d.webhook_id = $1 AND ($2::bigint IS NULL OR d.id < $2) ORDER BY d.id DESC LIMIT $3`,
      [webhookId, beforeId ?? null, limit],
    );
  }
}
