import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { ApiExcludeController, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdminAuth } from '../auth/auth.decorators';
import { MetricsService } from '../observability/metrics.service';
import { OverviewRepository } from './overview.repository';

// src/public in a checkout (run from src or dist), dist/public when the build copies it next to the code.
const CANDIDATE_DIRS = [join(__dirname, '..', 'public'), join(__dirname, '..', '..', 'src', 'public')];

function readPublic(name: string): string | undefined {
  const dir = CANDIDATE_DIRS.find((d) => existsSync(join(d, name)));
  return dir ? readFileSync(join(dir, name), 'utf8') : undefined;
}

/**
 * Stricter than the app's default: no inline style either, no framing, nothing posted anywhere, and the
 * page talks only to this origin (the admin API).
 */
const CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The operator console: one page, one script and one style sheet, read once at start-up; the admin token is typed in. */
@ApiExcludeController()
@SkipThrottle()
@Controller('admin/console')
export class ConsoleController {
  private readonly files = { html: readPublic('console.html'), js: readPublic('console.js'), css: readPublic('console.css') };

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CONSOLE_CSP)
  page(): string {
    return this.file('html');
  }

  @Get('console.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    return this.file('js');
  }

  @Get('console.css')
  @Header('content-type', 'text/css; charset=utf-8')
  style(): string {
    return this.file('css');
  }

  private file(kind: keyof ConsoleController['files']): string {
    const text = this.files[kind];
    if (text === undefined) throw new NotFoundException('Console not installed');
    return text;
  }
}

export class OverviewDto {
  @ApiProperty({ type: 'integer' }) accounts: number;
  @ApiProperty({ type: 'integer' }) users: number;
  @ApiProperty({ type: 'integer' }) cases: number;
  @ApiProperty({ type: 'integer' }) groups: number;
  @ApiProperty({ type: 'integer', description: 'Deliveries pending or being sent' }) queueDepth: number;
  @ApiProperty({ type: 'integer' }) failedDeliveries: number;
  @ApiProperty({ type: 'integer', description: 'SSE streams open on the instance that answers' }) openStreams: number;
  @ApiProperty({ type: 'integer', isArray: true, description: 'Deliveries sent in each 5 minutes of the last hour, oldest first' }) sentLastHour: number[];
}

@ApiTags('admin')
@AdminAuth()
@Controller('admin/overview')
export class OverviewController {
  constructor(
    private readonly overview: OverviewRepository,
    private readonly metrics: MetricsService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The console's overview: counts, queue depth, failed deliveries, open streams, deliveries sent over the last hour" })
  @ApiOkResponse({ type: OverviewDto })
  async get(): Promise<OverviewDto> {
    const [counts, sentLastHour] = await Promise.all([this.overview.counts(), this.overview.sentPerBucket()]);
    return { ...counts, openStreams: await this.openStreams(), sentLastHour };
  }

  /** The sse_open_streams gauge of this instance (delivery registers it). */
  private async openStreams(): Promise<number> {
    const gauge = this.metrics.registry.getSingleMetric('sse_open_streams');
    const value = gauge ? (await gauge.get()).values[0]?.value : undefined;
    return value ?? 0;
  }
}
