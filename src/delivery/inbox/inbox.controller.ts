import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// src/public in a checkout (run from src or dist), dist/public when the build copies it next to the code.
const CANDIDATE_DIRS = [join(__dirname, '..', '..', 'public'), join(__dirname, '..', '..', '..', 'src', 'public')];

function readPublic(name: string): string | undefined {
  const dir = CANDIDATE_DIRS.find((d) => existsSync(join(d, name)));
  return dir ? readFileSync(join(dir, name), 'utf8') : undefined;
}

/** The reference portal page: static HTML and one small script, read once at start-up. */
@ApiExcludeController()
@SkipThrottle()
@Controller('inbox')
export class InboxController {
  private readonly html = readPublic('inbox.html');
  private readonly js = readPublic('inbox.js');

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    if (!this.html) throw new NotFoundException('Inbox page not installed');
    return this.html;
  }

  @Get('inbox.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    if (!this.js) throw new NotFoundException('Inbox script not installed');
    return this.js;
  }
}
