import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReportShareLinks1796412418475 implements MigrationInterface {
  name = 'ReportShareLinks1796412418475';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "report_share_link" ("firm_id" uuid NOT NULL, "id" uuid NOT NULL, "assessment_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "prefix" character varying(32) NOT NULL, "locale" character varying(2) NOT NULL, "created_by_key_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_f57456bf2ad49e8db3631936295" PRIMARY KEY ("firm_id", "id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "UQ_report_share_link_hash" ON "report_share_link"  ("token_hash") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_report_share_link_assessment" ON "report_share_link"  ("firm_id", "assessment_id", "created_at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "report_share_link" ADD CONSTRAINT "FK_7b1962ec954c904e52027f67bc0" FOREIGN KEY ("firm_id", "assessment_id") REFERENCES "assessment"("firm_id","id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "report_share_link" DROP CONSTRAINT "FK_7b1962ec954c904e52027f67bc0"');
    await queryRunner.query('DROP INDEX "public"."IDX_report_share_link_assessment"');
    await queryRunner.query('DROP INDEX "public"."UQ_report_share_link_hash"');
    await queryRunner.query('DROP TABLE "report_share_link"');
  }
}
