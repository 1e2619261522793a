import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Confirming a case message no longer touches an index. Before, `confirmed_at` was in the predicate of the
 * two `…_feed_unconfirmed` partial indexes, so every confirmed row was a non-HOT update: a new heap tuple plus
 * an entry in every index of the table (~4 per row, 100 rows per batch). Now the unconfirmed feed reads
 * `case_message_unconfirmed` — one row per receiving account while the message is unconfirmed, inserted by the
 * create statement and deleted by the confirm statement — and the confirm's UPDATE changes only unindexed
 * columns, which PostgreSQL does as a HOT update when the page has room (fillfactor 90 leaves it on new pages).
 * The foreign key on `confirmed_by_account_id` goes too: the column is only ever written with the
 * authenticated caller's account, accounts are never deleted, and its check took a KEY SHARE lock on the
 * caller's account row once per confirmed row. Measured on the 1,000,000-message bench database, 10
 * concurrent batches of 100: 387 → 679 batches/s (docs/performance.md). The backfill reads case_messages
 * once: 1,117,329 queue rows in 2.6 s there (a temporary table, as a worst case with every message unconfirmed).
 * `fillfactor` applies to pages written from now on; on a page that is already full a confirm stays a non-HOT
 * update, as before.
 */
export class CaseMessagesUnconfirmedQueue1795365000000 implements MigrationInterface {
  name = 'CaseMessagesUnconfirmedQueue1795365000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "case_message_unconfirmed" (
        "account_id" int NOT NULL,
        "message_id" int NOT NULL,
        CONSTRAINT "pk_case_message_unconfirmed" PRIMARY KEY ("account_id", "message_id")
      )`);
    await queryRunner.query(`
      INSERT INTO "case_message_unconfirmed" ("account_id", "message_id")
      SELECT s.account_id, m.id
        FROM "case_messages" m
       CROSS JOIN LATERAL (VALUES (m.partner_account_id, 'partner'), (m.provider_account_id, 'provider')) AS s(account_id, side)
       WHERE m.confirmed_at IS NULL AND m.sender_type IS DISTINCT FROM s.side
       ORDER BY 1, 2`);
    await queryRunner.query(`DROP INDEX "ix_case_messages_partner_feed_unconfirmed"`);
    await queryRunner.query(`DROP INDEX "ix_case_messages_provider_feed_unconfirmed"`);
    await queryRunner.query(`ALTER TABLE "case_messages" DROP CONSTRAINT "case_messages_confirmed_by_account_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "case_messages" SET (fillfactor = 90)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "case_messages" RESET (fillfactor)`);
    await queryRunner.query(
      `ALTER TABLE "case_messages" ADD CONSTRAINT "case_messages_confirmed_by_account_id_fkey" FOREIGN KEY ("confirmed_by_account_id") REFERENCES "accounts" ("id")`,
    );
    for (const side of ['partner', 'provider']) {
      await queryRunner.query(
        `CREATE INDEX "ix_case_messages_${side}_feed_unconfirmed" ON "case_messages" ("${side}_account_id", "id") WHERE "sender_type" IS DISTINCT FROM '${side}' AND "confirmed_at" IS NULL`,
      );
    }
    await queryRunner.query(`DROP TABLE "case_message_unconfirmed"`);
  }
}
