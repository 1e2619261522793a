import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Groups get a description (Bimplus "messaging groups"), and an index on (lower(name), id): it serves the
 * v2 check that no other group has the name (case-insensitive) and the v2 group list, ordered by that key.
 */
export class GroupDescription1795372000000 implements MigrationInterface {
  name = 'GroupDescription1795372000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "groups" ADD COLUMN "description" varchar(1000)`);
    await queryRunner.query(`CREATE INDEX "ix_groups_lower_name" ON "groups" (lower("name"), "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_groups_lower_name"`);
    await queryRunner.query(`ALTER TABLE "groups" DROP COLUMN "description"`);
  }
}
