import { MigrationInterface, QueryRunner } from 'typeorm';

export class Delivery1795363000000 implements MigrationInterface {
  name = 'Delivery1795363000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // One row per e-mail (message × recipient) or webhook call (case message × receiving account),
    // written in the same transaction as the message; workers claim due rows with SKIP LOCKED.
    await queryRunner.query(`
      CREATE TABLE "deliveries" (
        "id" bigserial PRIMARY KEY,
        "kind" varchar(16) NOT NULL CHECK ("kind" IN ('email', 'webhook')),
        "status" varchar(16) NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
        "message_id" varchar(64) NOT NULL,
        "user_id" uuid,
        "address" varchar(320),
        "account_id" int,
        "attempts" int NOT NULL DEFAULT 0,
        "run_at" timestamptz NOT NULL DEFAULT now(),
        "last_error" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "sent_at" timestamptz
      )`);
    // The workers' claim query (one loop per kind): due rows only, so sent/failed history never slows it down.
    await queryRunner.query(`CREATE INDEX "ix_deliveries_due" ON "deliveries" ("kind", "run_at") WHERE "status" IN ('pending', 'sending')`);
    await queryRunner.query(`CREATE INDEX "ix_deliveries_status_id" ON "deliveries" ("status", "id")`);
    await queryRunner.query(`
      CREATE TABLE "delivery_attempts" (
        "id" bigserial PRIMARY KEY,
        "delivery_id" bigint NOT NULL REFERENCES "deliveries" ("id") ON DELETE CASCADE,
        "attempt" int NOT NULL,
        "ok" boolean NOT NULL,
        "status_code" int,
        "latency_ms" int NOT NULL,
        "error" text,
        "attempted_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "ix_delivery_attempts_delivery_id" ON "delivery_attempts" ("delivery_id", "id")`);
    // Per-user event counter: the row lock taken by the increment orders a user's events by commit,
    // so a stream that has seen seq n can never later miss an event with a smaller seq.
    await queryRunner.query(`
      CREATE TABLE "user_stream_seqs" (
        "user_id" uuid PRIMARY KEY,
        "last_seq" bigint NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE "user_stream_events" (
        "user_id" uuid NOT NULL,
        "seq" bigint NOT NULL,
        "type" varchar(16) NOT NULL CHECK ("type" IN ('message', 'updated', 'deleted')),
        "message_id" uuid NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("user_id", "seq")
      )`);
    await queryRunner.query(`CREATE INDEX "ix_user_stream_events_created_at" ON "user_stream_events" ("created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "user_stream_events"`);
    await queryRunner.query(`DROP TABLE "user_stream_seqs"`);
    await queryRunner.query(`DROP TABLE "delivery_attempts"`);
    await queryRunner.query(`DROP TABLE "deliveries"`);
  }
}
