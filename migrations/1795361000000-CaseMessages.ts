import { MigrationInterface, QueryRunner } from 'typeorm';

export class CaseMessages1795361000000 implements MigrationInterface {
  name = 'CaseMessages1795361000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // case_guid and both parties are copies of the case's (which never change), so the feed and
    // the response need no join; ids are int4 because the API promises ids below 2^31.
    await queryRunner.query(`
      CREATE TABLE "case_messages" (
        "id" SERIAL PRIMARY KEY,
        "case_id" int NOT NULL REFERENCES "cases" ("id") ON DELETE CASCADE,
        "case_guid" uuid NOT NULL,
        "partner_account_id" int NOT NULL,
        "provider_account_id" int NOT NULL,
        "sender_account_id" int REFERENCES "accounts" ("id"),
        "sender_type" varchar(16) CHECK ("sender_type" IN ('partner', 'provider')),
        "parent_message_id" int REFERENCES "case_messages" ("id") ON DELETE SET NULL,
        "type" varchar(32) NOT NULL,
        "content" text,
        "external_id" varchar(512),
        "user_email" varchar(512),
        "user_name" varchar(512),
        "declared_at" timestamptz NOT NULL,
        "confirmed_at" timestamptz,
        "confirmed_by_account_id" int REFERENCES "accounts" ("id"),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    // List by case: an index range scan in id order.
    await queryRunner.query(`CREATE INDEX "ix_case_messages_case_id_id" ON "case_messages" ("case_id", "id")`);
    // Idempotent create: the database, not a read-then-write, decides which concurrent retry wins.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_case_messages_external_id" ON "case_messages" ("case_id", "sender_account_id", "external_id") WHERE "external_id" IS NOT NULL`,
    );
    // Feed: each side reads what the other side (or the system) sent, keyset on id; the
    // unconfirmed variants keep `unconfirmed=true` from walking past confirmed rows.
    for (const side of ['partner', 'provider']) {
      const predicate = `"sender_type" IS DISTINCT FROM '${side}'`;
      await queryRunner.query(`CREATE INDEX "ix_case_messages_${side}_feed" ON "case_messages" ("${side}_account_id", "id") WHERE ${predicate}`);
      await queryRunner.query(
        `CREATE INDEX "ix_case_messages_${side}_feed_unconfirmed" ON "case_messages" ("${side}_account_id", "id") WHERE ${predicate} AND "confirmed_at" IS NULL`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "case_messages"`);
  }
}
