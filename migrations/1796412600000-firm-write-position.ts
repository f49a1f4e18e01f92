import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each firm's last write ended in the primary's WAL, written after the write commits, so
 * that a read in any API process can tell whether a read replica already has it
 * (src/db/read-routing.ts). No entity: only raw SQL reads and writes it.
 */
export class FirmWritePosition1796412600000 implements MigrationInterface {
  name = 'FirmWritePosition1796412600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "firm_write_position" ("firm_id" uuid PRIMARY KEY, "lsn" pg_lsn NOT NULL, "written_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now())',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "firm_write_position"');
  }
}
