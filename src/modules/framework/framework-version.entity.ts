import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { FrameworkDocument } from './framework-document';

/** DRAFT (editable, not usable) → PUBLISHED (immutable, usable) → RETIRED (no new assessments). */
export type FrameworkStatus = 'DRAFT' | 'PUBLISHED' | 'RETIRED';

/**
 * One version of a framework. `ownerFirmId` null means a built-in framework offered to every
 * firm (a reference table when distributed); otherwise it belongs to that firm alone.
 */
@Entity('framework_version')
@Index('UQ_framework_version_builtin', ['key', 'version'], { unique: true, where: '"owner_firm_id" IS NULL' })
@Index('UQ_framework_version_owned', ['ownerFirmId', 'key', 'version'], {
  unique: true,
  where: '"owner_firm_id" IS NOT NULL',
})
export class FrameworkVersion {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'owner_firm_id', nullable: true })
  ownerFirmId: string | null;

  @Column('varchar', { length: 64 })
  key: string;

  @Column('varchar', { length: 32 })
  version: string;

  /** MAJOR of `version`: benchmarks compare within one key and major version. */
  @Column('int')
  major: number;

  @Column('varchar', { length: 12 })
  status: FrameworkStatus;

  @Column('jsonb')
  document: FrameworkDocument;

  /** SHA-256 of the canonical document: a changed file that keeps its version is refused. */
  @Column('char', { length: 64 })
  checksum: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt: Date | null;

  @Column('timestamptz', { name: 'retired_at', nullable: true })
  retiredAt: Date | null;
}
