import { fieldFailure } from '../../common/validation-message';
import { WebhookEvent, WebhookMethod, WebhookPayloadVersion, WebhookTransport } from '../delivery.enums';
import { amqpUrlProblem } from './amqp-publisher';
import { MAX_WEBHOOK_HEADERS } from './dto/webhook.dto';
import { WebhookFields } from './webhooks.repository';
import { whsecProblem } from './webhook-signature';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
const MAX_HEADER_VALUE_LENGTH = 1024;
/** Set by the sender itself: a constant value would break the request or forge the signature. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection']);

/** The fields of a new webhook before the rules: what the operator gave, the rest at its defaults. */
export function withDefaults(given: Partial<WebhookFields>): WebhookFields {
  return {
    events: given.events ?? [WebhookEvent.MessageCreated],
    transport: given.transport ?? WebhookTransport.Http,
    url: given.url ?? '',
    secret: given.secret ?? '',
    method: given.method ?? WebhookMethod.Post,
    headers: given.headers ?? {},
    exchange: given.exchange ?? '',
    routingKey: given.routingKey ?? null,
    payloadVersion: given.payloadVersion ?? WebhookPayloadVersion.V3,
  };
}

/** The settable fields of a stored webhook. */
export function fieldsOf(webhook: WebhookFields): WebhookFields {
  const { events, transport, url, secret, method, headers, exchange, routingKey, payloadVersion } = webhook;
  return { events, transport, url, secret, method, headers, exchange, routingKey, payloadVersion };
}

/**
 * The stored webhook with a PATCH applied. Changing the transport drops the other transport's settings
 * (method and headers, or exchange and routing key) unless the patch sets them again.
 */
export function applyPatch(stored: WebhookFields, patch: Partial<WebhookFields>): WebhookFields {
  stored = fieldsOf(stored);
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<WebhookFields>;
  if (defined.transport === undefined || defined.transport === stored.transport) return { ...stored, ...defined };
  const { events, url, secret, payloadVersion } = stored;
  return withDefaults({ events, url, secret, payloadVersion, ...defined });
}

/**
 * What is wrong with a webhook across its fields (the DTO checks each field alone), as a 400 message naming
 * the field; undefined when it is fine. The URL's reachability is checked separately (it needs DNS).
 */
export function webhookProblem(webhook: WebhookFields): string | undefined {
  const secret = whsecProblem(webhook.secret);
  if (secret) return fieldFailure('secret', secret);
  if (webhook.transport === WebhookTransport.Amqp) return amqpProblem(webhook);
  if (webhook.exchange !== '') return fieldFailure('exchange', 'applies to amqp webhooks only');
  if (webhook.routingKey !== null) return fieldFailure('routingKey', 'applies to amqp webhooks only');
  return headersProblem(webhook.headers);
}

function amqpProblem(webhook: WebhookFields): string | undefined {
  const url = amqpUrlProblem(webhook.url);
  if (url) return fieldFailure('url', url);
  if (webhook.method !== WebhookMethod.Post) return fieldFailure('method', 'applies to http webhooks only');
  if (Object.keys(webhook.headers).length > 0) return fieldFailure('headers', 'apply to http webhooks only');
  if (webhook.exchange === '' && !webhook.routingKey) return fieldFailure('routingKey', 'is required with the default exchange (it names the queue)');
  return undefined;
}

export function headersProblem(headers: Record<string, unknown>): string | undefined {
  const entries = Object.entries(headers);
  if (entries.length > MAX_WEBHOOK_HEADERS) return fieldFailure('headers', `must contain at most ${MAX_WEBHOOK_HEADERS} headers`);
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) return fieldFailure('headers', `must use valid header names (not "${name.slice(0, 64)}")`);
    if (RESERVED_HEADERS.has(lower) || lower.startsWith('x-webhook-') || lower.startsWith('webhook-')) return fieldFailure('headers', `must not set ${name}: the service sets it`);
    if (seen.has(lower)) return fieldFailure('headers', `must name ${name} once`);
    seen.add(lower);
    if (typeof value !== 'string') return fieldFailure('headers', `must map ${name} to a string`);
    if (value.length > MAX_HEADER_VALUE_LENGTH) return fieldFailure('headers', `must keep ${name} at most ${MAX_HEADER_VALUE_LENGTH} characters`);
    if (/[\r\n\0]/.test(value)) return fieldFailure('headers', `must not put line breaks in ${name}`);
  }
  return undefined;
}
