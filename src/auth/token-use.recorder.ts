import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ApiTokensRepository } from './api-tokens.repository';

/** How often the uses seen since the last flush are written: `lastUsedAt` is at most this stale. */
export const TOKEN_USE_FLUSH_MS = 60_000;
/** Tokens remembered between two flushes; uses of more tokens than this wait for the next one. */
const MAX_PENDING_TOKENS = 10_000;

/**
 * Keeps each token's last use in memory and writes all of them in one statement a minute, so an
 * authenticated request costs a Map write and never a database write. A crash loses at most a minute of
 * `lastUsedAt`, which only informs operators.
 */
@Injectable()
export class TokenUseRecorder implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(TokenUseRecorder.name);
  private pending = new Map<string, Date>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly tokens: ApiTokensRepository) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), TOKEN_USE_FLUSH_MS).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  record(tokenId: string): void {
    if (this.pending.size >= MAX_PENDING_TOKENS && !this.pending.has(tokenId)) return;
    this.pending.set(tokenId, new Date());
  }

  /** The last use this instance has seen but not written yet. */
  unwritten(tokenId: string): Date | undefined {
    return this.pending.get(tokenId);
  }

  /** Writes the uses seen since the last flush; on failure they are kept for the next one. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.tokens.recordUses([...batch.keys()], [...batch.values()]);
    } catch (error) {
      this.logger.warn(`could not record token use: ${(error as Error).message}`);
      for (const [id, at] of batch) if (!this.pending.has(id)) this.pending.set(id, at);
    }
  }
}
