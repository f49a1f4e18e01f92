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
import { Organisation } from '../organisation/organisation.entity';
import { FrameworkVersion } from '../framework/framework-version.entity';

/** DRAFT → OPEN → CLOSED, and CANCELLED from DRAFT or OPEN. */
export type AssessmentStatus = 'DRAFT' | 'OPEN' | 'CLOSED' | 'CANCELLED';

/** An assessment of one organisation on one published framework version. */
@Entity('assessment')
@Index('IDX_assessment_organisation', ['firmId', 'organisationId', 'createdAt'])
export class Assessment {
  @PrimaryColumn('uuid', { name: 'firm_id' })
  firmId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'firm_id', referencedColumnName: 'firmId' },
    { name: 'organisation_id', referencedColumnName: 'id' },
  ])
  organisation?: Organisation;

  @Column('uuid', { name: 'framework_version_id' })
  frameworkVersionId: string;

  @ManyToOne(() => FrameworkVersion, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'framework_version_id' })
  frameworkVersion?: FrameworkVersion;

  @Column('varchar', { length: 200 })
  title: string;

  @Column('varchar', { length: 12 })
  status: AssessmentStatus;

  /** ρ per role code; roles not listed weigh 1. */
  @Column('jsonb', { name: 'role_weights', default: {} })
  roleWeights: Record<string, number>;

  @Column('timestamptz', { name: 'due_at', nullable: true })
  dueAt: Date | null;

  @Column('timestamptz', { name: 'opened_at', nullable: true })
  openedAt: Date | null;

  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt: Date | null;

  @Column('timestamptz', { name: 'cancelled_at', nullable: true })
  cancelledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
