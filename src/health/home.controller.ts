import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// src/public when run from source, dist/public when the build has copied it next to the compiled code.
const PAGE = join(__dirname, '..', 'public', 'home.html');

/** The start page: what a person who opens the service's address finds, with links to the docs, the inbox and the probes. */
@ApiExcludeController()
@SkipThrottle()
@Controller()
export class HomeController {
  private readonly html = existsSync(PAGE) ? readFileSync(PAGE, 'utf8') : undefined;

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    if (!this.html) throw new NotFoundException('Start page not installed');
    return this.html;
  }
}
