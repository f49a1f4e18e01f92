import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { AnswerValue } from '../../scoring/types';
import { Respondent } from './respondent.entity';

/**
 * A respondent's current answer to one question. Saves are upserts guarded by the client's
 * sequence number, so an older save never overwrites a newer one.
 */
@Entity('answer')
@Index('IDX_answer_assessment', ['firmId', 'assessmentId'])
export class AnswerRow {
  @PrimaryColumn('uuid', { name: 'firm_id' })
  firmId: string;

  @PrimaryColumn('uuid', { name: 'respondent_id' })
  respondentId: string;

  @PrimaryColumn('varchar', { name: 'question_code', length: 64 })
  questionCode: string;

  @ManyToOne(() => Respondent, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'firm_id', referencedColumnName: 'firmId' },
    { name: 'respondent_id', referencedColumnName: 'id' },
  ])
  respondent?: Respondent;

  @Column('uuid', { name: 'assessment_id' })
  assessmentId: string;

  /** null when `notApplicable`. */
  @Column('jsonb', { nullable: true })
  value: AnswerValue | null;

  @Column('boolean', { name: 'not_applicable', default: false })
  notApplicable: boolean;

  /** The client's sequence number of the save that wrote this; null when none was sent. */
  @Column('bigint', { name: 'client_seq', nullable: true })
  clientSeq: string | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
