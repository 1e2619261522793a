import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import Redis from 'ioredis';
import { EnvironmentVariables } from '../config/env.validation';

/** Namespaces the counters in a Redis that other applications share. */
export const RATE_LIMIT_KEY_PREFIX = 'messaging:throttle:';
/** One warning per this interval while Redis is away, not one per request. */
const WARN_EVERY_MS = 30_000;

/**
 * Where the per-token rate limit counts. With REDIS_URL, in Redis through @nest-lab/throttler-storage-redis (one
 * Lua script per request, so every instance draws on the same budget); without it, in this process's memory.
 * While Redis is unreachable a request counts in memory instead of failing: the limit protects the service, so
 * losing its sharing for a while costs less than refusing every call. Commands fail at once then (no offline
 * queue, one try), so an outage adds no latency.
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger(RateLimitStorage.name);
  private readonly local = new ThrottlerStorageService();
  private readonly redis?: Redis;
  private readonly shared?: ThrottlerStorageRedisService;
  private warnedAt = 0;

  constructor(env: EnvironmentVariables) {
    if (env.REDIS_URL === undefined) return;
    this.redis = new Redis(env.REDIS_URL, { keyPrefix: RATE_LIMIT_KEY_PREFIX, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    this.redis.on('error', (error: Error) => this.warn(`rate-limit store unreachable, counting in memory: ${error.message}`));
    this.shared = new ThrottlerStorageRedisService(this.redis);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    if (this.shared === undefined) return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    try {
      return await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      this.warn(`rate-limit store failed, counting in memory: ${(error as Error).message}`);
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
    this.redis?.disconnect(false);
  }

  private warn(message: string): void {
    if (Date.now() - this.warnedAt < WARN_EVERY_MS) return;
    this.warnedAt = Date.now();
    this.logger.warn(message);
  }
}
