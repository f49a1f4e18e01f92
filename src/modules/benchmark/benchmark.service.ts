/**
 * Benchmarks across organisations (docs/scoring.md §7): anonymous peer cohorts, their statistics
 * computed by the cohort engine (cohort-engine.ts) from the pre-aggregated cohort summaries,
 * shared-pool figures released in steps (benchmark-release.ts), and the withholding rules.
 *
 * Tenant isolation: the subject (assessment, organisation, framework version) is always
 * looked up within the principal's firm; the cohort is the principal's firm (OWN_FIRM) or
 * the firms that opted in to the shared pool (SHARED_POOL). Only aggregates ever leave here.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { BadInputError, ConflictError, NotFoundError } from '../../graphql/errors';
import { DEFAULT_SETTINGS } from '../../scoring/types';
import type { Principal } from '../firm/api-key.service';
import { isUuid } from '../firm/tenant-ids';
import { localize } from '../framework/framework-convert';
import type { Locale, LocalizedText } from '../framework/framework-document';
import { normalizeCode } from '../reference/reference.validators';
import { OVERALL } from './benchmark-score.entity';
import { SharedPoolNotJoinedError } from './benchmark.errors';
import { releasedPoolAggregates, onSnapshot, primaryOf } from './benchmark-release';
import {
  HISTOGRAM_BUCKETS,
  liveAggregates,
  type CohortAggregate,
  type CohortShape,
  type CohortSpec,
  type CohortSubject,
} from './cohort-engine';
import { poolFigures, toFigures } from './release-rules';
import type {
  AssessmentBenchmarkArgs,
  BenchmarkCohortInput,
  CohortBenchmarkArgs,
  OrganisationBenchmarkArgs,
} from './benchmark.inputs';
import {
  BenchmarkScope,
  type Benchmark,
  type BenchmarkFigures,
  type BenchmarkSubject,
  type DimensionBenchmark,
} from './benchmark.types';
import type { SizeBand } from '../reference/reference.types';

type Db = DataSource | EntityManager;

export { HISTOGRAM_BUCKETS, toFigures, type CohortAggregate };

export type { CohortSpec };

interface AggregateRow {
  code: string;
  subject_score: number | null;
  n: number | null;
  mean: number | null;
  quartiles: number[] | null;
  below: number | null;
  equal: number | null;
  [bucket: `h${number}`]: number | null;
}

/**
 * The plain aggregate: ONE statement that computes every value's cohort aggregates from the
 * members' rows, grouped by dimension code, on the partial indexes (`is_latest AND NOT
 * excluded`): count, mean, percentile_cont quartiles, the subject's below/equal counts for its
 * percentile rank, and the histogram counts. The API computes the same figures with the
 * cohort engine; this statement is the reference the exactness test and
 * `npm run bench:benchmark` compare it with.
 */
export function cohortAggregateQuery(spec: CohortSpec): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const subject = spec.subject ?? null;
  if (!spec.framework && !subject)
    throw new Error('cohortAggregateQuery: a cohort without a framework needs a subject');
  let subjectSql =
    'SELECT NULL::varchar AS dimension_code, NULL::float8 AS score, NULL::uuid AS organisation_id, NULL::varchar AS framework_key, NULL::int AS framework_major WHERE false';
  let sf = '';
  if (subject) {
    sf = param(subject.firmId);
    subjectSql = `SELECT dimension_code, score, organisation_id, framework_key, framework_major FROM benchmark_score WHERE firm_id = ${sf} AND assessment_id = ${param(subject.assessmentId)}`;
  }
  const where: string[] = [];
  if (spec.framework) {
    const codes = param(spec.framework.dimensionCodes);
    where.push(
      `b.framework_key = ${param(spec.framework.key)}`,
      `b.framework_major = ${param(spec.framework.major)}`,
      `b.dimension_code = ANY(${codes}::varchar[])`,
    );
    if (subject) subjectSql += ` AND dimension_code = ANY(${codes}::varchar[])`;
  } else {
    // One-row subqueries become parameters of the index scan (InitPlans), as if given literally.
    where.push(
      'b.framework_key = (SELECT framework_key FROM subject LIMIT 1)',
      'b.framework_major = (SELECT framework_major FROM subject LIMIT 1)',
      'b.dimension_code = ANY(ARRAY(SELECT dimension_code FROM subject))',
    );
  }
  where.push('b.is_latest', 'NOT b.excluded', 'b.score IS NOT NULL');
  // Filters are added only when given, so that the planner sees plain equalities on the index columns.
  if (spec.scope === BenchmarkScope.OWN_FIRM) where.push(`b.firm_id = ${param(spec.firmId)}`);
  else where.push('b.firm_id IN (SELECT f.id FROM firm f WHERE f.shares_benchmarks)');
  if (spec.industry) where.push(`b.industry = ${param(spec.industry)}`);
  if (spec.sizeBand) where.push(`b.size_band = ${param(spec.sizeBand)}`);
  if (spec.country) where.push(`b.country = ${param(spec.country)}`);
  if (subject) {
    const organisation = subject.organisationId
      ? param(subject.organisationId)
      : '(SELECT organisation_id FROM subject LIMIT 1)';
    where.push(`NOT (b.firm_id = ${sf} AND b.organisation_id = ${organisation})`);
  }
  const buckets = Array.from(
    { length: HISTOGRAM_BUCKETS },
    (_, i) => `count(*) FILTER (WHERE c.bucket = ${i})::int AS h${i}`,
  ).join(',\n           ');
  const sql = `
    WITH subject AS (${subjectSql}),
    cohort AS (
      SELECT b.dimension_code, b.score,
             -- The engine's bucket: floor(v / 10), with 100 in the last bucket.
             LEAST(floor(b.score / 10), ${HISTOGRAM_BUCKETS - 1})::int AS bucket
        FROM benchmark_score b
       WHERE ${where.join('\n         AND ')}
    ),
    agg AS (
      SELECT c.dimension_code,
             count(*)::int AS n,
             avg(c.score) AS mean,
             percentile_cont(ARRAY[0.25, 0.5, 0.75]::float8[]) WITHIN GROUP (ORDER BY c.score) AS quartiles,
             count(*) FILTER (WHERE c.score < s.score)::int AS below,
             count(*) FILTER (WHERE c.score = s.score)::int AS equal,
           ${buckets}
        FROM cohort c
        LEFT JOIN subject s ON s.dimension_code = c.dimension_code
       GROUP BY c.dimension_code
    )
    SELECT coalesce(a.dimension_code, s.dimension_code) AS code, s.score AS subject_score, a.*
      FROM agg a
      FULL JOIN subject s ON s.dimension_code = a.dimension_code`;
  return { sql, params };
}

/**
 * Runs the plain aggregate {@link cohortAggregateQuery}: full-precision aggregates per value
 * code. Values with an empty cohort come back with n = 0 (or are absent when the subject has
 * no row either).
 */
export async function cohortAggregates(db: Db, spec: CohortSpec): Promise<Map<string, CohortAggregate>> {
  const { sql, params } = cohortAggregateQuery(spec);
  return aggregatesOf(await db.query(sql, params));
}

/** Reads the rows of {@link cohortAggregateQuery} (rows without a code are skipped). */
function aggregatesOf(rows: AggregateRow[]): Map<string, CohortAggregate> {
  const out = new Map<string, CohortAggregate>();
  for (const row of rows) {
    if (row.code === null || row.code === undefined) continue;
    const n = row.n ?? 0;
    const subjectScore = row.subject_score ?? null;
    const hasRank = n > 0 && subjectScore !== null;
    out.set(row.code, {
      dimensionCode: row.code,
      n,
      mean: n > 0 ? Number(row.mean) : null,
      p25: n > 0 && row.quartiles ? Number(row.quartiles[0]) : null,
      median: n > 0 && row.quartiles ? Number(row.quartiles[1]) : null,
      p75: n > 0 && row.quartiles ? Number(row.quartiles[2]) : null,
      subjectScore,
      below: hasRank ? (row.below ?? 0) : null,
      equal: hasRank ? (row.equal ?? 0) : null,
      percentileRank: hasRank ? (100 * ((row.below ?? 0) + 0.5 * (row.equal ?? 0))) / n : null,
      histogram: Array.from({ length: HISTOGRAM_BUCKETS }, (_, i) => row[`h${i}`] ?? 0),
    });
  }
  return out;
}

/** A framework version as far as benchmarks need it (read without its questions). */
interface FrameworkInfo {
  id: string;
  key: string;
  major: number;
  version: string;
  ownerFirmId: string | null;
  name: LocalizedText | null;
  dimensions: Array<{ code: string; group: string; title: LocalizedText | null }>;
  /** k: the largest benchmarkMinCohort among the versions of this key and major. */
  minCohort: number;
}

// The framework columns a benchmark needs, without the (large) document: the version's
// identity and checksum, and those of the versions sharing its key and major (k is the
// largest benchmarkMinCohort among them, see versionDetails).
const FRAMEWORK_COLUMNS = `
  fv.id AS fv_id, fv.key AS fv_key, fv.major AS fv_major, fv.version AS fv_version, fv.owner_firm_id AS fv_owner, fv.checksum AS fv_checksum,
  (SELECT array_agg(s.id::text || ':' || s.checksum)
     FROM framework_version s
    WHERE (s.key = fv.key AND s.major = fv.major AND s.owner_firm_id IS NOT DISTINCT FROM fv.owner_firm_id AND s.status <> 'DRAFT')
       OR s.id = fv.id) AS fv_versions`;

interface FrameworkRow {
  fv_id: string;
  fv_key: string;
  fv_major: number;
  fv_version: string;
  fv_owner: string | null;
  fv_checksum: string;
  /** `<id>:<checksum>` of every version of the key and major (and of this one). */
  fv_versions: string[];
}

/** What a benchmark reads from one framework version's document. */
interface VersionDetails {
  name: LocalizedText | null;
  dimensions: Array<{ code: string; group: string; title: LocalizedText | null }>;
  /** benchmarkMinCohort, or the default when the version does not set it. */
  minCohort: number;
}

// Framework documents are large and a version's content only changes with its checksum
// (published versions never change), so their details are read once per process.
const DETAILS_CACHE_LIMIT = 500;
const detailsCache = new Map<string, VersionDetails>();

async function versionDetails(db: Db, keys: string[]): Promise<Map<string, VersionDetails>> {
  const missing = keys.filter((k) => !detailsCache.has(k));
  if (missing.length > 0) {
    const rows: Array<{
      cache_key: string;
      name: LocalizedText | null;
      dimensions: VersionDetails['dimensions'];
      min_cohort: number | null;
    }> = await db.query(
      `SELECT fv.id::text || ':' || fv.checksum AS cache_key, fv.document->'name' AS name,
              (SELECT coalesce(jsonb_agg(jsonb_build_object('code', d->>'code', 'group', d->>'group', 'title', d->'title') ORDER BY d.ord), '[]'::jsonb)
                 FROM jsonb_array_elements(fv.document->'dimensions') WITH ORDINALITY AS d(d, ord)) AS dimensions,
              CASE WHEN jsonb_typeof(fv.document->'settings'->'benchmarkMinCohort') = 'number'
                   THEN ceil((fv.document->'settings'->>'benchmarkMinCohort')::numeric)::int END AS min_cohort
         FROM framework_version fv
        WHERE fv.id = ANY($1::uuid[])`,
      [missing.map((k) => k.slice(0, k.indexOf(':')))],
    );
    for (const row of rows) {
      if (detailsCache.size >= DETAILS_CACHE_LIMIT) detailsCache.delete(detailsCache.keys().next().value as string);
      detailsCache.set(row.cache_key, {
        name: row.name,
        dimensions: row.dimensions ?? [],
        minCohort: row.min_cohort ?? DEFAULT_SETTINGS.benchmarkMinCohort,
      });
    }
  }
  const out = new Map<string, VersionDetails>();
  for (const k of keys) {
    const details = detailsCache.get(k);
    if (details) out.set(k, details);
  }
  return out;
}

async function frameworkInfo(db: Db, row: FrameworkRow): Promise<FrameworkInfo> {
  const own = `${row.fv_id}:${row.fv_checksum}`;
  const details = await versionDetails(db, [...new Set([own, ...(row.fv_versions ?? [])])]);
  const reference = details.get(own);
  // The cohort spans every minor version of the major: the strictest k protects all of them.
  const k = Math.max(1, ...[...details.values()].map((d) => d.minCohort));
  return {
    id: row.fv_id,
    key: row.fv_key,
    major: row.fv_major,
    version: row.fv_version,
    ownerFirmId: row.fv_owner,
    name: reference?.name ?? null,
    dimensions: reference?.dimensions ?? [],
    // k below 1 would show a cohort of nobody; treat it as 1.
    minCohort: Math.max(1, k),
  };
}

/** The key benchmark rows of a framework are stored under (see result-store.ts). */
function storedKey(framework: Pick<FrameworkInfo, 'ownerFirmId' | 'key'>): string {
  return framework.ownerFirmId ? `${framework.ownerFirmId}:${framework.key}` : framework.key;
}

/** The cohort filters in stored form (codes upper-cased). */
function normalizeCohort(cohort: BenchmarkCohortInput): {
  scope: BenchmarkScope;
  industry: string | null;
  sizeBand: SizeBand | null;
  country: string | null;
} {
  return {
    scope: cohort.scope,
    industry: cohort.industry ? normalizeCode(cohort.industry) : null,
    sizeBand: cohort.sizeBand ?? null,
    country: cohort.country ? normalizeCode(cohort.country) : null,
  };
}

/** Throws FORBIDDEN when the firm asks for the shared pool without taking part in it. */
function checkScope(scope: BenchmarkScope, firmSharesBenchmarks: boolean): void {
  if (scope === BenchmarkScope.SHARED_POOL && !firmSharesBenchmarks) throw new SharedPoolNotJoinedError();
}

/**
 * The cohort's aggregates and the figures shown: OWN_FIRM live on one snapshot, with the k
 * rule; SHARED_POOL from the asking firm's release of the shape, with the pool's rules.
 */
async function cohortFigures(
  db: Db,
  principal: Principal,
  framework: FrameworkInfo,
  cohort: ReturnType<typeof normalizeCohort>,
  subject: CohortSubject | null,
): Promise<Map<string, BenchmarkFigures>> {
  const shape: CohortShape = {
    frameworkKey: storedKey(framework),
    major: framework.major,
    codes: [...framework.dimensions.map((d) => d.code), OVERALL],
    scope: cohort.scope,
    firmId: principal.firmId,
    industry: cohort.industry,
    sizeBand: cohort.sizeBand,
    country: cohort.country,
  };
  const k = framework.minCohort;
  const out = new Map<string, BenchmarkFigures>();
  if (cohort.scope === BenchmarkScope.OWN_FIRM) {
    const aggregates = await onSnapshot(db, (q) => liveAggregates(q, shape, subject));
    for (const code of shape.codes) out.set(code, toFigures(aggregates.get(code), k));
    return out;
  }
  const released = await releasedPoolAggregates(db, primaryOf(db), shape, subject, k);
  for (const code of shape.codes) {
    out.set(
      code,
      poolFigures(released.aggregates.get(code), k, released.verdicts[code] ?? { nOther: 0, parentNOther: [] }),
    );
  }
  return out;
}

/** Assembles the benchmark: the cohort's figures, with k applied and rounded. */
async function buildBenchmark(
  db: Db,
  principal: Principal,
  framework: FrameworkInfo,
  cohortInput: BenchmarkCohortInput,
  locale: Locale,
  subject: BenchmarkSubject | null,
  subjectScores: Map<string, number | null> | null = null,
): Promise<Benchmark> {
  const cohort = normalizeCohort(cohortInput);
  const figures = await cohortFigures(
    db,
    principal,
    framework,
    cohort,
    subject
      ? {
          firmId: principal.firmId,
          organisationId: subject.organisationId,
          scores: subjectScores ?? new Map<string, number | null>(),
        }
      : null,
  );
  const k = framework.minCohort;
  return {
    framework: {
      key: framework.key,
      major: framework.major,
      version: framework.version,
      name: localize(framework.name, locale),
      ownedByFirm: framework.ownerFirmId !== null,
    },
    cohort: { ...cohort, minimumSize: k },
    subject,
    overall: figures.get(OVERALL) ?? toFigures(undefined, k),
    dimensions: framework.dimensions.map((d): DimensionBenchmark => ({
      code: d.code,
      group: d.group,
      title: localize(d.title, locale),
      ...(figures.get(d.code) ?? toFigures(undefined, k)),
    })),
  };
}

interface SubjectRow extends FrameworkRow {
  assessment_id: string;
  organisation_id: string;
  status: string;
  closed_at: Date | null;
  shares_benchmarks: boolean;
}

/** The subject's columns, of `assessment a JOIN framework_version fv JOIN firm f`. */
const SUBJECT_COLUMNS = `a.id AS assessment_id, a.organisation_id, a.status, a.closed_at, f.shares_benchmarks, ${FRAMEWORK_COLUMNS}`;

function subjectOf(row: SubjectRow): BenchmarkSubject {
  if (row.status !== 'CLOSED' || !row.closed_at) {
    throw new ConflictError(
      `Assessment "${row.assessment_id}" is ${row.status}: only a CLOSED assessment has a result to benchmark.`,
      {
        status: row.status,
      },
    );
  }
  return { organisationId: row.organisation_id, assessmentId: row.assessment_id, closedAt: new Date(row.closed_at) };
}

/**
 * Benchmarks a closed assessment of the principal's firm against a cohort: organisations
 * (each through its latest closed assessment) on the same framework key and major version,
 * in the firm or the shared pool, filtered by segment; the subject's organisation left out.
 *
 * @throws NOT_FOUND for an assessment that is not the firm's (or a malformed id);
 *   FORBIDDEN for SHARED_POOL when the firm has not opted in; CONFLICT when not CLOSED
 */
export async function assessmentBenchmark(
  principal: Principal,
  db: Db,
  args: AssessmentBenchmarkArgs,
): Promise<Benchmark> {
  return benchmarkAssessment(
    principal,
    db,
    args.assessmentId,
    args.cohort,
    args.locale,
    () => new NotFoundError('Assessment', args.assessmentId),
  );
}

/**
 * Looks the subject up in the principal's firm (with its framework and its stored scores),
 * checks it is CLOSED and the scope allowed, and benchmarks it.
 */
async function benchmarkAssessment(
  principal: Principal,
  db: Db,
  assessmentId: string,
  cohortInput: BenchmarkCohortInput,
  locale: Locale,
  notFound: () => Error,
): Promise<Benchmark> {
  if (!isUuid(assessmentId)) throw notFound();
  const rows: Array<SubjectRow & { scores: Record<string, number | null> | null }> = await db.query(
    `SELECT ${SUBJECT_COLUMNS},
            (SELECT jsonb_object_agg(b.dimension_code, b.score) FROM benchmark_score b
              WHERE b.firm_id = a.firm_id AND b.assessment_id = a.id) AS scores
       FROM assessment a
       JOIN framework_version fv ON fv.id = a.framework_version_id
       JOIN firm f ON f.id = a.firm_id
      WHERE a.firm_id = $1 AND a.id = $2`,
    [principal.firmId, assessmentId],
  );
  if (rows.length === 0) throw notFound();
  const row = rows[0];
  checkScope(cohortInput.scope, row.shares_benchmarks);
  const subject = subjectOf(row);
  const framework = await frameworkInfo(db, row);
  const scores = new Map<string, number | null>(
    Object.entries(row.scores ?? {}).map(([code, v]) => [code, v === null ? null : Number(v)]),
  );
  return buildBenchmark(db, principal, framework, cohortInput, locale, subject, scores);
}

/**
 * Benchmarks an organisation of the principal's firm through its latest closed assessment
 * (on any framework). An organisation excluded from benchmarks can still be benchmarked
 * against others; it is only left out of everybody's cohorts.
 *
 * @throws NOT_FOUND for an organisation that is not the firm's; FORBIDDEN for SHARED_POOL
 *   when the firm has not opted in; CONFLICT when it has no closed assessment yet
 */
export async function organisationBenchmark(
  principal: Principal,
  db: Db,
  args: OrganisationBenchmarkArgs,
): Promise<Benchmark> {
  const rows: Array<{ assessment_id: string | null; shares_benchmarks: boolean }> = isUuid(args.organisationId)
    ? await db.query(
        `SELECT latest.id AS assessment_id, f.shares_benchmarks
           FROM organisation o
           JOIN firm f ON f.id = o.firm_id
           LEFT JOIN LATERAL (
             SELECT a.id FROM assessment a
              WHERE a.firm_id = o.firm_id AND a.organisation_id = o.id AND a.status = 'CLOSED'
              ORDER BY a.closed_at DESC NULLS LAST, a.id DESC
              LIMIT 1) latest ON true
          WHERE o.firm_id = $1 AND o.id = $2`,
        [principal.firmId, args.organisationId],
      )
    : [];
  if (rows.length === 0) throw new NotFoundError('Organisation', args.organisationId);
  checkScope(args.cohort.scope, rows[0].shares_benchmarks);
  if (!rows[0].assessment_id) {
    throw new ConflictError(
      `Organisation "${args.organisationId}" has no closed assessment yet: close one to benchmark it.`,
    );
  }
  return benchmarkAssessment(
    principal,
    db,
    rows[0].assessment_id,
    args.cohort,
    args.locale,
    () => new NotFoundError('Organisation', args.organisationId),
  );
}

/**
 * The cohort's figures without a subject (for dashboards): on a framework version the firm
 * can use (by id), or on a framework key and major version (the firm's own framework of that
 * key if it has one, else the built-in one; titles from its latest non-draft version).
 *
 * @throws BAD_USER_INPUT unless exactly one of frameworkVersionId or frameworkKey + frameworkMajor
 *   is given; NOT_FOUND for a framework the firm cannot use; FORBIDDEN as above
 */
export async function cohortBenchmark(principal: Principal, db: Db, args: CohortBenchmarkArgs): Promise<Benchmark> {
  const byId = args.frameworkVersionId !== undefined && args.frameworkVersionId !== null;
  const byKey = (args.frameworkKey ?? null) !== null || (args.frameworkMajor ?? null) !== null;
  if (byId === byKey) {
    throw new BadInputError(
      [{ path: 'frameworkVersionId', message: 'give either frameworkVersionId, or frameworkKey and frameworkMajor' }],
      'Give either frameworkVersionId, or frameworkKey and frameworkMajor.',
    );
  }
  let rows: Array<FrameworkRow & { shares_benchmarks: boolean }>;
  if (byId) {
    const id = args.frameworkVersionId as string;
    rows = isUuid(id)
      ? await db.query(
          `SELECT f.shares_benchmarks, ${FRAMEWORK_COLUMNS}
             FROM framework_version fv
             JOIN firm f ON f.id = $1
            WHERE fv.id = $2 AND (fv.owner_firm_id = $1 OR (fv.owner_firm_id IS NULL AND fv.status <> 'DRAFT'))`,
          [principal.firmId, id],
        )
      : [];
    if (rows.length === 0) throw new NotFoundError('Framework version', id);
  } else {
    const problems = [];
    if (args.frameworkKey === undefined || args.frameworkKey === null)
      problems.push({ path: 'frameworkKey', message: 'is required with frameworkMajor' });
    if (args.frameworkMajor === undefined || args.frameworkMajor === null)
      problems.push({ path: 'frameworkMajor', message: 'is required with frameworkKey' });
    if (problems.length > 0) throw new BadInputError(problems);
    rows = await db.query(
      `SELECT f.shares_benchmarks, ${FRAMEWORK_COLUMNS}
         FROM framework_version fv
         JOIN firm f ON f.id = $1
        WHERE fv.key = $2 AND fv.major = $3 AND (fv.owner_firm_id IS NULL OR fv.owner_firm_id = $1) AND fv.status <> 'DRAFT'
        ORDER BY (fv.owner_firm_id IS NULL), (regexp_match(fv.version, '^(\\d+)\\.(\\d+)\\.(\\d+)'))::int[] DESC NULLS LAST, fv.published_at DESC NULLS LAST
        LIMIT 1`,
      [principal.firmId, args.frameworkKey, args.frameworkMajor],
    );
    if (rows.length === 0) throw new NotFoundError('Framework', `${args.frameworkKey}@${args.frameworkMajor}`);
  }
  checkScope(args.cohort.scope, rows[0].shares_benchmarks);
  return buildBenchmark(db, principal, await frameworkInfo(db, rows[0]), args.cohort, args.locale, null);
}

/**
 * Copies an organisation's `excludedFromBenchmarks` to its benchmark rows, so that cohort
 * queries can keep reading `benchmark_score` alone through its partial indexes. Call it in
 * the same transaction that changes the organisation.
 *
 * @returns the number of rows changed
 */
/**
 * Moves an organisation's stored benchmark rows to its current segment (industry, size band,
 * country), so cohorts always filter organisations by what they are now — a corrected
 * classification applies to its earlier results too. Returns the number of rows changed.
 */
export async function setBenchmarkSegment(
  manager: EntityManager,
  firmId: string,
  organisationId: string,
  segment: { industry: string; sizeBand: string; country: string },
): Promise<number> {
  const result: [unknown[], number] = await manager.query(
    `UPDATE benchmark_score SET industry = $3, size_band = $4, country = $5
     WHERE firm_id = $1 AND organisation_id = $2 AND (industry, size_band, country) IS DISTINCT FROM ($3::char(1), $4::varchar, $5::char(2))`,
    [firmId, organisationId, segment.industry, segment.sizeBand, segment.country],
  );
  return result[1];
}

export async function setBenchmarkExclusion(
  manager: EntityManager,
  firmId: string,
  organisationId: string,
  excluded: boolean,
): Promise<number> {
  const result: [unknown[], number] = await manager.query(
    'UPDATE benchmark_score SET excluded = $3 WHERE firm_id = $1 AND organisation_id = $2 AND excluded IS DISTINCT FROM $3',
    [firmId, organisationId, excluded],
  );
  return result[1];
}
