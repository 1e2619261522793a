import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MetricsAuth } from '../auth/auth.decorators';
import { MetricsService } from '../observability/metrics.service';

// Two lines of a real scrape (no HELP text here: it would be a copy of delivery.metrics.ts's).
const EXAMPLE = ['# TYPE delivery_queue_depth gauge', 'delivery_queue_depth{kind="email",status="pending"} 0'].join('\n');

/** Prometheus scrape endpoint; protected by METRICS_TOKEN when one is configured. */
@ApiTags('operations')
@MetricsAuth()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format 0.0.4)', description: 'Needs `Authorization: Bearer <METRICS_TOKEN>` only when METRICS_TOKEN is set.' })
  @ApiOkResponse({ description: 'Every metric of this instance', content: { 'text/plain': { schema: { type: 'string' }, example: EXAMPLE } } })
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
