import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The dimension code under which the overall score is stored. */
export const OVERALL = '__OVERALL__';

/**
 * One closed result's score of one dimension (or the overall score), denormalised for
 * cohort queries: the framework identity, the organisation's segment, and whether this is
 * the organisation's latest closed assessment on that framework key and major version.
 */
@Entity('benchmark_score')
@Index('IDX_benchmark_cohort', ['frameworkKey', 'frameworkMajor', 'dimensionCode', 'industry', 'sizeBand', 'country'], {
  where: '"is_latest" AND NOT "excluded"',
})
@Index('IDX_benchmark_firm_cohort', ['firmId', 'frameworkKey', 'frameworkMajor', 'dimensionCode'], {
  where: '"is_latest" AND NOT "excluded"',
})
@Index('IDX_benchmark_organisation', ['firmId', 'organisationId'])
// The cohort engine's exact drill-down, with INCLUDE columns TypeORM cannot express: made by a migration.
@Index('IDX_benchmark_score_order', { synchronize: false })
export class BenchmarkScore {
  @PrimaryColumn('uuid', { name: 'firm_id' })
  firmId: string;

  @PrimaryColumn('uuid', { name: 'assessment_id' })
  assessmentId: string;

  @PrimaryColumn('varchar', { name: 'dimension_code', length: 64 })
  dimensionCode: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  /** Framework identity: built-in frameworks share a key across firms; a firm's own are prefixed by its id. */
  @Column('varchar', { name: 'framework_key', length: 120 })
  frameworkKey: string;

  @Column('int', { name: 'framework_major' })
  frameworkMajor: number;

  @Column('double precision', { nullable: true })
  score: number | null;

  @Column('char', { length: 1 })
  industry: string;

  @Column('varchar', { name: 'size_band', length: 10 })
  sizeBand: string;

  @Column('char', { length: 2 })
  country: string;

  @Column('boolean', { name: 'is_latest' })
  isLatest: boolean;

  /** Copied from the organisation: left out of every cohort. */
  @Column('boolean', { default: false })
  excluded: boolean;

  @Column('timestamptz', { name: 'closed_at' })
  closedAt: Date;
}
