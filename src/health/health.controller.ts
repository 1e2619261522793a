import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { DataSource } from 'typeorm';

const PING_TIMEOUT_MS = 2000;

@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
  ) {}

  /** The process is up and serving HTTP; says nothing about its dependencies. */
  @Get('live')
  @ApiOkResponse({ description: 'The process is alive' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready to serve: the database answers and every migration is applied. */
  @Get('ready')
  @HealthCheck()
  @ApiOkResponse({ description: 'Database reachable and migrated' })
  @ApiServiceUnavailableResponse({ description: 'Database unreachable or migrations pending' })
  ready() {
    return this.health.check([() => this.database.pingCheck('database').withTimeout(PING_TIMEOUT_MS), () => this.checkMigrations()]);
  }

  private async checkMigrations() {
    const session = this.indicators.check('migrations');
    try {
      const pending = await this.dataSource.showMigrations();
      return pending ? session.down('migrations pending') : session.up();
    } catch {
      return session.down('cannot read migrations');
    }
  }
}
