import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { EnvironmentVariables } from '../config/env.validation';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditRepository } from './audit.repository';
import { adminActor, AUDIT_ACTOR, AuditService } from './audit.service';

/** The audit log. The server attributes writes to its admin token; the CLI passes `cli` and records its own commands. */
@Global()
@Module({})
export class AuditModule {
  static forRoot(actor?: string): DynamicModule {
    const actorProvider = actor === undefined ? { provide: AUDIT_ACTOR, inject: [EnvironmentVariables], useFactory: (env: EnvironmentVariables) => adminActor(env.ADMIN_TOKEN) } : { provide: AUDIT_ACTOR, useValue: actor };
    return {
      module: AuditModule,
      controllers: actor === undefined ? [AuditController] : [],
      providers: [AuditRepository, AuditService, actorProvider, ...(actor === undefined ? [{ provide: APP_INTERCEPTOR, useClass: AuditInterceptor }] : [])],
      exports: [AuditService],
    };
  }
}
