import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FirmCorsOrigins1796412475014 implements MigrationInterface {
  name = 'FirmCorsOrigins1796412475014';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "firm" ADD "cors_origins" text array NOT NULL DEFAULT \'{}\'');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "firm" DROP COLUMN "cors_origins"');
  }
}
