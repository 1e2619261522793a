import { MigrationInterface, QueryRunner } from 'typeorm';

/** Integrators: the provider accounts whose tokens' holder may act as (`X-Service-Provider`). */
export class AccountRepresentations1795369000000 implements MigrationInterface {
  name = 'AccountRepresentations1795369000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "account_representations" (
        "account_id" int NOT NULL,
        "provider_account_id" int NOT NULL,
        CONSTRAINT "pk_account_representations" PRIMARY KEY ("account_id", "provider_account_id"),
        CONSTRAINT "account_representations_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE,
        CONSTRAINT "account_representations_provider_account_id_fkey" FOREIGN KEY ("provider_account_id") REFERENCES "accounts"("id") ON DELETE CASCADE
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "account_representations"`);
  }
}
