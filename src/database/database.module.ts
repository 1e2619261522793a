import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EnvironmentVariables } from '../config/env.validation';
import { buildDataSourceOptions } from './data-source';
import { openDataSource } from './migrate';
import { PreparedStatements } from './prepared-statements';

/** What every feature may use next to TypeORM's DataSource. */
@Global()
@Module({ providers: [PreparedStatements], exports: [PreparedStatements] })
export class DatabaseModule {}

/** TypeORM's root module on `url` for the app and the CLI: migrated first, one instance at a time (openDataSource). */
export function typeOrmRoot(env: EnvironmentVariables, url: string, retry: { retryAttempts: number; retryDelay?: number }): DynamicModule {
  return TypeOrmModule.forRootAsync({
    useFactory: () => ({ ...buildDataSourceOptions(env, url), ...retry }),
    dataSourceFactory: (options) => openDataSource(options!, env.MIGRATIONS_RUN),
  });
}
