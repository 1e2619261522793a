import { MigrationInterface, QueryRunner } from 'typeorm';

export class UserMessages1795362000000 implements MigrationInterface {
  name = 'UserMessages1795362000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // sender_id is not a foreign key: a service may name a sender that is not (or no longer) a user.
    // "timestamp" is kept at millisecond precision, the precision it is shown and filtered with.
    await queryRunner.query(`
      CREATE TABLE "user_messages" (
        "id" uuid PRIMARY KEY,
        "sender_id" uuid,
        "sender_email" varchar(320),
        "receiver_type" varchar(8) NOT NULL CHECK ("receiver_type" IN ('user', 'group')),
        "receiver_id" uuid NOT NULL,
        "receiver_email" varchar(320),
        "source" varchar(255) NOT NULL,
        "topic" varchar(255) NOT NULL,
        "severity" varchar(16) NOT NULL CHECK ("severity" IN ('Info', 'Warning', 'Error')),
        "return_code" varchar(255) NOT NULL,
        "timestamp" timestamptz(3) NOT NULL,
        "additional_data" text,
        "correlation_id" uuid,
        "created_by" uuid NOT NULL
      )`);
    // The sender's side of visibility (GET, filter): the messages a user sent, newest first.
    await queryRunner.query(`CREATE INDEX "ix_user_messages_sender_timestamp" ON "user_messages" ("sender_id", "timestamp" DESC, "id" DESC)`);
    await queryRunner.query(`
      CREATE TABLE "user_message_recipients" (
        "message_id" uuid NOT NULL REFERENCES "user_messages" ("id") ON DELETE CASCADE,
        "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
        "address" varchar(320) NOT NULL,
        "unread_email" boolean NOT NULL,
        "unread_browser" boolean NOT NULL,
        "timestamp" timestamptz(3) NOT NULL,
        PRIMARY KEY ("message_id", "user_id")
      )`);
    // "timestamp" is copied from the message so one user's inbox is a single index range, newest first;
    // the flags are included so that range, and unread=true filters over it, are read from the index
    // alone. (A separate partial index for unread rows in inbox order cost every group fan-out one more
    // index insert per member and the planner preferred this one anyway.)
    await queryRunner.query(
      `CREATE INDEX "ix_user_message_recipients_inbox" ON "user_message_recipients" ("user_id", "timestamp" DESC, "message_id" DESC) INCLUDE ("unread_email", "unread_browser")`,
    );
    // Unread rows only (per user, per message), flags included so the checks below never visit the table:
    // unreadcount and markallasread* scan one user's unread entries; the sender's view of a group message
    // ("is any member still unread?") is one probe, not a scan of N members. One index per purpose rather
    // than one per flag, because every group fan-out pays an index entry per member per index.
    await queryRunner.query(
      `CREATE INDEX "ix_user_message_recipients_user_unread" ON "user_message_recipients" ("user_id") INCLUDE ("unread_email", "unread_browser") WHERE "unread_browser" OR "unread_email"`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_user_message_recipients_message_unread" ON "user_message_recipients" ("message_id") INCLUDE ("unread_email", "unread_browser") WHERE "unread_browser" OR "unread_email"`,
    );
    // Kept apart from user_messages so a replay still answers after the message was deleted; json (not
    // jsonb) keeps the stored response byte for byte, key order included.
    await queryRunner.query(`
      CREATE TABLE "user_message_idempotency_keys" (
        "caller_id" uuid NOT NULL,
        "key" varchar(255) NOT NULL,
        "request_hash" char(64) NOT NULL,
        "status" int,
        "response" json,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("caller_id", "key")
      )`);
    // Serves the hourly expiry of keys older than a day (IdempotencyKeyPruner).
    await queryRunner.query(`CREATE INDEX "ix_user_message_idempotency_keys_created_at" ON "user_message_idempotency_keys" ("created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "user_message_idempotency_keys"`);
    await queryRunner.query(`DROP TABLE "user_message_recipients"`);
    await queryRunner.query(`DROP TABLE "user_messages"`);
  }
}
