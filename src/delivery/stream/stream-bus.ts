import { Logger } from '@nestjs/common';

/** Commits within this window share one wake-up message. */
const PUBLISH_BATCH_MS = 25;

/**
 * Wakes the stream relays of the other instances after this one committed stream events. A wake-up carries
 * no events: the relays read them from user_stream_events, so every bus gives the same events, the same
 * per-user ids and the same Last-Event-ID replay, and a lost wake-up only delays a stream until the relay's
 * poll. Publishing happens outside the message transactions, at most once per PUBLISH_BATCH_MS.
 */
export abstract class StreamBus {
  protected readonly logger = new Logger(this.constructor.name);
  private publishTimer?: NodeJS.Timeout;

  /** Tells the other instances that events were committed (batched). */
  publish(): void {
    if (this.publishTimer) return;
    this.publishTimer = setTimeout(() => {
      this.publishTimer = undefined;
      this.send().catch((error: Error) => this.logger.warn(`stream wake-up not sent: ${error.message}`));
    }, PUBLISH_BATCH_MS);
  }

  /** Calls `onWake` on every wake-up from another instance, and after each reconnect (to catch up). */
  abstract subscribe(onWake: () => void): void;

  async close(): Promise<void> {
    clearTimeout(this.publishTimer);
    await this.disconnect();
  }

  protected abstract send(): Promise<void>;
  protected abstract disconnect(): Promise<void>;
}

/**
 * The embedded database's bus: one process serves it, so the in-process signal is the whole fan-out (its
 * socket server does not pass notifications between connections either).
 */
export class InProcessStreamBus extends StreamBus {
  subscribe(): void {}
  protected async send(): Promise<void> {}
  protected async disconnect(): Promise<void> {}
}
