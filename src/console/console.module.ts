import { Module } from '@nestjs/common';
import { ConsoleController, OverviewController } from './console.controller';
import { OverviewRepository } from './overview.repository';

/** The operator console and its overview endpoint; the server's only (the CLI has no console). */
@Module({ controllers: [ConsoleController, OverviewController], providers: [OverviewRepository] })
export class ConsoleModule {}
