import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent, fetch } from 'undici';
import { checkPublicHost, checkWebhookUrl, privateAddressGuard } from '../../common/url-safety';
import { EnvironmentVariables } from '../../config/env.validation';
import { AttemptOutcome, ClaimedDelivery } from '../delivery-retry';
import { DeliveriesRepository } from '../deliveries.repository';
import { WebhookEvent, WebhookTransport } from '../delivery.enums';
import { CaseMessageSource } from '../message-source.port';
import { AmqpPublisher } from './amqp-publisher';
import { Webhook } from './webhook.entity';
import { signStandardWebhook, signWebhook } from './webhook-signature';

/** A signed body, ready for either transport. */
interface SignedBody {
  body: string;
  event: WebhookEvent;
  deliveryId: string;
  timestamp: number;
  signature: string;
  /** The same body signed by the Standard Webhooks specification (`webhook-signature`). */
  standardSignature: string;
}

/**
 * Sends a webhook delivery as its webhook is configured now: an HTTP call (method, constant headers) or a
 * persistent AMQP publish confirmed by the broker, each signed with the webhook's secret and carrying the
 * event and the delivery id (the same on every retry, for receivers to drop duplicates).
 */
@Injectable()
export class WebhookSender implements OnApplicationShutdown {
  /** Connections whose address is checked at connect time, from the same DNS answer (url-safety.ts). */
  private readonly agent: Agent;

  constructor(
    private readonly env: EnvironmentVariables,
    private readonly deliveries: DeliveriesRepository,
    private readonly messages: CaseMessageSource,
    private readonly amqp: AmqpPublisher,
  ) {
    this.agent = new Agent({ connect: { lookup: privateAddressGuard(env.WEBHOOK_ALLOW_PRIVATE) } });
  }

  /** After the worker's beforeApplicationShutdown has stopped its loops: a closed agent fails every call at once. */
  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }

  async send(delivery: ClaimedDelivery): Promise<AttemptOutcome> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const webhook = await this.deliveries.findWebhook(delivery.webhookId);
    if (!webhook) return { ok: false, cancelled: true, error: 'webhook removed', latencyMs: elapsed() };
    if (webhook.account?.deactivatedAt) return { ok: false, cancelled: true, error: 'account deactivated', latencyMs: elapsed() };
    const event = delivery.event ?? WebhookEvent.MessageCreated;
    const message = await this.messages.caseMessage(Number(delivery.messageId), webhook.payloadVersion, event);
    if (!message) return { ok: false, cancelled: true, error: 'message deleted', latencyMs: elapsed() };
    // The URL was checked when it was set; check it again right before the call. HTTP connections also check
    // the addresses they connect to (the agent's lookup, the publisher's), so DNS cannot change in between.
    const refused = await this.refusal(webhook);
    if (refused) return { ok: false, permanent: true, error: refused, latencyMs: elapsed() };
    const signed = sign(webhook.secret, JSON.stringify(message), event, delivery.id);
    return webhook.transport === WebhookTransport.Amqp ? this.publish(webhook, signed, started) : this.call(webhook, signed, started);
  }

  private refusal(webhook: Webhook): Promise<string | undefined> {
    if (webhook.transport === WebhookTransport.Http) return checkWebhookUrl(webhook.url, this.env.WEBHOOK_ALLOW_PRIVATE);
    return checkPublicHost(new URL(webhook.url), this.env.WEBHOOK_ALLOW_PRIVATE);
  }

  private async publish(webhook: Webhook, signed: SignedBody, started: number): Promise<AttemptOutcome> {
    try {
      await this.amqp.publish(
        { url: webhook.url, exchange: webhook.exchange, routingKey: webhook.routingKey ?? '' },
        {
          body: signed.body,
          messageId: signed.deliveryId,
          type: signed.event,
          timestamp: String(signed.timestamp),
          signature: signed.signature,
          standardSignature: signed.standardSignature,
        },
      );
      return { ok: true, latencyMs: performance.now() - started };
    } catch (error) {
      return { ok: false, error: (error as Error).message.slice(0, 1000), latencyMs: performance.now() - started };
    }
  }

  private async call(webhook: Webhook, signed: SignedBody, started: number): Promise<AttemptOutcome> {
    try {
      const response = await fetch(webhook.url, {
        dispatcher: this.agent,
        method: webhook.method,
        body: signed.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.env.WEBHOOK_TIMEOUT_MS),
        headers: {
          ...webhook.headers,
          'content-type': 'application/json',
          'user-agent': 'messaging-service-webhooks/1',
          'x-webhook-event': signed.event,
          'x-webhook-id': signed.deliveryId,
          'x-webhook-timestamp': String(signed.timestamp),
          'x-webhook-signature': signed.signature,
          'webhook-id': signed.deliveryId,
          'webhook-timestamp': String(signed.timestamp),
          'webhook-signature': signed.standardSignature,
        },
      });
      await response.body?.cancel();
      const ok = response.status >= 200 && response.status < 300;
      return { ok, statusCode: response.status, error: ok ? undefined : `HTTP ${response.status}`, latencyMs: performance.now() - started };
    } catch (error) {
      const cause = (error as { cause?: Error }).cause?.message;
      const reason =
        (error as Error).name === 'TimeoutError' ? `timeout after ${this.env.WEBHOOK_TIMEOUT_MS} ms` : [(error as Error).message, cause].filter(Boolean).join(': ');
      return { ok: false, error: reason.slice(0, 1000), latencyMs: performance.now() - started };
    }
  }
}

function sign(secret: string, body: string, event: WebhookEvent, deliveryId: string): SignedBody {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    event,
    deliveryId,
    timestamp,
    signature: signWebhook(secret, timestamp, body),
    standardSignature: signStandardWebhook(secret, deliveryId, timestamp, body),
  };
}
