import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The v2 filter `correlationId=…` for a user with a large inbox: without an index on the column the planner
 * either walked the user's whole inbox or scanned user_messages (167 ms at 1,000,000 messages for a user with
 * 10,000). Partial: messages without a correlation id (most) add nothing to it.
 */
export class UserMessagesCorrelationIndex1795364000000 implements MigrationInterface {
  name = 'UserMessagesCorrelationIndex1795364000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_user_messages_correlation_id" ON "user_messages" ("correlation_id") WHERE "correlation_id" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_user_messages_correlation_id"`);
  }
}
