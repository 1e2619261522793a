import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent, fetch } from 'undici';
import { checkWebhookUrl, privateAddressGuard } from '../../common/url-safety';
import { EnvironmentVariables } from '../../config/env.validation';
import { AttemptOutcome, ClaimedDelivery } from '../delivery-retry';
import { DeliveriesRepository } from '../deliveries.repository';
import { CaseMessageSource } from '../message-source.port';
import { signWebhook } from './webhook-signature';

/** POSTs a case message to the receiving account's webhook, signed with the account's secret. */
@Injectable()
export class WebhookSender implements OnApplicationShutdown {
  /** Connections whose address is checked at connect time, from the same DNS answer (url-safety.ts). */
  private readonly agent: Agent;

  constructor(
    private readonly env: EnvironmentVariables,
    private readonly deliveries: DeliveriesRepository,
    private readonly messages: CaseMessageSource,
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
    const target = await this.deliveries.findWebhookTarget(delivery.accountId as number);
    if (!target) return { ok: false, cancelled: true, error: 'webhook removed', latencyMs: elapsed() };
    const message = await this.messages.caseMessage(Number(delivery.messageId));
    if (!message) return { ok: false, cancelled: true, error: 'message deleted', latencyMs: elapsed() };
    // The URL was checked when it was set; check it again (scheme, literal addresses) right before the call. The
    // connection itself checks the addresses it connects to (the agent's lookup), so DNS cannot change in between.
    const refused = await checkWebhookUrl(target.url, this.env.WEBHOOK_ALLOW_PRIVATE);
    if (refused) return { ok: false, permanent: true, error: refused, latencyMs: elapsed() };
    return this.post(target.url, target.secret, JSON.stringify(message), started);
  }

  private async post(url: string, secret: string, body: string, started: number): Promise<AttemptOutcome> {
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(url, {
        dispatcher: this.agent,
        method: 'POST',
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.env.WEBHOOK_TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'messaging-service-webhooks/1',
          'x-webhook-timestamp': String(timestamp),
          'x-webhook-signature': signWebhook(secret, timestamp, body),
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
