import { DynamicModule, ExecutionContext, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FastifyRequest } from 'fastify';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { readCaseToken } from './auth/case-auth.guard';
import { TokenService } from './auth/token.service';
import { QUERY_TOKEN_KEY, ROLES_KEY } from './auth/auth.constants';
import { readBimPlusToken } from './auth/bimplus-auth.guard';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation.pipe';
import { ConfigModule } from './config/config.module';
import { EnvironmentVariables } from './config/env.validation';
import { buildDataSourceOptions } from './database/data-source';
import { DatabaseModule } from './database/database.module';
import { FEATURE_MODULES } from './feature-modules';
import { HealthModule } from './health/health.module';
import { ObservabilityModule } from './observability/observability.module';

const ONE_MINUTE_MS = 60_000;

/**
 * Rate limits count per valid token, or per client address for calls without one. An unknown
 * token counts against the address, so inventing a new token per request buys no fresh budget.
 * The token is the one the route's own guard reads (v3: `?accessToken=` or Bearer; v2: the BimPlus
 * header, `?accessToken=` only on the stream): reading another, a v2 call with `?accessToken=garbage`
 * moved its count from its token to the address. The lookup is the guard's own (cached): no extra query.
 */
async function throttleKey(request: FastifyRequest, context: ExecutionContext, tokens: TokenService): Promise<string> {
  const targets = [context.getHandler(), context.getClass()];
  const metadata = (key: string) => targets.map((target) => Reflect.getMetadata(key, target) as unknown).find((value) => value !== undefined);
  const queryToken = metadata(QUERY_TOKEN_KEY);
  const token = metadata(ROLES_KEY) !== undefined ? readCaseToken(request) : queryToken !== undefined ? readBimPlusToken(request, queryToken === true) : undefined;
  const principal = token ? await tokens.resolve(token).catch(() => undefined) : undefined;
  return principal ? `token:${principal.tokenId}` : `ip:${request.ip}`;
}

@Module({})
export class AppModule {
  static forRoot(env: EnvironmentVariables, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        TypeOrmModule.forRoot({ ...buildDataSourceOptions(env, databaseUrl), migrationsRun: env.MIGRATIONS_RUN, retryAttempts: 5, retryDelay: 2000 }),
        ThrottlerModule.forRootAsync({
          inject: [TokenService],
          useFactory: (tokens: TokenService) => ({
            throttlers: [{ ttl: ONE_MINUTE_MS, limit: Math.max(env.RATE_LIMIT_PER_MINUTE, 1) }],
            skipIf: () => env.RATE_LIMIT_PER_MINUTE === 0,
            getTracker: (request, context) => throttleKey(request as FastifyRequest, context, tokens),
            // One budget per token across all routes, as documented (the default key is per route as well).
            generateKey: (_context, tracker, name) => `${name}:${tracker}`,
            errorMessage: 'Too many requests; retry after the time in Retry-After',
          }),
        }),
        DatabaseModule,
        AuthModule,
        ObservabilityModule,
        HealthModule,
        AdminModule,
        ...FEATURE_MODULES,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
