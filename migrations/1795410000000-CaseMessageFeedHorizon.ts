import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The v3 feed's no-gap guarantee without serialising an account's writers until commit (docs/case-messages.md,
 * "Feed order"). next_case_message_id() gives a create its transaction id and its message id together, under
 * an advisory lock held only for those two steps, so transaction ids and message ids of creates are assigned in
 * the same order; writer_xid records the transaction id. A feed reader then shows only rows written by
 * transactions older than the oldest one still running, and no message id below what it shows can still commit.
 * The create statement sets writer_xid; 0 (existing rows, seeds, fixtures) means long committed. The lock is a session lock released inside the function, also
 * when the call fails or is cancelled, so it never outlives the call (query_canceled is not in OTHERS).
 */
export class CaseMessageFeedHorizon1795410000000 implements MigrationInterface {
  name = 'CaseMessageFeedHorizon1795410000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "case_messages" ADD "writer_xid" bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(`
      CREATE FUNCTION next_case_message_id() RETURNS int LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        drawn int;
      BEGIN
        BEGIN
          PERFORM pg_advisory_lock(3100, 0);
          PERFORM pg_current_xact_id();
          drawn := nextval('case_messages_id_seq');
          PERFORM pg_advisory_unlock(3100, 0);
        EXCEPTION WHEN OTHERS OR query_canceled THEN
          PERFORM pg_advisory_unlock(3100, 0);
          RAISE;
        END;
        RETURN drawn;
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION next_case_message_id()`);
    await queryRunner.query(`ALTER TABLE "case_messages" DROP COLUMN "writer_xid"`);
  }
}
