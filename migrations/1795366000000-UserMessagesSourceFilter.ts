import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The v2 filter on `source` (the seed's own example, `unread=true&source=…`) without testing each message:
 * - every recipient row carries its message's `source` (messages never change after creation), and the inbox
 *   index includes it next to the flags: the received branch tests `unread` and `source` on the user's index
 *   entries alone and joins only the rows of the page. Measured on the 1,000,000-message bench database for
 *   the heavy user, `unread=true&source=Issue Service`: the received branch 1,950 → 421 buffers.
 * - an index (sender_id, source, timestamp, id) on the messages: the sent branch reads exactly the sender's
 *   messages of that source, newest first; before, it walked every message the user ever sent when few or
 *   none had that source (9,900 for the bench's heavy user: ~10,000 buffers, 12–58 ms).
 * Both cost little to write: the source is one more value in a recipient row and its inbox entry, and the new
 * index takes one entry per message, not per recipient.
 * The backfill rewrites every recipient row once (~40 s per million rows measured, indexes included); v2 reads
 * and writes wait for it, as for any migration at start-up (see runMigrationsExclusively). VACUUM afterwards
 * reclaims the old row versions.
 */
export class UserMessagesSourceFilter1795366000000 implements MigrationInterface {
  name = 'UserMessagesSourceFilter1795366000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user_message_recipients" ADD COLUMN "source" varchar(255)`);
    // Dropped before the backfill (which would otherwise update every entry) and built again after it.
    await queryRunner.query(`DROP INDEX "ix_user_message_recipients_inbox"`);
    await queryRunner.query(`UPDATE "user_message_recipients" r SET "source" = m."source" FROM "user_messages" m WHERE m."id" = r."message_id"`);
    await queryRunner.query(`ALTER TABLE "user_message_recipients" ALTER COLUMN "source" SET NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX "ix_user_message_recipients_inbox" ON "user_message_recipients" ("user_id", "timestamp" DESC, "message_id" DESC) INCLUDE ("unread_email", "unread_browser", "source")`,
    );
    await queryRunner.query(`CREATE INDEX "ix_user_messages_sender_source" ON "user_messages" ("sender_id", "source", "timestamp" DESC, "id" DESC)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_user_messages_sender_source"`);
    await queryRunner.query(`DROP INDEX "ix_user_message_recipients_inbox"`);
    await queryRunner.query(
      `CREATE INDEX "ix_user_message_recipients_inbox" ON "user_message_recipients" ("user_id", "timestamp" DESC, "message_id" DESC) INCLUDE ("unread_email", "unread_browser")`,
    );
    await queryRunner.query(`ALTER TABLE "user_message_recipients" DROP COLUMN "source"`);
  }
}
