import { Global, Module } from '@nestjs/common';
import { AdminAuthGuard } from './admin-auth.guard';
import { BimPlusAuthGuard } from './bimplus-auth.guard';
import { CaseAuthGuard } from './case-auth.guard';
import { MetricsAuthGuard } from './metrics-auth.guard';
import { TokenService } from './token.service';

@Global()
@Module({
  providers: [TokenService, CaseAuthGuard, BimPlusAuthGuard, AdminAuthGuard, MetricsAuthGuard],
  exports: [TokenService, CaseAuthGuard, BimPlusAuthGuard, AdminAuthGuard, MetricsAuthGuard],
})
export class AuthModule {}
