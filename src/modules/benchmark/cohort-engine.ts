/**
 * The cohort engine: exact §7 aggregates of a cohort read from the pre-aggregated cohort
 * summaries (`benchmark_cohort_summary`, kept in step by triggers, see the migration
 * CohortSummaries1796600000000) instead of from every member's rows.
 *
 * A summary row holds, for one cohort shape and value code, the count and the exact sum of
 * the scores in one quarter-point bucket (`floor(score * 4)`). Count, mean and histogram come
 * from the summary alone. An order statistic (the quartiles' closest ranks) or the subject's
 * rank needs the exact values of one bucket only: those are read from
 * `benchmark_cohort_value`, the cohort's distinct scores with their counts (the "drill-down"). So a cohort of 50,000 organisations costs a
 * few thousand summary rows and a few hundred distinct values, whatever its size.
 *
 * The engine can also compute a pool cohort as of an earlier point of the pool's change log
 * (`benchmark_pool_event`): every change since then is undone on the counts and on the
 * drilled-down values ("adjustments"). Stepped releases use it (benchmark-release.ts).
 *
 * Every statement of one computation must see the same snapshot: run it in one REPEATABLE
 * READ transaction (or on a connection nobody writes through meanwhile).
 */
import { histogramBucket } from '../../scoring/benchmark-stats';
import { BenchmarkScope } from './benchmark.types';

/** Anything that runs a parameterised statement and gives its rows (an EntityManager, a wrapped `pg` client). */
export interface Queryable {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

/** The scope key of the shared pool in the summaries. */
export const POOL_SCOPE_KEY = '00000000-0000-0000-0000-000000000000';
/** Summary buckets per score point: a bucket is [f / 4, (f + 1) / 4), exact in binary floating point. */
export const FINE_PER_POINT = 4;
/** The number of histogram buckets (0–10 … 90–100). */
export const HISTOGRAM_BUCKETS = 10;
/** A segment column of the summaries that is not filtered on. */
const ANY = '*';

/** Full-precision aggregates of one value over a cohort (before the withholding rule and rounding). */
export interface CohortAggregate {
  dimensionCode: string;
  /** Cohort organisations with the value not null. */
  n: number;
  mean: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  /** The subject's score (null without a subject or when it has none). */
  subjectScore: number | null;
  /** Cohort values below / equal to the subject's score (null without a subject score). */
  below: number | null;
  equal: number | null;
  /** Percentile rank of the subject's score: 100 · (below + ½ · equal) / n. */
  percentileRank: number | null;
  /** Counts of the ten buckets: bucket i holds [10i, 10i + 10), 100 in the last. */
  histogram: number[];
}

/** A cohort: framework key (as stored), major version, value codes, scope and segment filters. */
export interface CohortShape {
  frameworkKey: string;
  major: number;
  codes: string[];
  scope: BenchmarkScope;
  /** The asking firm (the cohort of OWN_FIRM). */
  firmId: string;
  industry?: string | null;
  sizeBand?: string | null;
  country?: string | null;
}

/** The subject: its organisation is left out of the cohort, its scores are ranked. */
export interface CohortSubject {
  firmId: string;
  organisationId: string;
  /** The subject's scores per value code (null when it has none for a code). */
  scores: Map<string, number | null>;
}

/** One value entering (weight +1) or leaving (−1) the cohort relative to the live summaries. */
export interface Adjustment {
  code: string;
  score: number;
  weight: number;
}

/** The summary bucket of a score, as the triggers compute it (`floor(score * 4)`). */
export function fineBucket(score: number): number {
  return Math.floor(score * FINE_PER_POINT);
}

/** The segment columns of a shape in the summaries' form (`*` for no filter). */
export function segmentKey(shape: Pick<CohortShape, 'industry' | 'sizeBand' | 'country'>): [string, string, string] {
  return [shape.industry || ANY, shape.sizeBand || ANY, shape.country || ANY];
}

/** The summary scope key of a shape. */
export function scopeKey(shape: Pick<CohortShape, 'scope' | 'firmId'>): string {
  return shape.scope === BenchmarkScope.OWN_FIRM ? shape.firmId : POOL_SCOPE_KEY;
}

/** Per value code: the count of each quarter-point bucket, the histogram and the exact total. */
interface CodeSummary {
  fine: Map<number, number>;
  histogram: number[];
  n: number;
  total: number;
}

/**
 * Reads the summary of a cohort shape in one statement: per value code its buckets' counts
 * (with the histogram bucket) and, per code, the count and exact sum of all its scores; and,
 * given a subject, its organisation's rows that are members of the cohort now (to be left out).
 */
export async function readSummary(
  q: Queryable,
  shape: CohortShape,
  subject: Pick<CohortSubject, 'firmId' | 'organisationId'> | null = null,
): Promise<{ codes: Map<string, CodeSummary>; membership: Adjustment[] }> {
  const [industry, sizeBand, country] = segmentKey(shape);
  const params: unknown[] = [
    shape.frameworkKey,
    shape.major,
    scopeKey(shape),
    industry,
    sizeBand,
    country,
    shape.codes,
  ];
  let members = '';
  if (subject) {
    const where = memberConditions(shape, params);
    params.push(subject.firmId, subject.organisationId);
    const n = params.length;
    members = `UNION ALL
     SELECT b.dimension_code, -2, -2, 1, b.score::text FROM benchmark_score b
      WHERE ${where.join(' AND ')} AND b.firm_id = $${n - 1} AND b.organisation_id = $${n}
        AND b.dimension_code = ANY($7::varchar[])`;
  }
  const rows = await q.query<Array<{ code: string; fine: number; hbucket: number; n: number; total: string | null }>>(
    `WITH s AS (
       SELECT dimension_code, fine, hbucket, n, total FROM benchmark_cohort_summary
        WHERE framework_key = $1 AND framework_major = $2 AND scope_key = $3
          AND industry = $4 AND size_band = $5 AND country = $6 AND dimension_code = ANY($7::varchar[]) AND n <> 0)
     SELECT dimension_code AS code, fine, hbucket, n, NULL::text AS total FROM s
     UNION ALL
     SELECT dimension_code, -1, -1, sum(n)::int, sum(total)::text FROM s GROUP BY dimension_code
     ${members}`,
    params,
  );
  const codes = new Map<string, CodeSummary>();
  const membership: Adjustment[] = [];
  const of = (code: string): CodeSummary => {
    let s = codes.get(code);
    if (!s) {
      s = { fine: new Map(), histogram: new Array<number>(HISTOGRAM_BUCKETS).fill(0), n: 0, total: 0 };
      codes.set(code, s);
    }
    return s;
  };
  for (const row of rows) {
    if (row.fine === -2) {
      membership.push({ code: row.code, score: Number(row.total), weight: -1 });
      continue;
    }
    const s = of(row.code);
    if (row.fine < 0) {
      s.n = Number(row.n);
      s.total = Number(row.total);
    } else {
      s.fine.set(row.fine, (s.fine.get(row.fine) ?? 0) + row.n);
      s.histogram[row.hbucket] += row.n;
    }
  }
  return { codes, membership };
}

/** Per value code, the count of a shape's summary (no buckets): for the withholding verdicts. */
export async function readCounts(
  q: Queryable,
  shapes: Array<{ shape: CohortShape; scope: string }>,
): Promise<Array<Map<string, number>>> {
  if (shapes.length === 0) return [];
  const params: unknown[] = [];
  const parts = shapes.map(({ shape, scope }, i) => {
    const [industry, sizeBand, country] = segmentKey(shape);
    params.push(shape.frameworkKey, shape.major, scope, industry, sizeBand, country, shape.codes);
    const p = (j: number) => `$${params.length - 7 + j}`;
    return `SELECT ${i} AS i, dimension_code AS code, sum(n)::int AS n FROM benchmark_cohort_summary
             WHERE framework_key = ${p(1)} AND framework_major = ${p(2)} AND scope_key = ${p(3)} AND industry = ${p(4)}
               AND size_band = ${p(5)} AND country = ${p(6)} AND dimension_code = ANY(${p(7)}::varchar[])
             GROUP BY dimension_code`;
  });
  const rows = await q.query<Array<{ i: number; code: string; n: number }>>(parts.join('\nUNION ALL\n'), params);
  const out = shapes.map(() => new Map<string, number>());
  for (const row of rows) out[row.i].set(row.code, Number(row.n));
  return out;
}

/** The WHERE conditions on `benchmark_score b` of a shape's members (scope and filters), from parameter `start`. */
function memberConditions(shape: CohortShape, params: unknown[]): string[] {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = [
    `b.framework_key = ${param(shape.frameworkKey)}`,
    `b.framework_major = ${param(shape.major)}`,
    'b.is_latest',
    'NOT b.excluded',
    'b.score IS NOT NULL',
  ];
  if (shape.scope === BenchmarkScope.OWN_FIRM) where.push(`b.firm_id = ${param(shape.firmId)}`);
  else where.push('b.firm_id IN (SELECT f.id FROM firm f WHERE f.shares_benchmarks)');
  if (shape.industry) where.push(`b.industry = ${param(shape.industry)}`);
  if (shape.sizeBand) where.push(`b.size_band = ${param(shape.sizeBand)}`);
  if (shape.country) where.push(`b.country = ${param(shape.country)}`);
  return where;
}

/** The distinct values of one bucket, ascending, with how many cohort members have each. */
interface BucketValues {
  values: number[];
  counts: number[];
}

/**
 * Reads, in one statement, the distinct live values (with their counts) of the cohort in each
 * wanted (code, quarter-point bucket), from `benchmark_cohort_value` in score order.
 */
async function drillDown(
  q: Queryable,
  shape: CohortShape,
  wanted: Array<{ code: string; fine: number }>,
): Promise<Map<string, BucketValues>> {
  const out = new Map<string, BucketValues>();
  if (wanted.length === 0) return out;
  const [industry, sizeBand, country] = segmentKey(shape);
  const rows = await q.query<Array<{ code: string; fine: number; score: number; n: number }>>(
    `SELECT r.code, r.fine, v.score, v.n
       FROM unnest($8::varchar[], $9::int[]) AS r(code, fine)
       CROSS JOIN LATERAL (
         SELECT score, n FROM benchmark_cohort_value
          WHERE framework_key = $1 AND framework_major = $2 AND scope_key = $3 AND industry = $4 AND size_band = $5
            AND country = $6 AND dimension_code = r.code AND n <> 0
            AND score >= r.fine::float8 / $7 AND score < (r.fine + 1)::float8 / $7
          ORDER BY score) v`,
    [
      shape.frameworkKey,
      shape.major,
      scopeKey(shape),
      industry,
      sizeBand,
      country,
      FINE_PER_POINT,
      wanted.map((w) => w.code),
      wanted.map((w) => w.fine),
    ],
  );
  for (const row of rows) {
    const key = `${row.code}:${row.fine}`;
    let bucket = out.get(key);
    if (!bucket) {
      bucket = { values: [], counts: [] };
      out.set(key, bucket);
    }
    bucket.values.push(Number(row.score));
    bucket.counts.push(Number(row.n));
  }
  return out;
}

/** Adds `weight` (negative: removes) members with `value` to a bucket's ascending values. */
function adjustBucket(bucket: BucketValues, value: number, weight: number, where: string): void {
  let i = 0;
  while (i < bucket.values.length && bucket.values[i] < value) i++;
  if (i < bucket.values.length && bucket.values[i] === value) {
    bucket.counts[i] += weight;
    if (bucket.counts[i] < 0)
      throw new Error(`cohort engine: ${where}: value ${value} removed more often than present`);
    return;
  }
  if (weight < 0) throw new Error(`cohort engine: ${where}: value ${value} to remove is not in its bucket`);
  bucket.values.splice(i, 0, value);
  bucket.counts.splice(i, 0, weight);
}

/** The value at 0-based `offset` of a bucket. */
function valueAtOffset(bucket: BucketValues, offset: number): number {
  let before = 0;
  for (let i = 0; i < bucket.values.length; i++) {
    before += bucket.counts[i];
    if (offset < before) return bucket.values[i];
  }
  throw new Error(`cohort engine: offset ${offset} is beyond its bucket (${before})`);
}

/**
 * Computes the exact aggregates of a cohort from its live summary plus adjustments (values to
 * leave out or put back: changes since a release point) with the subject's membership left out. Reads the
 * summary, then drills down into the buckets holding the quartiles' closest ranks and the
 * subject's scores. Codes with neither a cohort value nor a subject score are absent.
 */
export async function computeAggregates(
  q: Queryable,
  shape: CohortShape,
  changes: Adjustment[],
  subject: CohortSubject | null,
): Promise<Map<string, CohortAggregate>> {
  const read = await readSummary(q, shape, subject);
  const live = read.codes;
  const adjustments = [...changes, ...read.membership];
  const subjectScores = subject?.scores ?? null;
  const byCode = new Map<string, Adjustment[]>();
  for (const a of adjustments) {
    const list = byCode.get(a.code) ?? [];
    list.push(a);
    byCode.set(a.code, list);
  }
  interface Work {
    code: string;
    fine: Map<number, number>;
    order: number[];
    histogram: number[];
    n: number;
    total: number;
    subject: number | null;
    needs: Set<number>;
    buckets: Map<number, BucketValues>;
  }
  const work: Work[] = [];
  for (const code of shape.codes) {
    const s = live.get(code);
    const subject = subjectScores?.get(code) ?? null;
    const fine = new Map(s?.fine ?? []);
    const histogram = s ? [...s.histogram] : new Array<number>(HISTOGRAM_BUCKETS).fill(0);
    let n = s?.n ?? 0;
    let total = s?.total ?? 0;
    for (const a of byCode.get(code) ?? []) {
      const f = fineBucket(a.score);
      fine.set(f, (fine.get(f) ?? 0) + a.weight);
      histogram[histogramBucket(a.score)] += a.weight;
      n += a.weight;
      total += a.weight * a.score;
    }
    if (n === 0 && subject === null && !s) continue;
    const order = [...fine.keys()].filter((f) => (fine.get(f) ?? 0) !== 0).sort((a, b) => a - b);
    for (const f of order) {
      if ((fine.get(f) ?? 0) < 0) throw new Error(`cohort engine: ${code}: bucket ${f} went negative`);
    }
    const w: Work = { code, fine, order, histogram, n, total, subject, needs: new Set(), buckets: new Map() };
    if (n > 0) {
      for (const p of [0.25, 0.5, 0.75]) {
        const pos = p * (n - 1);
        w.needs.add(bucketOfRank(w, Math.floor(pos)).fine);
        w.needs.add(bucketOfRank(w, Math.ceil(pos)).fine);
      }
      if (subject !== null && (fine.get(fineBucket(subject)) ?? 0) > 0) w.needs.add(fineBucket(subject));
    }
    work.push(w);
  }
  const drilled = await drillDown(
    q,
    shape,
    work.flatMap((w) => [...w.needs].map((fine) => ({ code: w.code, fine }))),
  );
  for (const w of work) {
    for (const f of w.needs) {
      const bucket = drilled.get(`${w.code}:${f}`) ?? { values: [], counts: [] };
      for (const a of byCode.get(w.code) ?? []) {
        if (fineBucket(a.score) === f) adjustBucket(bucket, a.score, a.weight, w.code);
      }
      const count = bucket.counts.reduce((sum, c) => sum + c, 0);
      if (count !== w.fine.get(f)) {
        throw new Error(
          `cohort engine: ${w.code} bucket ${f}: ${count} values, the summary counts ${w.fine.get(f) ?? 0}`,
        );
      }
      w.buckets.set(f, bucket);
    }
  }
  const out = new Map<string, CohortAggregate>();
  for (const w of work) {
    const valueAt = (rank: number): number => {
      const { fine, offset } = bucketOfRank(w, rank);
      return valueAtOffset(w.buckets.get(fine) as BucketValues, offset);
    };
    const quartile = (p: number): number | null => {
      if (w.n === 0) return null;
      const pos = p * (w.n - 1);
      const lo = valueAt(Math.floor(pos));
      const hi = valueAt(Math.ceil(pos));
      // PostgreSQL's percentile_cont: lo + (pos − floor(pos)) · (hi − lo).
      return lo + (pos - Math.floor(pos)) * (hi - lo);
    };
    let below: number | null = null;
    let equal: number | null = null;
    if (w.subject !== null && w.n > 0) {
      const fx = fineBucket(w.subject);
      below = 0;
      equal = 0;
      for (const f of w.order) if (f < fx) below += w.fine.get(f) ?? 0;
      const bucket = w.buckets.get(fx);
      for (let i = 0; bucket && i < bucket.values.length; i++) {
        if (bucket.values[i] < w.subject) below += bucket.counts[i];
        else if (bucket.values[i] === w.subject) equal += bucket.counts[i];
      }
    }
    out.set(w.code, {
      dimensionCode: w.code,
      n: w.n,
      mean: w.n > 0 ? w.total / w.n : null,
      p25: quartile(0.25),
      median: quartile(0.5),
      p75: quartile(0.75),
      subjectScore: w.subject,
      below,
      equal,
      percentileRank: below !== null && equal !== null ? (100 * (below + 0.5 * equal)) / w.n : null,
      histogram: w.histogram,
    });
  }
  return out;
}

/** The bucket holding the value of 0-based rank `rank`, and its offset in the bucket. */
function bucketOfRank(
  w: { fine: Map<number, number>; order: number[] },
  rank: number,
): { fine: number; offset: number } {
  let before = 0;
  for (const f of w.order) {
    const count = w.fine.get(f) ?? 0;
    if (rank < before + count) return { fine: f, offset: rank - before };
    before += count;
  }
  throw new Error(`cohort engine: rank ${rank} is beyond the cohort (${before})`);
}

/**
 * The live aggregates of a cohort (no release point): the summary read, the subject's
 * membership left out, and the drill-down.
 */
export async function liveAggregates(
  q: Queryable,
  shape: CohortShape,
  subject: CohortSubject | null = null,
): Promise<Map<string, CohortAggregate>> {
  return computeAggregates(q, shape, [], subject);
}

/** What a cohort is, as the plain aggregate statement (cohortAggregateQuery) takes it. */
export interface CohortSpec {
  /**
   * The framework: the stored key (plain for a built-in framework, `<ownerFirmId>:<key>` for
   * a firm's own), the major version and the value codes to aggregate (OVERALL included when
   * wanted). Null to take all three from the subject's own benchmark rows (then `subject` is
   * required and its organisation comes from those rows too).
   */
  framework: { key: string; major: number; dimensionCodes: string[] } | null;
  scope: BenchmarkScope;
  /** The asking firm (the cohort of OWN_FIRM). */
  firmId: string;
  industry?: string | null;
  sizeBand?: string | null;
  country?: string | null;
  /** The subject: its organisation is left out of the cohort, its assessment's scores are ranked. */
  subject?: { firmId: string; organisationId?: string; assessmentId: string } | null;
}

/**
 * The engine's live aggregates for the same cohort description the plain aggregate statement
 * takes: what `npm run bench:benchmark` times as the engine's
 * raw statements, and what the exactness test compares with the plain aggregate.
 */
export async function engineCohortAggregates(q: Queryable, spec: CohortSpec): Promise<Map<string, CohortAggregate>> {
  let subject: CohortSubject | null = null;
  let subjectRows: Array<{ code: string; score: number | null; organisation_id: string; key: string; major: number }> =
    [];
  if (spec.subject) {
    subjectRows = await q.query<typeof subjectRows>(
      `SELECT dimension_code AS code, score, organisation_id, framework_key AS key, framework_major AS major
         FROM benchmark_score WHERE firm_id = $1 AND assessment_id = $2`,
      [spec.subject.firmId, spec.subject.assessmentId],
    );
    const organisationId = spec.subject.organisationId ?? subjectRows[0]?.organisation_id;
    if (organisationId) {
      subject = {
        firmId: spec.subject.firmId,
        organisationId,
        scores: new Map(subjectRows.map((r) => [r.code, r.score === null ? null : Number(r.score)])),
      };
    }
  }
  // Without a framework, the subject's own rows say which (as the plain statement takes it).
  const framework =
    spec.framework ??
    (subjectRows[0]
      ? { key: subjectRows[0].key, major: Number(subjectRows[0].major), dimensionCodes: subjectRows.map((r) => r.code) }
      : null);
  if (!framework) return new Map();
  const shape: CohortShape = {
    frameworkKey: framework.key,
    major: framework.major,
    codes: framework.dimensionCodes,
    scope: spec.scope,
    firmId: spec.firmId,
    industry: spec.industry,
    sizeBand: spec.sizeBand,
    country: spec.country,
  };
  return liveAggregates(q, shape, subject);
}
