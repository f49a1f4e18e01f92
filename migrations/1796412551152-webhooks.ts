import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1796412551152 implements MigrationInterface {
  name = 'Webhooks1796412551152';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "webhook_endpoint" ("firm_id" uuid NOT NULL, "id" uuid NOT NULL, "url" character varying(2000) NOT NULL, "description" character varying(200) NOT NULL DEFAULT \'\', "events" character varying(40) array NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "secret" character varying(100) NOT NULL, "previous_secret" character varying(100), "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE, "secret_rotated_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f498c000fadf50db14bc5c9e0ed" PRIMARY KEY ("firm_id", "id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "webhook_event" ("firm_id" uuid NOT NULL, "id" uuid NOT NULL, "type" character varying(40) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "body" text NOT NULL, CONSTRAINT "PK_f18b5445878d30675109ed4a37f" PRIMARY KEY ("firm_id", "id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "webhook_delivery" ("firm_id" uuid NOT NULL, "id" uuid NOT NULL, "endpoint_id" uuid NOT NULL, "event_id" uuid NOT NULL, "seq" BIGSERIAL NOT NULL, "status" character varying(12) NOT NULL, "attempt_count" integer NOT NULL DEFAULT \'0\', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "delivered_at" TIMESTAMP WITH TIME ZONE, "redelivery_of" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_faf9c7c7530597ab0f8c0d5a253" PRIMARY KEY ("firm_id", "id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_webhook_delivery_endpoint" ON "webhook_delivery"  ("firm_id", "endpoint_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_webhook_delivery_pending" ON "webhook_delivery"  ("firm_id", "endpoint_id", "seq") WHERE status = \'PENDING\'',
    );
    await queryRunner.query(
      'CREATE TABLE "webhook_attempt" ("firm_id" uuid NOT NULL, "delivery_id" uuid NOT NULL, "number" integer NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "duration_ms" integer NOT NULL, "status_code" integer, "succeeded" boolean NOT NULL, "error" character varying(500), "response_excerpt" text, CONSTRAINT "PK_5782b0d407cf4216180ee96df86" PRIMARY KEY ("firm_id", "delivery_id", "number"))',
    );
    await queryRunner.query(
      'ALTER TABLE "webhook_endpoint" ADD CONSTRAINT "FK_e5fabb8d19daa9d517fba77c88c" FOREIGN KEY ("firm_id") REFERENCES "firm"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "webhook_event" ADD CONSTRAINT "FK_e61d6c4700e535bef5317e34aa8" FOREIGN KEY ("firm_id") REFERENCES "firm"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "webhook_delivery" ADD CONSTRAINT "FK_7da68eba7a769df576b14d71b6e" FOREIGN KEY ("firm_id", "endpoint_id") REFERENCES "webhook_endpoint"("firm_id","id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "webhook_delivery" ADD CONSTRAINT "FK_d433b104c6b886727057f39a6f7" FOREIGN KEY ("firm_id", "event_id") REFERENCES "webhook_event"("firm_id","id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "webhook_attempt" ADD CONSTRAINT "FK_a0e07d3154543518673d9c316a9" FOREIGN KEY ("firm_id", "delivery_id") REFERENCES "webhook_delivery"("firm_id","id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "webhook_attempt" DROP CONSTRAINT "FK_a0e07d3154543518673d9c316a9"');
    await queryRunner.query('ALTER TABLE "webhook_delivery" DROP CONSTRAINT "FK_d433b104c6b886727057f39a6f7"');
    await queryRunner.query('ALTER TABLE "webhook_delivery" DROP CONSTRAINT "FK_7da68eba7a769df576b14d71b6e"');
    await queryRunner.query('ALTER TABLE "webhook_event" DROP CONSTRAINT "FK_e61d6c4700e535bef5317e34aa8"');
    await queryRunner.query('ALTER TABLE "webhook_endpoint" DROP CONSTRAINT "FK_e5fabb8d19daa9d517fba77c88c"');
    await queryRunner.query('DROP TABLE "webhook_attempt"');
    await queryRunner.query('DROP INDEX "public"."IDX_webhook_delivery_pending"');
    await queryRunner.query('DROP INDEX "public"."IDX_webhook_delivery_endpoint"');
    await queryRunner.query('DROP TABLE "webhook_delivery"');
    await queryRunner.query('DROP TABLE "webhook_event"');
    await queryRunner.query('DROP TABLE "webhook_endpoint"');
  }
}
