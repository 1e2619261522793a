import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A BRIN index on user_messages("timestamp") for MESSAGE_RETENTION_DAYS: messages are written in time order,
 * so a block-range summary finds the expired ones in a few pages. A few kilobytes per million rows, and a
 * create rarely touches it (only when it starts a new block range), where a btree would add an index entry
 * to every create.
 */
export class UserMessagesTimestampBrin1795375000000 implements MigrationInterface {
  name = 'UserMessagesTimestampBrin1795375000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_user_messages_timestamp_brin" ON "user_messages" USING brin ("timestamp")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_user_messages_timestamp_brin"`);
  }
}
