/**
 * Sample data of the demo firm, made on its first start: client organisations with CLOSED
 * assessments over time (history and trends) and enough peers in one cohort for benchmarks to
 * show figures. Nothing is hand-written: respondents' answers are generated for the framework
 * (benchmark-demo-data's generator), stored as respondents and answers, and each assessment is
 * closed with the steps of `computeAndStoreResult`, which the close operation runs: its stored
 * responses read back and scored by the engine, and the result stored by `storeResult`.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Assessment } from '../assessment/assessment.entity';
import { buildScoringInput, storeResult } from '../result/result-store';
import { scoreAssessment } from '../../scoring';
import { generateRespondents, prng } from '../benchmark/benchmark-demo-data';
import { frameworkDefOf } from '../framework/framework-def-cache';
import { FrameworkVersion } from '../framework/framework-version.entity';

/** The built-in framework the samples are assessed on. */
export const SAMPLE_FRAMEWORK_KEY = 'service-strategy';

interface SampleOrganisation {
  name: string;
  industry: string;
  sizeBand: string;
  country: string;
  /** Service quality (0..1) of each closed assessment, oldest first. */
  rounds: number[];
  respondents: number;
}

// Three featured clients assessed every six months, and peers assessed once.
const FEATURED: SampleOrganisation[] = [
  {
    name: 'Northwind Retail',
    industry: 'G',
    sizeBand: '250-999',
    country: 'GB',
    rounds: [0.38, 0.52, 0.66],
    respondents: 9,
  },
  {
    name: 'Волга Логистик',
    industry: 'H',
    sizeBand: '1000+',
    country: 'RU',
    rounds: [0.28, 0.36, 0.47],
    respondents: 8,
  },
  {
    name: 'Alpine Health Clinics',
    industry: 'Q',
    sizeBand: '50-249',
    country: 'DE',
    rounds: [0.5, 0.62],
    respondents: 7,
  },
];
const PEERS: SampleOrganisation[] = [
  { name: 'Harbour Bank', industry: 'K', sizeBand: '1000+', country: 'GB', rounds: [0.58], respondents: 6 },
  { name: 'Сибирь Телеком', industry: 'J', sizeBand: '1000+', country: 'RU', rounds: [0.41], respondents: 6 },
  { name: 'Café Lumière', industry: 'I', sizeBand: '10-49', country: 'FR', rounds: [0.66], respondents: 5 },
  { name: 'Baltic Freight', industry: 'H', sizeBand: '250-999', country: 'PL', rounds: [0.37], respondents: 6 },
  { name: 'Greenfield Insurance', industry: 'K', sizeBand: '250-999', country: 'NL', rounds: [0.49], respondents: 6 },
  { name: 'Urals Manufacturing', industry: 'C', sizeBand: '1000+', country: 'KZ', rounds: [0.31], respondents: 6 },
  { name: 'Meridian Hotels', industry: 'I', sizeBand: '250-999', country: 'ES', rounds: [0.71], respondents: 5 },
  { name: 'Nordic Home Care', industry: 'Q', sizeBand: '50-249', country: 'SE', rounds: [0.53], respondents: 5 },
];

const DAY = 86_400_000;
const ROUND_MONTHS = 6;

/** What the samples made: the featured organisation whose latest assessment the README opens. */
export interface SampleData {
  organisations: number;
  assessments: number;
  /** The latest closed assessment of the first featured organisation. */
  featuredAssessmentId: string;
}

/**
 * Creates the sample organisations and their closed assessments for `firmId` on the latest
 * published built-in service-strategy framework, in the caller's transaction (only through
 * `manager`). Null when that framework is not loaded (SEED_ON_START=false): nothing is made.
 */
export async function createSampleData(
  manager: EntityManager,
  firmId: string,
  now = new Date(),
  seed = 15,
): Promise<SampleData | null> {
  const versions: Array<{ id: string }> = await manager.query(
    `SELECT id FROM framework_version
      WHERE owner_firm_id IS NULL AND key = $1 AND status = 'PUBLISHED'
      ORDER BY major DESC, published_at DESC NULLS LAST LIMIT 1`,
    [SAMPLE_FRAMEWORK_KEY],
  );
  if (!versions[0]) return null;
  const frameworkVersion = await manager.findOneByOrFail(FrameworkVersion, { id: versions[0].id });
  const def = frameworkDefOf(frameworkVersion);
  const rnd = prng(seed);
  let assessments = 0;
  let featuredAssessmentId = '';
  const all = [...FEATURED, ...PEERS];
  for (const [index, org] of all.entries()) {
    const organisationId = randomUUID();
    await manager.query(
      `INSERT INTO organisation (firm_id, id, name, industry, size_band, country, excluded_from_benchmarks, version)
       VALUES ($1, $2, $3, $4, $5, $6, false, 1)`,
      [firmId, organisationId, org.name, org.industry, org.sizeBand, org.country],
    );
    for (const [round, quality] of org.rounds.entries()) {
      // The last round closed a few weeks ago, earlier ones every six months before it.
      const monthsBack = (org.rounds.length - 1 - round) * ROUND_MONTHS;
      const closedAt = new Date(now.getTime() - (20 + index * 3) * DAY - monthsBack * 30 * DAY);
      const openedAt = new Date(closedAt.getTime() - 21 * DAY);
      const id = randomUUID();
      const title =
        org.rounds.length > 1
          ? `Service maturity ${closedAt.getUTCFullYear()} H${closedAt.getUTCMonth() < 6 ? 1 : 2}`
          : 'Service maturity';
      await manager.query(
        `INSERT INTO assessment (firm_id, id, organisation_id, framework_version_id, title, status, role_weights, opened_at, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, 'OPEN', $6::jsonb, $7, $8, $7, 1)`,
        [
          firmId,
          id,
          organisationId,
          frameworkVersion.id,
          title,
          JSON.stringify({ EXECUTIVE: 2 }),
          openedAt,
          new Date(openedAt.getTime() - 2 * DAY),
        ],
      );
      const respondents = generateRespondents(def, quality, org.respondents, rnd);
      const ids = respondents.map(() => randomUUID());
      await manager.query(
        `INSERT INTO respondent (firm_id, id, assessment_id, name, email, role, status, submitted_at, created_at)
         SELECT $1, r.id, $2, r.name, r.email, r.role, 'SUBMITTED', $6, $7
           FROM unnest($3::uuid[], $4::varchar[], $5::varchar[], $8::varchar[]) AS r(id, role, name, email)`,
        [
          firmId,
          id,
          ids,
          respondents.map((r) => r.role),
          respondents.map((_, i) => `Respondent ${i + 1}`),
          new Date(closedAt.getTime() - DAY),
          openedAt,
          respondents.map((_, i) => `respondent${i + 1}@example.com`),
        ],
      );
      const rows: Array<[string, string, string | null, boolean]> = [];
      respondents.forEach((r, i) => {
        for (const [code, answer] of Object.entries(r.answers)) {
          rows.push([
            ids[i],
            code,
            'notApplicable' in answer && answer.notApplicable ? null : JSON.stringify(answer.value),
            Boolean('notApplicable' in answer && answer.notApplicable),
          ]);
        }
      });
      await manager.query(
        `INSERT INTO answer (firm_id, respondent_id, question_code, assessment_id, value, not_applicable, updated_at)
         SELECT $1, a.rid, a.code, $2, a.value::jsonb, a.na, $7
           FROM unnest($3::uuid[], $4::varchar[], $5::text[], $6::boolean[]) AS a(rid, code, value, na)`,
        [
          firmId,
          id,
          rows.map((r) => r[0]),
          rows.map((r) => r[1]),
          rows.map((r) => r[2]),
          rows.map((r) => r[3]),
          new Date(closedAt.getTime() - DAY),
        ],
      );
      // Closed as the close operation closes: status and time, then the stored result.
      await manager.query(
        `UPDATE assessment SET status = 'CLOSED', closed_at = $3, updated_at = $3, version = version + 1 WHERE firm_id = $1 AND id = $2`,
        [firmId, id, closedAt],
      );
      // computeAndStoreResult's steps, with the framework version and the organisation's
      // segment it would read again for every assessment given.
      const assessment = await manager.findOneByOrFail(Assessment, { firmId, id });
      const source = await buildScoringInput(manager, assessment, frameworkVersion);
      await storeResult(
        manager,
        assessment,
        { ...org, excludedFromBenchmarks: false },
        frameworkVersion,
        scoreAssessment(source.input),
        closedAt,
      );
      assessments++;
      if (index === 0) featuredAssessmentId = id;
    }
  }
  return { organisations: all.length, assessments, featuredAssessmentId };
}
