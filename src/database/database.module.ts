import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EnvironmentVariables } from '../config/env.validation';
import { buildDataSourceOptions, EntityList } from './data-source';
import { openDataSource } from './migrate';
import { MigrationStatus } from './migration-status';
import { PreparedStatements } from './prepared-statements';
import { Transactions } from './transactions';

/** How repositories reach PostgreSQL (prepared statements) and how services open transactions. */
@Global()
@Module({ providers: [PreparedStatements, Transactions, MigrationStatus], exports: [PreparedStatements, Transactions, MigrationStatus] })
export class DatabaseModule {}

/** TypeORM's root module on `url` for the app and the CLI: migrated first, one instance at a time (openDataSource). */
export function typeOrmRoot(env: EnvironmentVariables, url: string, entities: EntityList, retry: { retryAttempts: number; retryDelay?: number }): DynamicModule {
  return TypeOrmModule.forRootAsync({
    useFactory: () => ({ ...buildDataSourceOptions(env, url, entities), ...retry }),
    dataSourceFactory: (options) => openDataSource(options!, env.MIGRATIONS_RUN, env.DATABASE_DIRECT_URL),
  });
}
