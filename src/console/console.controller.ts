import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { FastifyReply } from 'fastify';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdminAuth } from '../auth/auth.decorators';
import { MetricsService } from '../observability/metrics.service';
import { OverviewRepository } from './overview.repository';

// src/public in a checkout (run from src or dist), dist/public when the build copies it next to the code.
const CANDIDATE_DIRS = [join(__dirname, '..', 'public'), join(__dirname, '..', '..', 'src', 'public')];

/** The page's script modules (console.js and the console-*.js it imports) and its style sheet. */
const ASSET_NAME = /^console(-[a-z]+)?\.(js|css)$/;
const CONTENT_TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

interface ConsoleFiles {
  page?: string;
  assets: Map<string, { text: string; contentType: string }>;
}

/** Every console file, read once at start-up from the first folder that holds the page. */
function readConsoleFiles(): ConsoleFiles {
  const dir = CANDIDATE_DIRS.find((d) => existsSync(join(d, 'console.html')));
  if (!dir) return { assets: new Map() };
  const names = readdirSync(dir).filter((name) => ASSET_NAME.test(name));
  const assets = new Map(names.map((name) => [name, { text: readFileSync(join(dir, name), 'utf8'), contentType: CONTENT_TYPES[name.split('.').pop() as string] }]));
  return { page: readFileSync(join(dir, 'console.html'), 'utf8'), assets };
}

/**
 * Stricter than the app's default: no inline style either, no framing, nothing posted anywhere, and the
 * page talks only to this origin (the admin API).
 */
const CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The operator console: one page, its script modules and one style sheet; the admin token is typed in. */
@ApiExcludeController()
@SkipThrottle()
@Controller('admin/console')
export class ConsoleController {
  private readonly files = readConsoleFiles();

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CONSOLE_CSP)
  page(): string {
    if (this.files.page === undefined) throw new NotFoundException('Console not installed');
    return this.files.page;
  }

  /** A script module or the style sheet, by its file name; nothing else in the folder is reachable. */
  @Get(':file')
  asset(@Param('file') name: string, @Res({ passthrough: true }) reply: FastifyReply): string {
    const asset = this.files.assets.get(name);
    if (!asset) throw new NotFoundException(this.files.page === undefined ? 'Console not installed' : 'No such console file');
    reply.header('content-type', asset.contentType);
    return asset.text;
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
