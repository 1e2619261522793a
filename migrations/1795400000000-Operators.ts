import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operators' lifecycle: accounts and users can be deactivated (their data stays) and every admin write is
 * recorded in audit_log, whose (target, id) index serves "what happened to this object", newest first.
 * The admin user list walks (lower(email), id); erasure and deactivation find a user's e-mails by user;
 * the console's chart counts deliveries sent in the last hour by sent_at (a delivery's status update
 * already rewrites its index entries, so this adds little to it).
 */
export class Operators1795400000000 implements MigrationInterface {
  name = 'Operators1795400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "accounts" ADD COLUMN "deactivated_at" timestamptz`);
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "deactivated_at" timestamptz`);
    await queryRunner.query(`CREATE INDEX "ix_users_lower_email" ON "users" (lower("email"), "id")`);
    await queryRunner.query(`CREATE INDEX "ix_deliveries_user_id" ON "deliveries" ("user_id") WHERE "user_id" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "ix_deliveries_sent_at" ON "deliveries" ("sent_at") WHERE "sent_at" IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE "audit_log" (
        "id" bigserial NOT NULL,
        "at" timestamptz NOT NULL DEFAULT now(),
        "actor" varchar(64) NOT NULL,
        "action" varchar(64) NOT NULL,
        "target" varchar(128) NOT NULL,
        "details" jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT "PK_audit_log_id" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "ix_audit_log_target_id" ON "audit_log" ("target", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_log"`);
    await queryRunner.query(`DROP INDEX "ix_deliveries_sent_at"`);
    await queryRunner.query(`DROP INDEX "ix_deliveries_user_id"`);
    await queryRunner.query(`DROP INDEX "ix_users_lower_email"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "deactivated_at"`);
    await queryRunner.query(`ALTER TABLE "accounts" DROP COLUMN "deactivated_at"`);
  }
}
