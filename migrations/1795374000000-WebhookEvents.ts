import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook events waiting to be fanned out: one row per v3 statement that created or confirmed messages
 * whose account has a subscription to the event, holding (message, account) pairs as parallel arrays.
 * The workers expand each row into one delivery per subscribed webhook and delete it, in one statement.
 * A confirm of 100 then writes one narrow row instead of one delivery row (four indexes, a foreign key)
 * per message and webhook.
 */
export class WebhookEvents1795374000000 implements MigrationInterface {
  name = 'WebhookEvents1795374000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "webhook_events" (
        "id" bigserial PRIMARY KEY,
        "event" varchar(32) NOT NULL,
        "message_ids" text array NOT NULL,
        "account_ids" int array NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Fan out what is still waiting before the table goes, so a rollback loses no event.
    await queryRunner.query(`
      INSERT INTO "deliveries" ("kind", "message_id", "account_id", "webhook_id", "event", "created_at")
      SELECT CASE w."transport" WHEN 'amqp' THEN 'amqp' ELSE 'webhook' END, p."message_id", w."account_id", w."id", e."event", e."created_at"
        FROM "webhook_events" e CROSS JOIN LATERAL unnest(e."message_ids", e."account_ids") AS p("message_id", "account_id")
        JOIN "webhooks" w ON w."account_id" = p."account_id" AND e."event" = ANY (w."events")
       ORDER BY e."id"`);
    await queryRunner.query(`DROP TABLE "webhook_events"`);
  }
}
