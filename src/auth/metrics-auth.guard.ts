import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { EnvironmentVariables } from '../config/env.validation';
import { assertBearerSecret } from './bearer-secret';

/** Prometheus scrapers: open without METRICS_TOKEN, otherwise `Authorization: Bearer <METRICS_TOKEN>`. */
@Injectable()
export class MetricsAuthGuard implements CanActivate {
  constructor(private readonly env: EnvironmentVariables) {}

  canActivate(context: ExecutionContext): boolean {
    const metricsToken = this.env.METRICS_TOKEN;
    if (metricsToken) assertBearerSecret(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization, metricsToken, 'metrics', 'METRICS_TOKEN');
    return true;
  }
}
