import { DeliveryKind, DeliveryStatus, WebhookEvent } from './delivery.enums';

/** A claimed delivery row, as the workers need it. */
export interface ClaimedDelivery {
  id: string;
  kind: DeliveryKind;
  messageId: string;
  userId: string | null;
  address: string | null;
  accountId: number | null;
  webhookId: string | null;
  event: WebhookEvent | null;
  attempts: number;
  createdAt: Date;
}

/** What one send attempt came to. */
export interface AttemptOutcome {
  ok: boolean;
  statusCode?: number;
  latencyMs: number;
  error?: string;
  /** Retrying cannot help (e.g. the webhook URL is refused); go straight to failed. */
  permanent?: boolean;
  /** Nothing to send any more (message deleted, webhook removed). */
  cancelled?: boolean;
}

/** When to give up on a delivery and how long to wait between attempts (from the environment). */
export interface RetryPolicy {
  maxAttempts: number;
  retryHours: number;
  backoffBaseSeconds: number;
}

const MAX_BACKOFF_SECONDS = 3600;

/** Exponential backoff before attempt `attempts + 1`: base, 2·base, 4·base … capped at an hour. */
export function backoffSeconds(attempts: number, baseSeconds: number): number {
  return Math.min(baseSeconds * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_SECONDS);
}

/**
 * Where a row goes after an attempt. A failed attempt gives up only when the row has had `maxAttempts` and is
 * `retryHours` old: an outage of the SMTP server or a receiver longer than the backoff's first minutes must not
 * turn accepted messages into failed ones (docs/delivery.md).
 */
export function nextStatus(delivery: Pick<ClaimedDelivery, 'attempts' | 'createdAt'>, outcome: AttemptOutcome, policy: RetryPolicy, now: number): DeliveryStatus {
  if (outcome.ok) return DeliveryStatus.Sent;
  if (outcome.cancelled) return DeliveryStatus.Cancelled;
  if (outcome.permanent) return DeliveryStatus.Failed;
  const age = now - new Date(delivery.createdAt).getTime();
  if (delivery.attempts >= policy.maxAttempts && age >= policy.retryHours * 3_600_000) return DeliveryStatus.Failed;
  return DeliveryStatus.Pending;
}
