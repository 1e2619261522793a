import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { UserMessagesRepository } from './user-messages.repository';

/** How long a create's Idempotency-Key is remembered: retries come within minutes, not days. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** Forgets Idempotency-Keys older than IDEMPOTENCY_KEY_TTL_HOURS, once an hour, on every instance. */
@Injectable()
export class IdempotencyKeyPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyKeyPruner.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly messages: UserMessagesRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Deletes expired keys; returns how many. */
  async prune(): Promise<number> {
    try {
      return await this.messages.deleteIdempotencyKeysOlderThan(IDEMPOTENCY_KEY_TTL_HOURS);
    } catch (error) {
      this.logger.warn(`could not expire idempotency keys: ${(error as Error).message}`);
      return 0;
    }
  }
}
