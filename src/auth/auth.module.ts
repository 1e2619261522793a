import { Global, Module } from '@nestjs/common';
import { AdminAuthGuard } from './admin-auth.guard';
import { ApiTokensRepository } from './api-tokens.repository';
import { BimPlusAuthGuard } from './bimplus-auth.guard';
import { CaseAuthGuard } from './case-auth.guard';
import { MetricsAuthGuard } from './metrics-auth.guard';
import { RateLimitStorage } from './rate-limit.storage';
import { TokenService } from './token.service';
import { TokenUseRecorder } from './token-use.recorder';

@Global()
@Module({
  providers: [ApiTokensRepository, TokenUseRecorder, TokenService, CaseAuthGuard, BimPlusAuthGuard, AdminAuthGuard, MetricsAuthGuard, RateLimitStorage],
  exports: [ApiTokensRepository, TokenService, RateLimitStorage, CaseAuthGuard, BimPlusAuthGuard, AdminAuthGuard, MetricsAuthGuard],
})
export class AuthModule {}
