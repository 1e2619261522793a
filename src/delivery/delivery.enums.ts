/** What a delivery row sends. */
export enum DeliveryKind {
  Email = 'email',
  Webhook = 'webhook',
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
