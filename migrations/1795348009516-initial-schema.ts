import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795348009516 implements MigrationInterface {
  name = 'InitialSchema1795348009516';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "firm" ("id" uuid NOT NULL, "name" character varying(200) NOT NULL, "shares_benchmarks" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b6e197d72a2ef8bd97a7cbc686e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "organisation" ("firm_id" uuid NOT NULL, "id" uuid NOT NULL, "name" character varying(200) NOT NULL, "industry" character(1) NOT NULL, "size_band" character varying(10) NOT NULL, "country" character(2) NOT NULL, "excluded_from_benchmarks" boolean NOT NULL DEFAULT false, "archived_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_7ff232abecced19844946be4ac7" PRIMARY KEY ("firm_id", "id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_organisation_firm_name" ON "organisation"  ("firm_id", "name") ');
    await queryRunner.query(
      'CREATE TABLE "framework_version" ("id" uuid NOT NULL, "owner_firm_id" uuid, "key" character varying(64) NOT NULL, "version" character varying(32) NOT NULL, "major" integer NOT NULL, "status" character varying(12) NOT NULL, "document" jsonb NOT NULL, "checksum" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, "retired_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_2688dee70c7ba768c999e4b23be" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_framework_version_owned" ON "framework_version"  ("owner_firm_id", "key", "version") WHERE "owner_firm_id" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_framework_version_builtin" ON "framework_version"  ("key", "version") WHERE "owner_firm_id" IS NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "assessment" ("firm_id" uuid NOT NULL, "id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "framework_version_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "status" character varying(12) NOT NULL, "role_weights" jsonb NOT NULL DEFAULT \'{}\', "due_at" TIMESTAMP WITH TIME ZONE, "opened_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_7187899d37b7d4b8127a7d0be2e" PRIMARY KEY ("firm_id", "id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_assessment_organisation" ON "assessment"  ("firm_id", "organisation_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "respondent" ("firm_id" uuid NOT NULL, "id" uuid NOT NULL, "assessment_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "email" character varying(320) NOT NULL, "role" character varying(40) NOT NULL, "status" character varying(12) NOT NULL DEFAULT \'INVITED\', "token_hash" character(64), "token_prefix" character varying(16), "token_expires_at" TIMESTAMP WITH TIME ZONE, "token_revoked_at" TIMESTAMP WITH TIME ZONE, "submitted_at" TIMESTAMP WITH TIME ZONE, "last_activity_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9da5195adc1104969733e7a7a62" PRIMARY KEY ("firm_id", "id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "UQ_respondent_token_hash" ON "respondent"  ("token_hash") ');
    await queryRunner.query('CREATE INDEX "IDX_respondent_assessment" ON "respondent"  ("firm_id", "assessment_id") ');
    await queryRunner.query(
      'CREATE TABLE "answer" ("firm_id" uuid NOT NULL, "respondent_id" uuid NOT NULL, "question_code" character varying(64) NOT NULL, "assessment_id" uuid NOT NULL, "value" jsonb, "not_applicable" boolean NOT NULL DEFAULT false, "client_seq" bigint, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_5a07e33ead2b9ca28265dc4ab49" PRIMARY KEY ("firm_id", "respondent_id", "question_code"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_answer_assessment" ON "answer"  ("firm_id", "assessment_id") ');
    await queryRunner.query(
      'CREATE TABLE "assessment_result" ("firm_id" uuid NOT NULL, "assessment_id" uuid NOT NULL, "result" jsonb NOT NULL, "overall_score" double precision, "overall_level" integer, "respondent_count" integer NOT NULL, "scoring_method" character varying(10) NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_7571dc05af36611236292a6685d" PRIMARY KEY ("firm_id", "assessment_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "benchmark_score" ("firm_id" uuid NOT NULL, "assessment_id" uuid NOT NULL, "dimension_code" character varying(64) NOT NULL, "organisation_id" uuid NOT NULL, "framework_key" character varying(120) NOT NULL, "framework_major" integer NOT NULL, "score" double precision, "industry" character(1) NOT NULL, "size_band" character varying(10) NOT NULL, "country" character(2) NOT NULL, "is_latest" boolean NOT NULL, "excluded" boolean NOT NULL DEFAULT false, "closed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_6f35743187a70663936eb280dcf" PRIMARY KEY ("firm_id", "assessment_id", "dimension_code"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_benchmark_organisation" ON "benchmark_score"  ("firm_id", "organisation_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_benchmark_firm_cohort" ON "benchmark_score"  ("firm_id", "framework_key", "framework_major", "dimension_code") WHERE "is_latest" AND NOT "excluded"',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_benchmark_cohort" ON "benchmark_score"  ("framework_key", "framework_major", "dimension_code", "industry", "size_band", "country") WHERE "is_latest" AND NOT "excluded"',
    );
    await queryRunner.query(
      'CREATE TABLE "api_key" ("firm_id" uuid NOT NULL, "id" uuid NOT NULL, "name" character varying(100) NOT NULL, "role" character varying(20) NOT NULL, "prefix" character varying(32) NOT NULL, "key_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_da62ba6ecf35799b5ab6d5090b1" PRIMARY KEY ("firm_id", "id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "UQ_api_key_hash" ON "api_key"  ("key_hash") ');
    await queryRunner.query(
      'ALTER TABLE "organisation" ADD CONSTRAINT "FK_bc642b806f520f07d7c228e3ba4" FOREIGN KEY ("firm_id") REFERENCES "firm"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "assessment" ADD CONSTRAINT "FK_14c1ab89e8ed57995afc89e236d" FOREIGN KEY ("firm_id", "organisation_id") REFERENCES "organisation"("firm_id","id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "assessment" ADD CONSTRAINT "FK_afc6ba42f886903e1ffdfc5d363" FOREIGN KEY ("framework_version_id") REFERENCES "framework_version"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "respondent" ADD CONSTRAINT "FK_6bf7c93d25ea50754e8fb0815ea" FOREIGN KEY ("firm_id", "assessment_id") REFERENCES "assessment"("firm_id","id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "answer" ADD CONSTRAINT "FK_89caa070629eefb097ace8036fe" FOREIGN KEY ("firm_id", "respondent_id") REFERENCES "respondent"("firm_id","id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "assessment_result" ADD CONSTRAINT "FK_7571dc05af36611236292a6685d" FOREIGN KEY ("firm_id", "assessment_id") REFERENCES "assessment"("firm_id","id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "api_key" ADD CONSTRAINT "FK_d32ca1ab9539e47815112aabddc" FOREIGN KEY ("firm_id") REFERENCES "firm"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "api_key" DROP CONSTRAINT "FK_d32ca1ab9539e47815112aabddc"');
    await queryRunner.query('ALTER TABLE "assessment_result" DROP CONSTRAINT "FK_7571dc05af36611236292a6685d"');
    await queryRunner.query('ALTER TABLE "answer" DROP CONSTRAINT "FK_89caa070629eefb097ace8036fe"');
    await queryRunner.query('ALTER TABLE "respondent" DROP CONSTRAINT "FK_6bf7c93d25ea50754e8fb0815ea"');
    await queryRunner.query('ALTER TABLE "assessment" DROP CONSTRAINT "FK_afc6ba42f886903e1ffdfc5d363"');
    await queryRunner.query('ALTER TABLE "assessment" DROP CONSTRAINT "FK_14c1ab89e8ed57995afc89e236d"');
    await queryRunner.query('ALTER TABLE "organisation" DROP CONSTRAINT "FK_bc642b806f520f07d7c228e3ba4"');
    await queryRunner.query('DROP INDEX "public"."UQ_api_key_hash"');
    await queryRunner.query('DROP TABLE "api_key"');
    await queryRunner.query('DROP INDEX "public"."IDX_benchmark_cohort"');
    await queryRunner.query('DROP INDEX "public"."IDX_benchmark_firm_cohort"');
    await queryRunner.query('DROP INDEX "public"."IDX_benchmark_organisation"');
    await queryRunner.query('DROP TABLE "benchmark_score"');
    await queryRunner.query('DROP TABLE "assessment_result"');
    await queryRunner.query('DROP INDEX "public"."IDX_answer_assessment"');
    await queryRunner.query('DROP TABLE "answer"');
    await queryRunner.query('DROP INDEX "public"."IDX_respondent_assessment"');
    await queryRunner.query('DROP INDEX "public"."UQ_respondent_token_hash"');
    await queryRunner.query('DROP TABLE "respondent"');
    await queryRunner.query('DROP INDEX "public"."IDX_assessment_organisation"');
    await queryRunner.query('DROP TABLE "assessment"');
    await queryRunner.query('DROP INDEX "public"."UQ_framework_version_builtin"');
    await queryRunner.query('DROP INDEX "public"."UQ_framework_version_owned"');
    await queryRunner.query('DROP TABLE "framework_version"');
    await queryRunner.query('DROP INDEX "public"."IDX_organisation_firm_name"');
    await queryRunner.query('DROP TABLE "organisation"');
    await queryRunner.query('DROP TABLE "firm"');
  }
}
