import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { Firm } from '../firm/firm.entity';

/** A firm's client organisation. Keyed by (firm_id, id) so the table can be distributed by firm. */
@Entity('organisation')
@Index('IDX_organisation_firm_name', ['firmId', 'name'])
export class Organisation {
  @PrimaryColumn('uuid', { name: 'firm_id' })
  firmId: string;

  @PrimaryColumn('uuid')
  id: string;

  @ManyToOne(() => Firm, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'firm_id' })
  firm?: Firm;

  @Column('varchar', { length: 200 })
  name: string;

  /** ISIC Rev. 4 section letter, A..U. */
  @Column('char', { length: 1 })
  industry: string;

  /** Employees: 1-9, 10-49, 50-249, 250-999, 1000+. */
  @Column('varchar', { name: 'size_band', length: 10 })
  sizeBand: string;

  /** ISO 3166-1 alpha-2. */
  @Column('char', { length: 2 })
  country: string;

  /** Left out of every benchmark cohort (its own results are still benchmarked). */
  @Column('boolean', { name: 'excluded_from_benchmarks', default: false })
  excludedFromBenchmarks: boolean;

  @Column('timestamptz', { name: 'archived_at', nullable: true })
  archivedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
