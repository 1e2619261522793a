import { applyDecorators, Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { ErrorResponseDto, RETRY_AFTER } from '../http/error-response.dto';
import { MigrationStatus } from '../database/migration-status';
import { ShutdownState } from './shutdown-state';

const PING_TIMEOUT_MS = 2000;

/** What each check reports, keyed by its name (`shutdown`, `database`, `migrations`): `{"status": "up"}` and details. */
const CHECKS: SchemaObject = {
  type: 'object',
  additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] }, responseTime: { type: 'number', description: 'ms' } } },
};
const READY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status', 'info', 'error', 'details'],
  properties: { status: { type: 'string', enum: ['ok'] }, info: CHECKS, error: CHECKS, details: CHECKS },
  example: {
    status: 'ok',
    info: { shutdown: { status: 'up' }, database: { status: 'up' }, migrations: { status: 'up' } },
    error: {},
    details: { shutdown: { status: 'up' }, database: { status: 'up' }, migrations: { status: 'up' } },
  },
};

/**
 * Documented here, not by terminus: the global error filter answers a failed check in the error envelope
 * (`Not ready: database`), with Retry-After, instead of terminus's own body.
 */
const Readiness = () =>
  applyDecorators(
    HealthCheck({ noCache: true, swaggerDocumentation: false }),
    ApiOkResponse({ description: 'Database reachable and migrated', schema: READY_SCHEMA }),
    ApiServiceUnavailableResponse({ description: 'Database unreachable, migrations pending or the instance shutting down, e.g. `Not ready: migrations`, `Not ready: shutdown`; see Retry-After', type: ErrorResponseDto, headers: RETRY_AFTER }),
  );

@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly migrations: MigrationStatus,
    private readonly shutdown: ShutdownState,
  ) {}

  /** The process is up and serving HTTP; says nothing about its dependencies. */
  @Get('live')
  @ApiOkResponse({ description: 'The process is alive', schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready to serve: not shutting down, the database answers and every migration is applied. */
  @Get('ready')
  @Readiness()
  ready() {
    return this.health.check([() => this.checkDraining(), () => this.database.pingCheck('database').withTimeout(PING_TIMEOUT_MS), () => this.checkMigrations()]);
  }

  /**
   * `/health` without a probe's name answers as readiness: whoever asks whether the service is healthy wants to
   * know whether it can serve requests, which liveness does not say.
   */
  @Get()
  @Readiness()
  @ApiOperation({ summary: 'Same as /health/ready' })
  status() {
    return this.ready();
  }

  private checkDraining() {
    const session = this.indicators.check('shutdown');
    return this.shutdown.draining ? session.down('draining') : session.up();
  }

  private async checkMigrations() {
    const session = this.indicators.check('migrations');
    try {
      const pending = await this.migrations.hasPending();
      return pending ? session.down('migrations pending') : session.up();
    } catch {
      return session.down('cannot read migrations');
    }
  }
}
