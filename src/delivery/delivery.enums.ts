/** What a delivery row sends. */
export enum DeliveryKind {
  Email = 'email',
  /** A webhook over HTTP. */
  Webhook = 'webhook',
  /** A webhook published to an AMQP broker: its own worker loop, so a slow HTTP receiver never holds it back. */
  Amqp = 'amqp',
}

/** What a webhook announces; the wire values of `events` and X-Webhook-Event. */
export enum WebhookEvent {
  MessageCreated = 'message.created',
  MessageConfirmed = 'message.confirmed',
}

export enum WebhookTransport {
  Http = 'http',
  Amqp = 'amqp',
}

export enum WebhookMethod {
  Post = 'POST',
  Put = 'PUT',
  Patch = 'PATCH',
}

/** The body a webhook carries: the v3 message object, or the v1 one (id, guid, content, type, dates). */
export enum WebhookPayloadVersion {
  V3 = 'v3',
  V1 = 'v1',
}

/** A delivery's life: pending → sending → sent, or back to pending (backoff), finally failed. */
export enum DeliveryStatus {
  Pending = 'pending',
  Sending = 'sending',
  Sent = 'sent',
  Failed = 'failed',
  /** Nothing left to send (message or webhook gone before the worker got to it). */
  Cancelled = 'cancelled',
}

/** SSE event names, equal to the wire values. */
export enum StreamEventType {
  Message = 'message',
  Updated = 'updated',
  Deleted = 'deleted',
}
