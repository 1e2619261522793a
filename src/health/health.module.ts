import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

/** The operators' probes: liveness, readiness and Prometheus metrics. */
@Module({ imports: [TerminusModule.forRoot({ logger: false })], controllers: [HealthController, MetricsController] })
export class HealthModule {}
