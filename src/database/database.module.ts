import { Global, Module } from '@nestjs/common';
import { PreparedStatements } from './prepared-statements';

/** What every feature may use next to TypeORM's DataSource. */
@Global()
@Module({ providers: [PreparedStatements], exports: [PreparedStatements] })
export class DatabaseModule {}
