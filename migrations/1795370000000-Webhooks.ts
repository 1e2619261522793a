import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook subscriptions: any number per account, for message.created and message.confirmed, over HTTP or
 * AMQP. An account's single webhook (accounts.webhook_url/webhook_secret) becomes its default subscription,
 * and its queued deliveries point at it. A delivery keeps its row (and log) when its webhook is deleted:
 * webhook_id becomes NULL and the worker cancels what is still pending.
 */
export class Webhooks1795370000000 implements MigrationInterface {
  name = 'Webhooks1795370000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "webhooks" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "account_id" int NOT NULL,
        "is_default" boolean NOT NULL DEFAULT false,
        "events" varchar(32) array NOT NULL,
        "transport" varchar(8) NOT NULL,
        "url" varchar(2048) NOT NULL,
        "secret" varchar(255) NOT NULL,
        "method" varchar(8) NOT NULL DEFAULT 'POST',
        "headers" jsonb NOT NULL DEFAULT '{}',
        "exchange" varchar(255) NOT NULL DEFAULT '',
        "routing_key" varchar(255),
        "payload_version" varchar(4) NOT NULL DEFAULT 'v3',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "webhooks_transport_check" CHECK ("transport" IN ('http', 'amqp')),
        CONSTRAINT "webhooks_method_check" CHECK ("method" IN ('POST', 'PUT', 'PATCH')),
        CONSTRAINT "webhooks_payload_version_check" CHECK ("payload_version" IN ('v3', 'v1')),
        CONSTRAINT "webhooks_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "ix_webhooks_account_id" ON "webhooks" ("account_id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_webhooks_default" ON "webhooks" ("account_id") WHERE "is_default"`);
    await queryRunner.query(`
      INSERT INTO "webhooks" ("account_id", "is_default", "events", "transport", "url", "secret")
      SELECT "id", true, ARRAY['message.created']::varchar(32)[], 'http', "webhook_url", COALESCE("webhook_secret", '') FROM "accounts" WHERE "webhook_url" IS NOT NULL`);

    await queryRunner.query(`ALTER TABLE "deliveries" ADD "webhook_id" uuid`);
    await queryRunner.query(`ALTER TABLE "deliveries" ADD "event" varchar(32)`);
    await queryRunner.query(`
      UPDATE "deliveries" d SET "webhook_id" = w."id", "event" = 'message.created'
        FROM "webhooks" w WHERE d."kind" = 'webhook' AND w."account_id" = d."account_id" AND w."is_default"`);
    await queryRunner.query(
      `ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE SET NULL`,
    );
    // A webhook's delivery log, newest first.
    await queryRunner.query(`CREATE INDEX "ix_deliveries_webhook_id_id" ON "deliveries" ("webhook_id", "id") WHERE "webhook_id" IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_kind_check"`);
    await queryRunner.query(`ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_kind_check" CHECK ("kind" IN ('email', 'webhook', 'amqp'))`);
    await queryRunner.query(`ALTER TABLE "accounts" DROP COLUMN "webhook_url"`);
    await queryRunner.query(`ALTER TABLE "accounts" DROP COLUMN "webhook_secret"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "accounts" ADD "webhook_url" varchar(2048)`);
    await queryRunner.query(`ALTER TABLE "accounts" ADD "webhook_secret" varchar(255)`);
    await queryRunner.query(`
      UPDATE "accounts" a SET "webhook_url" = w."url", "webhook_secret" = w."secret"
        FROM "webhooks" w WHERE w."account_id" = a."id" AND w."is_default" AND w."transport" = 'http'`);
    await queryRunner.query(`DELETE FROM "deliveries" WHERE "kind" = 'amqp'`);
    await queryRunner.query(`ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_kind_check"`);
    await queryRunner.query(`ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_kind_check" CHECK ("kind" IN ('email', 'webhook'))`);
    await queryRunner.query(`DROP INDEX "ix_deliveries_webhook_id_id"`);
    await queryRunner.query(`ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_webhook_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "deliveries" DROP COLUMN "event"`);
    await queryRunner.query(`ALTER TABLE "deliveries" DROP COLUMN "webhook_id"`);
    await queryRunner.query(`DROP TABLE "webhooks"`);
  }
}
