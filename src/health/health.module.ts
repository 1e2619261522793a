import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HomeController } from './home.controller';
import { MetricsController } from './metrics.controller';
import { ShutdownState } from './shutdown-state';

/** The operators' probes (liveness, readiness, Prometheus metrics) and the start page at `/` that links them. */
@Module({ imports: [TerminusModule.forRoot({ logger: false })], controllers: [HomeController, HealthController, MetricsController], providers: [ShutdownState], exports: [ShutdownState] })
export class HealthModule {}
