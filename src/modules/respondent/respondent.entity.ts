import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Assessment } from '../assessment/assessment.entity';

export type RespondentStatus = 'INVITED' | 'IN_PROGRESS' | 'SUBMITTED';

/** A person invited to answer an assessment, reached through a secret link token. */
@Entity('respondent')
@Index('IDX_respondent_assessment', ['firmId', 'assessmentId'])
export class Respondent {
  @PrimaryColumn('uuid', { name: 'firm_id' })
  firmId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'assessment_id' })
  assessmentId: string;

  @ManyToOne(() => Assessment, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'firm_id', referencedColumnName: 'firmId' },
    { name: 'assessment_id', referencedColumnName: 'id' },
  ])
  assessment?: Assessment;

  @Column('varchar', { length: 200 })
  name: string;

  @Column('varchar', { length: 320 })
  email: string;

  /** EXECUTIVE, MANAGER, FRONTLINE or another code the assessment declares. */
  @Column('varchar', { length: 40 })
  role: string;

  @Column('varchar', { length: 12, default: 'INVITED' })
  status: RespondentStatus;

  /** SHA-256 of the current link token, hex; null once revoked. */
  @Index('UQ_respondent_token_hash', { unique: true })
  @Column('char', { name: 'token_hash', length: 64, nullable: true })
  tokenHash: string | null;

  @Column('varchar', { name: 'token_prefix', length: 16, nullable: true })
  tokenPrefix: string | null;

  @Column('timestamptz', { name: 'token_expires_at', nullable: true })
  tokenExpiresAt: Date | null;

  @Column('timestamptz', { name: 'token_revoked_at', nullable: true })
  tokenRevokedAt: Date | null;

  @Column('timestamptz', { name: 'submitted_at', nullable: true })
  submittedAt: Date | null;

  @Column('timestamptz', { name: 'last_activity_at', nullable: true })
  lastActivityAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
