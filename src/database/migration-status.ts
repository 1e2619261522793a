import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Whether the database has every migration this build knows (readiness waits for them). */
@Injectable()
export class MigrationStatus {
  constructor(private readonly dataSource: DataSource) {}

  hasPending(): Promise<boolean> {
    return this.dataSource.showMigrations();
  }
}
