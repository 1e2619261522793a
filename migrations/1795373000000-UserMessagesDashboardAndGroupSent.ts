import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * additionalData may be a dashboard content object, kept as its JSON text with a flag (the text keeps the
 * client's key order, and adding a defaulted column rewrites no rows). The partial index serves the
 * group-sent list: one sender's messages to groups, newest first. The statistics tell the planner how a
 * sender's messages split between users and groups (it otherwise assumes the two columns independent and
 * misjudges busy senders by a factor of 25).
 */
export class UserMessagesDashboardAndGroupSent1795373000000 implements MigrationInterface {
  name = 'UserMessagesDashboardAndGroupSent1795373000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user_messages" ADD COLUMN "additional_data_is_object" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `CREATE INDEX "ix_user_messages_sender_group" ON "user_messages" ("sender_id", "timestamp" DESC, "id" DESC) WHERE "receiver_type" = 'group'`,
    );
    await queryRunner.query(`CREATE STATISTICS "st_user_messages_sender_receiver_type" (mcv) ON "sender_id", "receiver_type" FROM "user_messages"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP STATISTICS "st_user_messages_sender_receiver_type"`);
    await queryRunner.query(`DROP INDEX "ix_user_messages_sender_group"`);
    await queryRunner.query(`ALTER TABLE "user_messages" DROP COLUMN "additional_data_is_object"`);
  }
}
