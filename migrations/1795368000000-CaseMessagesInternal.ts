import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Internal messages: a note only the sending account sees. The feed indexes leave them out (the other party's
 * feed never shows one, and the sender's feed never shows its own messages), so a feed page still reads only
 * rows it returns. Adding a column with a constant default rewrites no rows; the two indexes are rebuilt.
 */
export class CaseMessagesInternal1795368000000 implements MigrationInterface {
  name = 'CaseMessagesInternal1795368000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "case_messages" ADD "is_internal" boolean NOT NULL DEFAULT false`);
    for (const side of ['partner', 'provider']) {
      await queryRunner.query(`DROP INDEX "ix_case_messages_${side}_feed"`);
      await queryRunner.query(
        `CREATE INDEX "ix_case_messages_${side}_feed" ON "case_messages" ("${side}_account_id", "id") WHERE "sender_type" IS DISTINCT FROM '${side}' AND NOT "is_internal"`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const side of ['partner', 'provider']) {
      await queryRunner.query(`DROP INDEX "ix_case_messages_${side}_feed"`);
      await queryRunner.query(`CREATE INDEX "ix_case_messages_${side}_feed" ON "case_messages" ("${side}_account_id", "id") WHERE "sender_type" IS DISTINCT FROM '${side}'`);
    }
    await queryRunner.query(`ALTER TABLE "case_messages" DROP COLUMN "is_internal"`);
  }
}
