import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Assessment } from '../assessment/assessment.entity';

/**
 * A link that opens one assessment's report without an API key, until it expires or is
 * revoked. Only the SHA-256 of its token is stored (like API keys).
 */
@Entity('report_share_link')
@Index('IDX_report_share_link_assessment', ['firmId', 'assessmentId', 'createdAt'])
export class ReportShareLink {
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

  /** SHA-256 of the token, hex. */
  @Index('UQ_report_share_link_hash', { unique: true })
  @Column('char', { name: 'token_hash', length: 64 })
  tokenHash: string;

  /** The first characters of the token, so a person can tell links apart. */
  @Column('varchar', { length: 32 })
  prefix: string;

  /** Language the link opens the report in. */
  @Column('varchar', { length: 2 })
  locale: string;

  @Column('uuid', { name: 'created_by_key_id', nullable: true })
  createdByKeyId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
