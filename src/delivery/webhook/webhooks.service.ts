import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error';
import { checkPublicHost, checkWebhookUrl } from '../../common/url-safety';
import { EnvironmentVariables } from '../../config/env.validation';
import { pgErrorCode } from '../../database/database-errors';
import { DeliveriesRepository, DeliveryRow } from '../deliveries.repository';
import { WebhookEvent, WebhookTransport } from '../delivery.enums';
import { redactAmqpUrl } from './amqp-publisher';
import { CreateWebhookDto, UpdateWebhookDto, WebhookResponseDto } from './dto/webhook.dto';
import { Webhook } from './webhook.entity';
import { applyPatch, webhookProblem, withDefaults } from './webhook-rules';
import { WebhookFields, WebhooksRepository } from './webhooks.repository';

const PG_FOREIGN_KEY_VIOLATION = '23503';

/** Operators' webhook subscriptions, shared by the admin API and the CLI. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly env: EnvironmentVariables,
  ) {}

  async create(accountId: number, dto: CreateWebhookDto): Promise<WebhookResponseDto> {
    const fields = await this.checked(withDefaults(dto));
    try {
      return toWebhookResponse(await this.webhooks.insert(accountId, fields));
    } catch (error) {
      if (pgErrorCode(error) === PG_FOREIGN_KEY_VIOLATION) throw new DomainError('NOT_FOUND', 'Account not found');
      throw error;
    }
  }

  async list(accountId: number): Promise<WebhookResponseDto[]> {
    const webhooks = await this.webhooks.listByAccount(accountId);
    if (webhooks.length === 0 && !(await this.webhooks.accountExists(accountId))) throw new DomainError('NOT_FOUND', 'Account not found');
    return webhooks.map(toWebhookResponse);
  }

  async get(id: string): Promise<WebhookResponseDto> {
    return toWebhookResponse(await this.require(id));
  }

  async update(id: string, dto: UpdateWebhookDto): Promise<WebhookResponseDto> {
    const stored = await this.require(id);
    const fields = await this.checked(applyPatch(stored, dto));
    return toWebhookResponse((await this.webhooks.update(id, fields)) ?? (await this.require(id)));
  }

  async delete(id: string): Promise<{ id: string; deleted: boolean }> {
    if (!(await this.webhooks.delete(id))) throw new DomainError('NOT_FOUND', 'Webhook not found');
    return { id, deleted: true };
  }

  async deliveryLog(id: string, limit: number, beforeId?: string): Promise<DeliveryRow[]> {
    await this.require(id);
    return this.webhooks.deliveries(id, limit, beforeId);
  }

  /** Sends one of the webhook's deliveries again, with a fresh attempt budget and the same X-Webhook-Id. */
  async redeliver(id: string, deliveryId: string): Promise<DeliveryRow> {
    await this.require(id);
    const { delivery } = await this.deliveries.get(deliveryId);
    if (delivery.webhookId !== id) throw new DomainError('NOT_FOUND', 'Delivery not found for this webhook');
    return this.deliveries.retry(deliveryId);
  }

  /** `PUT /admin/accounts/{id}/webhook`: the account's default webhook (HTTP POST, v3, message.created). */
  async setDefault(accountId: number, url: string, secret: string): Promise<WebhookResponseDto> {
    const fields = await this.checked(withDefaults({ url, secret, events: [WebhookEvent.MessageCreated] }));
    return toWebhookResponse(await this.webhooks.upsertDefault(accountId, fields));
  }

  defaultUrl(accountId: number): Promise<string | null> {
    return this.webhooks.defaultUrl(accountId);
  }

  private async require(id: string): Promise<Webhook> {
    const webhook = await this.webhooks.find(id);
    if (!webhook) throw new DomainError('NOT_FOUND', 'Webhook not found');
    return webhook;
  }

  /** The webhook if every rule holds, including a URL that does not reach a private address; a 400 otherwise. */
  private async checked(fields: WebhookFields): Promise<WebhookFields> {
    const problem = webhookProblem(fields) ?? (await this.urlProblem(fields));
    if (problem) throw new DomainError('INVALID', problem);
    return fields;
  }

  private urlProblem(fields: WebhookFields): Promise<string | undefined> {
    if (fields.transport === WebhookTransport.Http) return checkWebhookUrl(fields.url, this.env.WEBHOOK_ALLOW_PRIVATE);
    return checkPublicHost(new URL(fields.url), this.env.WEBHOOK_ALLOW_PRIVATE);
  }
}

/** Never the secret; a broker password as ***. */
export function toWebhookResponse(webhook: Webhook): WebhookResponseDto {
  return {
    id: webhook.id,
    accountId: webhook.accountId,
    events: webhook.events,
    transport: webhook.transport,
    url: webhook.transport === WebhookTransport.Amqp ? redactAmqpUrl(webhook.url) : webhook.url,
    method: webhook.method,
    headers: webhook.headers,
    exchange: webhook.exchange,
    routingKey: webhook.routingKey,
    payloadVersion: webhook.payloadVersion,
    isDefault: webhook.isDefault,
    createdAt: webhook.createdAt.toISOString(),
    updatedAt: webhook.updatedAt.toISOString(),
  };
}
