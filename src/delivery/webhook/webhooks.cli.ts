import { parseIntId } from '../../common/int-id';
import { isUuid } from '../../common/uuid';
import { validateDto } from '../../common/validate-dto';
import { DeliveryIdPipe } from '../delivery-id.pipe';
import { DEFAULT_DELIVERY_LIST_LIMIT, DeliveryPageQueryDto, toDeliveryResponse } from '../dto/delivery.dto';
import { CreateWebhookDto, UpdateWebhookDto } from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

export const WEBHOOKS_CLI_USAGE = `  webhooks:create ACCOUNT_ID --transport http|amqp --url URL --secret SECRET --events message.created,message.confirmed
                  [--method POST|PUT|PATCH] [--headers '{"Name":"value"}'] [--exchange NAME] [--routing-key KEY] [--payload-version v3|v1]
  webhooks:list   ACCOUNT_ID
  webhooks:show   WEBHOOK_ID
  webhooks:update WEBHOOK_ID [any option of webhooks:create]
  webhooks:delete WEBHOOK_ID
  webhooks:deliveries WEBHOOK_ID [--limit N]
  webhooks:redeliver  WEBHOOK_ID DELIVERY_ID`;

/** The option names webhooks:create and webhooks:update take, besides the shared ones (url, secret, limit). */
export const WEBHOOKS_CLI_OPTIONS = ['transport', 'events', 'method', 'headers', 'exchange', 'routing-key', 'payload-version'];

type Options = Record<string, string | undefined>;

/** The CLI's webhook commands: the same operations and validation as the admin API. */
export async function runWebhooksCommand(command: string, [id, deliveryId]: string[], options: Options, webhooks: WebhooksService): Promise<unknown> {
  switch (command) {
    case 'webhooks:create':
      return webhooks.create(accountId(id), validateDto(CreateWebhookDto, fieldsFrom(options)));
    case 'webhooks:list':
      return webhooks.list(accountId(id));
    case 'webhooks:show':
      return webhooks.get(webhookId(id));
    case 'webhooks:update':
      return webhooks.update(webhookId(id), validateDto(UpdateWebhookDto, fieldsFrom(options)));
    case 'webhooks:delete':
      return webhooks.delete(webhookId(id));
    case 'webhooks:deliveries': {
      const query = validateDto(DeliveryPageQueryDto, { limit: options.limit });
      return (await webhooks.deliveryLog(webhookId(id), query.limit ?? DEFAULT_DELIVERY_LIST_LIMIT)).map((row) => toDeliveryResponse(row));
    }
    case 'webhooks:redeliver':
      return toDeliveryResponse(await webhooks.redeliver(webhookId(id), new DeliveryIdPipe().transform(deliveryId ?? '')));
    default:
      throw new Error(`Unknown command "${command}"`);
  }
}

/** The body the admin API would get: only the options given, lists split at commas, headers as JSON. */
function fieldsFrom(options: Options): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    transport: options.transport,
    url: options.url,
    secret: options.secret,
    method: options.method,
    exchange: options.exchange,
    routingKey: options['routing-key'],
    payloadVersion: options['payload-version'],
    events: options.events?.split(',').map((e) => e.trim()).filter(Boolean),
    headers: options.headers === undefined ? undefined : parseHeaders(options.headers),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function parseHeaders(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw new Error('--headers must be a JSON object, e.g. \'{"X-Api-Key":"value"}\'');
  }
}

function accountId(value: string | undefined): number {
  const id = parseIntId(value);
  if (id === undefined) throw new Error(`ACCOUNT_ID must be a positive integer (got "${value ?? ''}")`);
  return id;
}

function webhookId(value: string | undefined): string {
  if (!value || !isUuid(value)) throw new Error(`WEBHOOK_ID must be a valid GUID (got "${value ?? ''}")`);
  return value.toLowerCase();
}
