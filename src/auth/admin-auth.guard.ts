import { CanActivate, ExecutionContext, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { EnvironmentVariables } from '../config/env.validation';
import { readAuthorization, secretsEqual } from './token.util';

/** Operators only. Without ADMIN_TOKEN the admin API answers 404, as if it did not exist. */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(private readonly env: EnvironmentVariables) {}

  canActivate(context: ExecutionContext): boolean {
    const adminToken = this.env.ADMIN_TOKEN;
    if (!adminToken) throw new NotFoundException('Not found');
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = readAuthorization(request.headers.authorization, 'Bearer');
    if (!token) throw new UnauthorizedException('Missing admin token: use "Authorization: Bearer <ADMIN_TOKEN>"');
    if (!secretsEqual(token, adminToken)) throw new UnauthorizedException('Invalid admin token');
    return true;
  }
}
