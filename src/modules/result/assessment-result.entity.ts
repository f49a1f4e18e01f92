import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { Assessment } from '../assessment/assessment.entity';

/** The result stored when an assessment closes; a closed assessment always returns it. */
@Entity('assessment_result')
export class AssessmentResultRow {
  @PrimaryColumn('uuid', { name: 'firm_id' })
  firmId: string;

  @PrimaryColumn('uuid', { name: 'assessment_id' })
  assessmentId: string;

  @OneToOne(() => Assessment, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'firm_id', referencedColumnName: 'firmId' },
    { name: 'assessment_id', referencedColumnName: 'id' },
  ])
  assessment?: Assessment;

  /** The scoring engine's whole result (full precision). */
  @Column('jsonb')
  result: Record<string, unknown>;

  @Column('double precision', { name: 'overall_score', nullable: true })
  overallScore: number | null;

  @Column('int', { name: 'overall_level', nullable: true })
  overallLevel: number | null;

  @Column('int', { name: 'respondent_count' })
  respondentCount: number;

  @Column('varchar', { name: 'scoring_method', length: 10 })
  scoringMethod: string;

  @Column('timestamptz', { name: 'computed_at' })
  computedAt: Date;
}
