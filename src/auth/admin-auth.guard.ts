import { CanActivate, ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { EnvironmentVariables } from '../config/env.validation';
import { assertBearerSecret } from './bearer-secret';

/** Said by every admin route while ADMIN_TOKEN is unset: an operator who tries one learns how to switch it on. */
const ADMIN_API_OFF_MESSAGE = 'Not found: the admin API is off; set ADMIN_TOKEN to enable it';

/** Operators only. Without ADMIN_TOKEN the admin API answers 404 (no route to use), saying how to enable it. */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(private readonly env: EnvironmentVariables) {}

  canActivate(context: ExecutionContext): boolean {
    const adminToken = this.env.ADMIN_TOKEN;
    if (!adminToken) throw new NotFoundException(ADMIN_API_OFF_MESSAGE);
    assertBearerSecret(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization, adminToken, 'admin', 'ADMIN_TOKEN');
    return true;
  }
}
