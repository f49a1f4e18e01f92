/**
 * Demo data for benchmarks: respondents' answers generated for a framework, and a batched
 * writer that stores closed assessments with exactly the rows `storeResult`
 * (result/result-store.ts) stores when an assessment closes through the API, but with
 * multi-row statements so that 100,000 organisations load in minutes.
 */
import type { EntityManager } from 'typeorm';
import { validateAnswer } from '../../scoring';
import type { Answer, AssessmentResult, FrameworkDef, QuestionDef, RespondentInput } from '../../scoring';
import { SCORING_METHOD, benchmarkFrameworkKey } from '../result/result-store';
import type { FrameworkVersion } from '../framework/framework-version.entity';
import { OVERALL } from './benchmark-score.entity';

/** mulberry32: a small seeded PRNG, so a seed always generates the same data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

function answerFor(q: QuestionDef, quality: number, rnd: () => number): Answer | undefined {
  const roll = rnd();
  if (!q.required && roll < 0.04) return undefined;
  if (q.allowNotApplicable && roll < 0.08) return { notApplicable: true };
  // Each respondent sees the organisation a little differently.
  const target = clamp01(quality + (rnd() - 0.5) * 0.5);
  switch (q.type) {
    case 'LIKERT': {
      const { min, max } = q.scale ?? { min: 1, max: 5 };
      return { value: min + Math.round(target * (max - min)) };
    }
    case 'BOOLEAN':
      return { value: rnd() < target };
    case 'SINGLE_CHOICE': {
      const options = q.options ?? [];
      let best = options[0];
      for (const o of options) if (Math.abs(o.score - target * 100) < Math.abs(best.score - target * 100)) best = o;
      return { value: best.code };
    }
    case 'MULTI_CHOICE': {
      const options = q.options ?? [];
      const chosen = options.filter((o) => !o.exclusive && rnd() < target).map((o) => o.code);
      if (chosen.length > 0) return { value: chosen };
      const exclusive = options.find((o) => o.exclusive);
      return { value: [exclusive?.code ?? options[0].code] };
    }
    case 'NUMERIC': {
      const numeric = q.numeric!;
      const bands = numeric.bands;
      let best = bands[0];
      for (const b of bands) if (Math.abs(b.score - target * 100) < Math.abs(best.score - target * 100)) best = b;
      const index = bands.indexOf(best);
      const low = index === 0 ? numeric.min : Math.max(numeric.min, bands[index - 1].upTo ?? numeric.min);
      const high = Math.min(numeric.max, best.upTo ?? numeric.max);
      return { value: Math.round(low + (high - low) * rnd()) };
    }
    case 'TEXT':
      return rnd() < 0.3 ? { value: 'Demo answer.' } : undefined;
  }
}

/**
 * Generates submitted responses to every question of a framework for one organisation whose
 * service is of `quality` (0..1): executives see it a little better than the others. The
 * answers are valid for their questions (checked here), so the engine ignores none of them.
 */
export function generateRespondents(
  framework: FrameworkDef,
  quality: number,
  count: number,
  rnd: () => number,
): RespondentInput[] {
  const roles = ['EXECUTIVE', 'MANAGER', 'FRONTLINE', 'FRONTLINE', 'MANAGER', 'FRONTLINE'];
  const respondents: RespondentInput[] = [];
  for (let r = 0; r < count; r++) {
    const role = roles[r % roles.length];
    const bias = role === 'EXECUTIVE' ? 0.1 : 0;
    const answers: Record<string, Answer> = {};
    for (const q of framework.questions) {
      let answer = answerFor(q, clamp01(quality + bias), rnd);
      // Rounding can land a NUMERIC value on a band edge; any valid value will do.
      if (answer && validateAnswer(q, answer).length > 0) answer = undefined;
      if (answer) answers[q.code] = answer;
    }
    respondents.push({ id: `r${r + 1}`, role, answers });
  }
  return respondents;
}

/** One organisation of a demo batch. */
export interface DemoOrganisation {
  firmId: string;
  id: string;
  name: string;
  industry: string;
  sizeBand: string;
  country: string;
  excludedFromBenchmarks: boolean;
}

/** One closed assessment of a demo batch, with the engine's result. */
export interface DemoClosedAssessment {
  firmId: string;
  id: string;
  organisationId: string;
  title: string;
  roleWeights: Record<string, number>;
  closedAt: Date;
  result: AssessmentResult;
  /** The result as JSON; results reused across organisations can share one string. */
  resultJson?: string;
  /** With `resultPool`: the row of the pool table that holds this result as jsonb. */
  resultPoolIndex?: number;
}

/** Options of {@link insertDemoBatch}. */
export interface DemoBatchOptions {
  computedAt?: Date;
  /**
   * A table `(idx int, result jsonb)` on the manager's connection (e.g. a temporary table)
   * holding results reused across assessments: they are then copied inside the database
   * instead of being sent and parsed again for every assessment.
   */
  resultPool?: string;
}

/** Rows per multi-row INSERT statement. */
export const DEMO_BATCH_ROWS = 1000;

async function insertRows(
  manager: EntityManager,
  table: string,
  columns: string[],
  casts: string[],
  rows: unknown[][],
): Promise<void> {
  // unnest of one array per column: one statement and a fixed number of parameters per batch.
  for (let start = 0; start < rows.length; start += DEMO_BATCH_ROWS) {
    const chunk = rows.slice(start, start + DEMO_BATCH_ROWS);
    const arrays = columns.map((_, c) => chunk.map((row) => row[c]));
    const select = columns.map((_, c) => `$${c + 1}::${casts[c]}[]`).join(', ');
    await manager.query(`INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${select})`, arrays);
  }
}

/**
 * Stores organisations and their closed assessments in batches, writing for each assessment
 * exactly what `storeResult` writes (the `assessment_result` row and one `benchmark_score`
 * row per dimension plus the overall score) and `is_latest` on the organisation's assessment
 * closed last per framework key and major (ties by assessment id, as refreshLatestFlags).
 * Every assessment of the batch is on `frameworkVersion`; an organisation's assessments must
 * all be in the same batch.
 */
export async function insertDemoBatch(
  manager: EntityManager,
  frameworkVersion: Pick<FrameworkVersion, 'id' | 'ownerFirmId' | 'key' | 'major'>,
  organisations: DemoOrganisation[],
  assessments: DemoClosedAssessment[],
  options: DemoBatchOptions = {},
): Promise<void> {
  const computedAt = options.computedAt ?? new Date();
  const frameworkKey = benchmarkFrameworkKey(frameworkVersion);
  const orgById = new Map(organisations.map((o) => [`${o.firmId}/${o.id}`, o]));
  const latest = new Map<string, DemoClosedAssessment>();
  for (const a of assessments) {
    const key = `${a.firmId}/${a.organisationId}`;
    const current = latest.get(key);
    if (
      !current ||
      a.closedAt > current.closedAt ||
      (a.closedAt.getTime() === current.closedAt.getTime() && a.id > current.id)
    )
      latest.set(key, a);
  }
  await insertRows(
    manager,
    'organisation',
    ['firm_id', 'id', 'name', 'industry', 'size_band', 'country', 'excluded_from_benchmarks', 'version'],
    ['uuid', 'uuid', 'varchar', 'text', 'text', 'text', 'boolean', 'int'],
    organisations.map((o) => [o.firmId, o.id, o.name, o.industry, o.sizeBand, o.country, o.excludedFromBenchmarks, 1]),
  );
  await insertRows(
    manager,
    'assessment',
    [
      'firm_id',
      'id',
      'organisation_id',
      'framework_version_id',
      'title',
      'status',
      'role_weights',
      'opened_at',
      'closed_at',
      'version',
    ],
    ['uuid', 'uuid', 'uuid', 'uuid', 'varchar', 'varchar', 'jsonb', 'timestamptz', 'timestamptz', 'int'],
    assessments.map((a) => [
      a.firmId,
      a.id,
      a.organisationId,
      frameworkVersion.id,
      a.title,
      'CLOSED',
      JSON.stringify(a.roleWeights),
      new Date(a.closedAt.getTime() - 14 * 86_400_000),
      a.closedAt,
      1,
    ]),
  );
  const resultColumns = [
    'firm_id',
    'assessment_id',
    'result',
    'overall_score',
    'overall_level',
    'respondent_count',
    'scoring_method',
    'computed_at',
  ];
  const resultValues = (a: DemoClosedAssessment) => [
    a.result.overall.score,
    a.result.overall.level,
    a.result.respondentCount,
    SCORING_METHOD,
    computedAt,
  ];
  if (options.resultPool) {
    for (let start = 0; start < assessments.length; start += DEMO_BATCH_ROWS) {
      const chunk = assessments.slice(start, start + DEMO_BATCH_ROWS);
      const columns = [
        chunk.map((a) => a.firmId),
        chunk.map((a) => a.id),
        chunk.map((a) => {
          if (a.resultPoolIndex === undefined) throw new Error(`assessment ${a.id} has no resultPoolIndex`);
          return a.resultPoolIndex;
        }),
        ...[0, 1, 2, 3, 4].map((c) => chunk.map((a) => resultValues(a)[c])),
      ];
      await manager.query(
        `INSERT INTO assessment_result (${resultColumns.join(', ')})
         SELECT u.firm_id, u.assessment_id, p.result, u.overall_score, u.overall_level, u.respondent_count, u.scoring_method, u.computed_at
           FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::float8[], $5::int[], $6::int[], $7::varchar[], $8::timestamptz[])
                  AS u(firm_id, assessment_id, idx, overall_score, overall_level, respondent_count, scoring_method, computed_at)
           JOIN ${options.resultPool} p ON p.idx = u.idx`,
        columns,
      );
    }
  } else {
    await insertRows(
      manager,
      'assessment_result',
      resultColumns,
      ['uuid', 'uuid', 'jsonb', 'float8', 'int', 'int', 'varchar', 'timestamptz'],
      assessments.map((a) => [a.firmId, a.id, a.resultJson ?? JSON.stringify(a.result), ...resultValues(a)]),
    );
  }
  const scoreRows: unknown[][] = [];
  for (const a of assessments) {
    const org = orgById.get(`${a.firmId}/${a.organisationId}`);
    if (!org) throw new Error(`assessment ${a.id}: its organisation is not in the batch`);
    const isLatest = latest.get(`${a.firmId}/${a.organisationId}`) === a;
    const values: Array<[string, number | null]> = [
      ...a.result.dimensions.map((d): [string, number | null] => [d.dimension, d.score]),
      [OVERALL, a.result.overall.score],
    ];
    for (const [code, score] of values) {
      scoreRows.push([
        a.firmId,
        a.id,
        code,
        a.organisationId,
        frameworkKey,
        frameworkVersion.major,
        score,
        org.industry,
        org.sizeBand,
        org.country,
        isLatest,
        org.excludedFromBenchmarks,
        a.closedAt,
      ]);
    }
  }
  await insertRows(
    manager,
    'benchmark_score',
    [
      'firm_id',
      'assessment_id',
      'dimension_code',
      'organisation_id',
      'framework_key',
      'framework_major',
      'score',
      'industry',
      'size_band',
      'country',
      'is_latest',
      'excluded',
      'closed_at',
    ],
    [
      'uuid',
      'uuid',
      'varchar',
      'uuid',
      'varchar',
      'int',
      'float8',
      'text',
      'text',
      'text',
      'boolean',
      'boolean',
      'timestamptz',
    ],
    scoreRows,
  );
}
