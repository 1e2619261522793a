import { Controller, Get, Header, Headers, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { EnvironmentVariables } from '../config/env.validation';
import { readAuthorization, secretsEqual } from '../auth/token.util';
import { MetricsService } from './metrics.service';

/** Prometheus scrape endpoint; protected by METRICS_TOKEN when one is configured. */
@ApiExcludeController()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly env: EnvironmentVariables,
  ) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(@Headers('authorization') authorization?: string): Promise<string> {
    const required = this.env.METRICS_TOKEN;
    if (required) {
      const token = readAuthorization(authorization, 'Bearer');
      if (!token || !secretsEqual(token, required)) throw new UnauthorizedException('Invalid metrics token');
    }
    return this.metrics.registry.metrics();
  }
}
