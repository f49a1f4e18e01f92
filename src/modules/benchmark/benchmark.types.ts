import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SizeBand } from '../reference/reference.types';
import { BenchmarkWithheldReason } from './release-rules';

/** Which organisations a cohort is drawn from. */
export enum BenchmarkScope {
  OWN_FIRM = 'OWN_FIRM',
  SHARED_POOL = 'SHARED_POOL',
}
registerEnumType(BenchmarkScope, {
  name: 'BenchmarkScope',
  description: 'Where cohort organisations come from.',
  valuesConfig: {
    OWN_FIRM: { description: "The asking firm's own client organisations." },
    SHARED_POOL: {
      description:
        'Client organisations of every firm that opted in to the shared, anonymous pool (the asking firm must have opted in too).',
    },
  },
});

export { BenchmarkWithheldReason };
registerEnumType(BenchmarkWithheldReason, {
  name: 'BenchmarkWithheldReason',
  description: 'Why the figures of a value are not shown.',
  valuesConfig: {
    INSUFFICIENT_COHORT: {
      description:
        'Fewer cohort organisations have this value than the framework’s benchmarkMinCohort (k); in SHARED_POOL, fewer than k of them belong to other firms than the asking one.',
    },
    SMALL_DIFFERENCE: {
      description:
        'SHARED_POOL only: a broader cohort (the same one with filters dropped) holds between 1 and k − 1 more organisations of other firms with this value, so the two together would describe fewer than k organisations. Widen the filters.',
    },
  },
});

@ObjectType({ description: 'One histogram bucket of cohort scores: [from, to), the last one [90, 100].' })
export class BenchmarkHistogramBucket {
  @Field(() => Int)
  from: number;

  @Field(() => Int)
  to: number;

  @Field(() => Int, { description: 'Number of cohort organisations whose score falls in the bucket.' })
  count: number;
}

@ObjectType({
  description:
    'Benchmark figures of one value (a dimension or the overall score), rounded to whole points (half away from zero). ' +
    'When `withheld` is true every cohort figure is null; only `n` and the subject’s own score are shown.',
})
export class BenchmarkFigures {
  @Field(() => Int, {
    description: 'Cohort organisations with this value scored (the subject organisation is never counted).',
  })
  n: number;

  @Field({ description: 'True when the cohort is too small to show any figure.' })
  withheld: boolean;

  @Field(() => BenchmarkWithheldReason, { nullable: true })
  reason: BenchmarkWithheldReason | null;

  @Field(() => Int, {
    nullable: true,
    description: "The subject's own score (null for cohortBenchmark, or when the subject has no score here).",
  })
  subjectScore: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Percentile rank of the subject's score in the cohort: 100 · (below + ½ · equal) / n. In SHARED_POOL rounded to a multiple of ⌈100 · k / n⌉ points (whole points once n ≥ 100 · k).",
  })
  percentileRank: number | null;

  @Field(() => Int, { nullable: true })
  mean: number | null;

  @Field(() => Int, { nullable: true, description: '25th percentile (linear interpolation).' })
  p25: number | null;

  @Field(() => Int, { nullable: true })
  median: number | null;

  @Field(() => Int, { nullable: true, description: '75th percentile (linear interpolation).' })
  p75: number | null;

  @Field(() => [BenchmarkHistogramBucket], {
    nullable: true,
    description:
      'Ten buckets 0–10 … 90–100 (100 in the last). In SHARED_POOL adjacent buckets are merged so that every bar holds 0 or at least k organisations.',
  })
  histogram: BenchmarkHistogramBucket[] | null;
}

@ObjectType({ description: 'Benchmark figures of one dimension of the framework.' })
export class DimensionBenchmark extends BenchmarkFigures {
  @Field({ description: 'Dimension code, e.g. STRATEGY.' })
  code: string;

  @Field({ description: 'Group of the dimension, e.g. ELEMENTS or PYRAMID.' })
  group: string;

  @Field(() => String, { nullable: true, description: "The dimension's title in the requested locale." })
  title: string | null;
}

@ObjectType({ description: 'The framework a benchmark compares on: one key and major version.' })
export class BenchmarkFramework {
  @Field({ description: 'Framework key, e.g. service-strategy.' })
  key: string;

  @Field(() => Int, { description: 'Major version: results of every minor version of it are comparable.' })
  major: number;

  @Field({
    description:
      'Version whose titles and settings are used (the subject’s, the given one, or the latest of that major).',
  })
  version: string;

  @Field(() => String, { nullable: true, description: "The framework's name in the requested locale." })
  name: string | null;

  @Field({ description: "True for a firm's own framework (its cohort can only hold that firm's organisations)." })
  ownedByFirm: boolean;
}

@ObjectType({ description: 'Which organisations were compared with, described by the filters only (never by names).' })
export class BenchmarkCohort {
  @Field(() => BenchmarkScope)
  scope: BenchmarkScope;

  @Field(() => String, { nullable: true, description: 'ISIC Rev. 4 section letter, when filtered.' })
  industry: string | null;

  @Field(() => SizeBand, { nullable: true })
  sizeBand: SizeBand | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 code, when filtered.' })
  country: string | null;

  @Field(() => Int, {
    description:
      'k (the framework’s benchmarkMinCohort): figures of a value with fewer cohort organisations are withheld.',
  })
  minimumSize: number;
}

@ObjectType({ description: 'The benchmarked organisation and assessment (the asking firm’s own).' })
export class BenchmarkSubject {
  @Field(() => ID)
  organisationId: string;

  @Field(() => ID)
  assessmentId: string;

  @Field({ description: 'When the benchmarked assessment closed.' })
  closedAt: Date;
}

@ObjectType({ description: 'An anonymous comparison with a peer cohort (docs/scoring.md §7).' })
export class Benchmark {
  @Field(() => BenchmarkFramework)
  framework: BenchmarkFramework;

  @Field(() => BenchmarkCohort)
  cohort: BenchmarkCohort;

  @Field(() => BenchmarkSubject, { nullable: true, description: 'Null for cohortBenchmark.' })
  subject: BenchmarkSubject | null;

  @Field(() => BenchmarkFigures, { description: 'The overall score.' })
  overall: BenchmarkFigures;

  @Field(() => [DimensionBenchmark], { description: 'Every dimension of the framework, in framework order.' })
  dimensions: DimensionBenchmark[];
}
