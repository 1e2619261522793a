import { Global, Module } from '@nestjs/common';
import { AdminAuthGuard } from './admin-auth.guard';
import { BimPlusAuthGuard } from './bimplus-auth.guard';
import { CaseAuthGuard } from './case-auth.guard';
import { TokenService } from './token.service';

@Global()
@Module({
  providers: [TokenService, CaseAuthGuard, BimPlusAuthGuard, AdminAuthGuard],
  exports: [TokenService, CaseAuthGuard, BimPlusAuthGuard, AdminAuthGuard],
})
export class AuthModule {}
