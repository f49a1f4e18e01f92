import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialTenancy1795347805974 implements MigrationInterface {
  name = 'InitialTenancy1795347805974';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"firm\" (\"id\" uuid NOT NULL, \"name\" character varying(200) NOT NULL, \"shares_benchmarks\" boolean NOT NULL DEFAULT false, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_b6e197d72a2ef8bd97a7cbc686e\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE TABLE \"api_key\" (\"firm_id\" uuid NOT NULL, \"id\" uuid NOT NULL, \"name\" character varying(100) NOT NULL, \"role\" character varying(20) NOT NULL, \"prefix\" character varying(32) NOT NULL, \"key_hash\" character(64) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"last_used_at\" TIMESTAMP WITH TIME ZONE, \"revoked_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_da62ba6ecf35799b5ab6d5090b1\" PRIMARY KEY (\"firm_id\", \"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"UQ_api_key_hash\" ON \"api_key\"  (\"key_hash\") ");
    await queryRunner.query("ALTER TABLE \"api_key\" ADD CONSTRAINT \"FK_d32ca1ab9539e47815112aabddc\" FOREIGN KEY (\"firm_id\") REFERENCES \"firm\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"api_key\" DROP CONSTRAINT \"FK_d32ca1ab9539e47815112aabddc\"");
    await queryRunner.query("DROP INDEX \"public\".\"UQ_api_key_hash\"");
    await queryRunner.query("DROP TABLE \"api_key\"");
    await queryRunner.query("DROP TABLE \"firm\"");
  }
}
