import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A confirmation is a row of its own in `case_message_confirmations` instead of two columns of the message.
 * Confirming a batch of 100 used to update 100 message rows that lie on ~100 random pages of a big table; the
 * first change to each page after a checkpoint writes the whole 8 kB page to the WAL, and under a confirm load
 * PostgreSQL checkpoints every few seconds (requested by WAL volume), so a batch wrote 50–100 full-page images,
 * 300–690 kB of WAL. Inserting 100 rows into this narrow table touches a handful of pages: 7–11 full-page
 * images, 27–70 kB. Measured on the 1,000,000-message bench database, 32 connections, committed batches:
 * 571–833 → 860–1,360 batches/s (docs/performance.md). Reads join the table by primary key.
 *
 * The primary key also decides concurrent confirms of one message: the first insert wins, the other finds
 * the conflict (the message's row is no longer locked). No foreign keys: a check on `message_id` would take a
 * KEY SHARE lock on each message row, which writes its page again; the confirming account is only ever the
 * authenticated caller's id. Message ids come from a sequence and messages are only deleted with their case,
 * so a confirmation left behind by such a delete can never describe another message.
 *
 * `updated_at` keeps the creation time; a message's `updatedAt` is the later of it and its confirmation.
 * The backfill sets nothing in `updated_at`: messages confirmed before this migration already hold their
 * confirmation time there. `fillfactor` goes back to the default: it was 90 for the confirm's HOT updates.
 */
export class CaseMessageConfirmations1795367000000 implements MigrationInterface {
  name = 'CaseMessageConfirmations1795367000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "case_message_confirmations" (
        "message_id" int NOT NULL,
        "confirmed_at" timestamptz NOT NULL,
        "confirmed_by_account_id" int,
        CONSTRAINT "pk_case_message_confirmations" PRIMARY KEY ("message_id")
      )`);
    await queryRunner.query(`
      INSERT INTO "case_message_confirmations" ("message_id", "confirmed_at", "confirmed_by_account_id")
      SELECT id, confirmed_at, confirmed_by_account_id FROM "case_messages" WHERE confirmed_at IS NOT NULL ORDER BY id`);
    await queryRunner.query(`ALTER TABLE "case_messages" DROP COLUMN "confirmed_at", DROP COLUMN "confirmed_by_account_id"`);
    await queryRunner.query(`ALTER TABLE "case_messages" RESET (fillfactor)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "case_messages" SET (fillfactor = 90)`);
    await queryRunner.query(`ALTER TABLE "case_messages" ADD COLUMN "confirmed_at" timestamptz, ADD COLUMN "confirmed_by_account_id" int`);
    await queryRunner.query(`
      UPDATE "case_messages" m
         SET confirmed_at = k.confirmed_at, confirmed_by_account_id = k.confirmed_by_account_id, updated_at = GREATEST(m.updated_at, k.confirmed_at)
        FROM "case_message_confirmations" k
       WHERE k.message_id = m.id`);
    await queryRunner.query(`DROP TABLE "case_message_confirmations"`);
  }
}
