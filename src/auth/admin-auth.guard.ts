import { CanActivate, ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { EnvironmentVariables } from '../config/env.validation';
import { assertBearerSecret } from './bearer-secret';

/** Operators only. Without ADMIN_TOKEN the admin API answers 404, as if it did not exist. */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(private readonly env: EnvironmentVariables) {}

  canActivate(context: ExecutionContext): boolean {
    const adminToken = this.env.ADMIN_TOKEN;
    if (!adminToken) throw new NotFoundException('Not found');
    assertBearerSecret(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization, adminToken, 'admin', 'ADMIN_TOKEN');
    return true;
  }
}
