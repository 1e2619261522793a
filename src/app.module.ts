import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, Reflector } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { FastifyRequest } from 'fastify';
import { AdminModule } from './admin/admin.module';
import { AuditModule } from './audit/audit.module';
import { ConsoleModule } from './console/console.module';
import { AuthModule } from './auth/auth.module';
import { RateLimitStorage } from './auth/rate-limit.storage';
import { holdsOperatorSecret, throttleKey } from './auth/throttle-key';
import { TokenService } from './auth/token.service';
import { GlobalErrorFilter } from './http/global-error.filter';
import { createValidationPipe } from './http/validation.pipe';
import { ConfigModule } from './config/config.module';
import { EnvironmentVariables } from './config/env.validation';
import { DatabaseModule, typeOrmRoot } from './database/database.module';
import { ENTITIES } from './entities';
import { FEATURE_MODULES } from './feature-modules';
import { HealthModule } from './health/health.module';
import { ObservabilityModule } from './observability/observability.module';

const ONE_MINUTE_MS = 60_000;

@Module({})
export class AppModule {
  static forRoot(env: EnvironmentVariables, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        typeOrmRoot(env, databaseUrl, ENTITIES, { retryAttempts: 5, retryDelay: 2000 }),
        ThrottlerModule.forRootAsync({
          inject: [TokenService, Reflector, RateLimitStorage],
          useFactory: (tokens: TokenService, reflector: Reflector, storage: RateLimitStorage) => ({
            throttlers: [{ ttl: ONE_MINUTE_MS, limit: Math.max(env.RATE_LIMIT_PER_MINUTE, 1) }],
            storage,
            skipIf: (context) => env.RATE_LIMIT_PER_MINUTE === 0 || holdsOperatorSecret(context, reflector, env),
            getTracker: (request, context) => throttleKey(request as FastifyRequest, context, reflector, tokens),
            // One budget per token across all routes, as documented (the default key is per route as well).
            generateKey: (_context, tracker, name) => `${name}:${tracker}`,
            errorMessage: 'Too many requests; retry after the time in Retry-After',
          }),
        }),
        DatabaseModule,
        AuthModule,
        AuditModule.forRoot(),
        ObservabilityModule,
        HealthModule,
        AdminModule,
        ConsoleModule,
        ...FEATURE_MODULES,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_FILTER, useClass: GlobalErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
