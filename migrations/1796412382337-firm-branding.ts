import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FirmBranding1796412382337 implements MigrationInterface {
  name = 'FirmBranding1796412382337';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "firm" ADD "embed_origins" text array NOT NULL DEFAULT \'{}\'');
    await queryRunner.query('ALTER TABLE "firm" ADD "brand_color" character varying(7)');
    await queryRunner.query('ALTER TABLE "firm" ADD "logo" bytea');
    await queryRunner.query('ALTER TABLE "firm" ADD "logo_content_type" character varying(20)');
    await queryRunner.query('ALTER TABLE "firm" ADD "logo_sha256" character varying(64)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "firm" DROP COLUMN "logo_sha256"');
    await queryRunner.query('ALTER TABLE "firm" DROP COLUMN "logo_content_type"');
    await queryRunner.query('ALTER TABLE "firm" DROP COLUMN "logo"');
    await queryRunner.query('ALTER TABLE "firm" DROP COLUMN "brand_color"');
    await queryRunner.query('ALTER TABLE "firm" DROP COLUMN "embed_origins"');
  }
}
