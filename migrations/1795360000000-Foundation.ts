import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795360000000 implements MigrationInterface {
  name = 'Foundation1795360000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "accounts" (
        "id" SERIAL PRIMARY KEY,
        "type" varchar(16) NOT NULL CHECK ("type" IN ('partner', 'provider')),
        "name" varchar(255) NOT NULL,
        "webhook_url" varchar(2048),
        "webhook_secret" varchar(255),
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "cases" (
        "id" SERIAL PRIMARY KEY,
        "guid" uuid NOT NULL,
        "partner_account_id" int NOT NULL REFERENCES "accounts" ("id"),
        "provider_account_id" int NOT NULL REFERENCES "accounts" ("id"),
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_cases_guid" ON "cases" ("guid")`);
    await queryRunner.query(`CREATE INDEX "ix_cases_partner_account_id" ON "cases" ("partner_account_id")`);
    await queryRunner.query(`CREATE INDEX "ix_cases_provider_account_id" ON "cases" ("provider_account_id")`);
    await queryRunner.query(`
      CREATE TABLE "users" (
        "id" uuid PRIMARY KEY,
        "email" varchar(320) NOT NULL,
        "name" varchar(255),
        "role" varchar(16) NOT NULL DEFAULT 'user' CHECK ("role" IN ('user', 'service')),
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "groups" (
        "id" uuid PRIMARY KEY,
        "name" varchar(255) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "group_members" (
        "group_id" uuid NOT NULL REFERENCES "groups" ("id") ON DELETE CASCADE,
        "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
        PRIMARY KEY ("group_id", "user_id")
      )`);
    await queryRunner.query(`CREATE INDEX "ix_group_members_user_id" ON "group_members" ("user_id")`);
    await queryRunner.query(`
      CREATE TABLE "api_tokens" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "token_hash" bytea NOT NULL,
        "account_id" int REFERENCES "accounts" ("id") ON DELETE CASCADE,
        "user_id" uuid REFERENCES "users" ("id") ON DELETE CASCADE,
        "label" varchar(255),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "last_used_at" timestamptz,
        "revoked_at" timestamptz,
        CONSTRAINT "ck_api_tokens_one_owner" CHECK (("account_id" IS NULL) <> ("user_id" IS NULL))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_tokens_hash" ON "api_tokens" ("token_hash")`);
    await queryRunner.query(`CREATE INDEX "ix_api_tokens_account_id" ON "api_tokens" ("account_id")`);
    await queryRunner.query(`CREATE INDEX "ix_api_tokens_user_id" ON "api_tokens" ("user_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "api_tokens"`);
    await queryRunner.query(`DROP TABLE "group_members"`);
    await queryRunner.query(`DROP TABLE "groups"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TABLE "cases"`);
    await queryRunner.query(`DROP TABLE "accounts"`);
  }
}
