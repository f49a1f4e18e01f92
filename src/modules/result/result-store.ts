/**
 * Computing an assessment's result from its submitted responses, and storing it: the
 * `assessment_result` row and the denormalised `benchmark_score` rows the benchmarks read.
 *
 * Everything here runs on the caller's EntityManager (usually inside the transaction that
 * closes the assessment): on the embedded database another connection would deadlock.
 */
import type { EntityManager } from 'typeorm';
import {
  scoreAssessment,
  type Answer,
  type AssessmentResult,
  type RespondentInput,
  type ScoringInput,
} from '../../scoring';
import { OVERALL } from '../benchmark/benchmark-score.entity';
import { frameworkDefOf } from '../framework/framework-def-cache';
import { FrameworkVersion } from '../framework/framework-version.entity';
import type { Organisation } from '../organisation/organisation.entity';
import type { Assessment } from '../assessment/assessment.entity';

/** The docs/scoring.md method version stored with every result. */
export const SCORING_METHOD = '1';

/** What a result is computed from: the engine input and the framework version behind it. */
export interface ScoringSource {
  input: ScoringInput;
  frameworkVersion: FrameworkVersion;
}

/**
 * The framework key benchmark rows are stored under: the plain key for a built-in
 * framework (shared across firms), `<owner_firm_id>:<key>` for a firm's own.
 */
export function benchmarkFrameworkKey(frameworkVersion: Pick<FrameworkVersion, 'ownerFirmId' | 'key'>): string {
  return frameworkVersion.ownerFirmId
    ? `${frameworkVersion.ownerFirmId}:${frameworkVersion.key}`
    : frameworkVersion.key;
}

/** Loads the framework version an assessment was created on. */
export async function loadFrameworkVersion(
  manager: EntityManager,
  assessment: Pick<Assessment, 'frameworkVersionId'>,
): Promise<FrameworkVersion> {
  const frameworkVersion = await manager.findOne(FrameworkVersion, { where: { id: assessment.frameworkVersionId } });
  if (!frameworkVersion)
    throw new Error(`framework version ${assessment.frameworkVersionId} of an assessment is missing`);
  return frameworkVersion;
}

interface ResponseRow {
  assessment_id: string;
  respondent_id: string;
  role: string;
  question_code: string | null;
  value: Answer['value'];
  not_applicable: boolean | null;
}

/**
 * The SUBMITTED respondents of an assessment with all their answers, in one query
 * (respondents without any answer included), ordered by respondent id.
 */
export async function loadSubmittedResponses(
  manager: EntityManager,
  firmId: string,
  assessmentId: string,
): Promise<RespondentInput[]> {
  return (await loadSubmittedResponsesOf(manager, firmId, [assessmentId])).get(assessmentId) ?? [];
}

/**
 * The SUBMITTED respondents with their answers of several assessments of one firm, in one
 * query, by assessment id (assessments without any left out of the map).
 */
export async function loadSubmittedResponsesOf(
  manager: EntityManager,
  firmId: string,
  assessmentIds: readonly string[],
): Promise<Map<string, RespondentInput[]>> {
  const rows: ResponseRow[] = await manager.query(
    `SELECT r.assessment_id, r.id AS respondent_id, r.role, a.question_code, a.value, a.not_applicable
       FROM respondent r
       LEFT JOIN answer a ON a.firm_id = r.firm_id AND a.respondent_id = r.id
      WHERE r.firm_id = $1 AND r.assessment_id = ANY($2::uuid[]) AND r.status = 'SUBMITTED'
      ORDER BY r.assessment_id, r.id`,
    [firmId, [...assessmentIds]],
  );
  const byAssessment = new Map<string, RespondentInput[]>();
  let current: RespondentInput | null = null;
  for (const row of rows) {
    if (!current || current.id !== row.respondent_id) {
      current = { id: row.respondent_id, role: row.role, answers: {} };
      let list = byAssessment.get(row.assessment_id);
      if (!list) byAssessment.set(row.assessment_id, (list = []));
      list.push(current);
    }
    if (row.question_code !== null) {
      current.answers[row.question_code] = row.not_applicable ? { notApplicable: true } : { value: row.value };
    }
  }
  return byAssessment;
}

/**
 * Builds the scoring engine's input for an assessment: its framework version (loaded unless
 * given), its SUBMITTED respondents with their answers, and its role weights.
 */
export async function buildScoringInput(
  manager: EntityManager,
  assessment: Assessment,
  frameworkVersion?: FrameworkVersion,
): Promise<ScoringSource> {
  // Sequential: a transaction's manager has one connection, which runs one query at a time.
  const version = frameworkVersion ?? (await loadFrameworkVersion(manager, assessment));
  const respondents = await loadSubmittedResponses(manager, assessment.firmId, assessment.id);
  return {
    frameworkVersion: version,
    input: { framework: frameworkDefOf(version), respondents, roleWeights: assessment.roleWeights ?? {} },
  };
}

/**
 * Sets `is_latest` on an organisation's benchmark rows of one framework key and major
 * version: true for the assessment closed last (ties by assessment id), false for the rest.
 */
export async function refreshLatestFlags(
  manager: EntityManager,
  firmId: string,
  organisationId: string,
  frameworkKey: string,
  major: number,
): Promise<void> {
  await manager.query(
    `UPDATE benchmark_score b
        SET is_latest = (b.assessment_id = latest.assessment_id)
       FROM (SELECT assessment_id FROM benchmark_score
              WHERE firm_id = $1 AND organisation_id = $2 AND framework_key = $3 AND framework_major = $4
              ORDER BY closed_at DESC, assessment_id DESC
              LIMIT 1) latest
      WHERE b.firm_id = $1 AND b.organisation_id = $2 AND b.framework_key = $3 AND b.framework_major = $4
        AND b.is_latest IS DISTINCT FROM (b.assessment_id = latest.assessment_id)`,
    [firmId, organisationId, frameworkKey, major],
  );
}

/**
 * Stores a computed result of a closed assessment: the `assessment_result` row (replacing
 * any earlier one) and one `benchmark_score` row per dimension plus one for the overall
 * score, then refreshes the organisation's `is_latest` flags. Usable on its own (e.g. by a
 * demo-data generator) so that such data is identical to what closing through the API stores.
 */
export async function storeResult(
  manager: EntityManager,
  assessment: Pick<Assessment, 'firmId' | 'id' | 'organisationId'>,
  organisation: Pick<Organisation, 'industry' | 'sizeBand' | 'country' | 'excludedFromBenchmarks'>,
  frameworkVersion: Pick<FrameworkVersion, 'ownerFirmId' | 'key' | 'major'>,
  result: AssessmentResult,
  closedAt: Date,
  computedAt: Date = new Date(),
): Promise<void> {
  const frameworkKey = benchmarkFrameworkKey(frameworkVersion);
  await manager.query(
    `INSERT INTO assessment_result (firm_id, assessment_id, result, overall_score, overall_level, respondent_count, scoring_method, computed_at)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8)
     ON CONFLICT (firm_id, assessment_id) DO UPDATE SET
       result = EXCLUDED.result, overall_score = EXCLUDED.overall_score, overall_level = EXCLUDED.overall_level,
       respondent_count = EXCLUDED.respondent_count, scoring_method = EXCLUDED.scoring_method, computed_at = EXCLUDED.computed_at`,
    [
      assessment.firmId,
      assessment.id,
      JSON.stringify(result),
      result.overall.score,
      result.overall.level,
      result.respondentCount,
      SCORING_METHOD,
      computedAt,
    ],
  );
  await manager.query('DELETE FROM benchmark_score WHERE firm_id = $1 AND assessment_id = $2', [
    assessment.firmId,
    assessment.id,
  ]);
  const codes = [...result.dimensions.map((d) => d.dimension), OVERALL];
  const scores = [...result.dimensions.map((d) => d.score), result.overall.score];
  await manager.query(
    `INSERT INTO benchmark_score
       (firm_id, assessment_id, dimension_code, organisation_id, framework_key, framework_major, score,
        industry, size_band, country, is_latest, excluded, closed_at)
     SELECT $1, $2, d.code, $3, $4, $5, d.score, $6, $7, $8, true, $9, $10
       FROM unnest($11::varchar[], $12::double precision[]) AS d(code, score)`,
    [
      assessment.firmId,
      assessment.id,
      assessment.organisationId,
      frameworkKey,
      frameworkVersion.major,
      organisation.industry,
      organisation.sizeBand,
      organisation.country,
      organisation.excludedFromBenchmarks,
      closedAt,
      codes,
      scores,
    ],
  );
  await refreshLatestFlags(manager, assessment.firmId, assessment.organisationId, frameworkKey, frameworkVersion.major);
}

/**
 * Reads the organisation's segment and exclusion flag, locking its row until the transaction
 * ends: two of its assessments closing at once then maintain `is_latest` one after the other
 * (each would otherwise not see the other's uncommitted rows and both keep `is_latest`), and
 * a concurrent change of its segment or exclusion is either fully before or fully after.
 */
export async function lockOrganisation(
  manager: EntityManager,
  firmId: string,
  organisationId: string,
): Promise<Pick<Organisation, 'industry' | 'sizeBand' | 'country' | 'excludedFromBenchmarks'>> {
  // NO KEY UPDATE conflicts with itself and with updates of the row, not with the key-share
  // locks that inserting rows which reference the organisation take.
  // An archived organisation's results stay out of cohorts as an excluded one's do.
  const rows: Array<{ industry: string; size_band: string; country: string; excluded_from_benchmarks: boolean }> =
    await manager.query(
      'SELECT industry, size_band, country, excluded_from_benchmarks OR archived_at IS NOT NULL AS excluded_from_benchmarks FROM organisation WHERE firm_id = $1 AND id = $2 FOR NO KEY UPDATE',
      [firmId, organisationId],
    );
  if (!rows[0]) throw new Error(`organisation ${organisationId} of an assessment is missing`);
  return {
    industry: rows[0].industry,
    sizeBand: rows[0].size_band,
    country: rows[0].country,
    excludedFromBenchmarks: rows[0].excluded_from_benchmarks,
  };
}

/**
 * Scores a closing assessment from its SUBMITTED responses and stores the result in the
 * caller's transaction (only through `manager`). `assessment.closedAt` is the closing time
 * recorded with the benchmark rows (now when not yet set).
 */
export async function computeAndStoreResult(manager: EntityManager, assessment: Assessment): Promise<AssessmentResult> {
  const organisation = await lockOrganisation(manager, assessment.firmId, assessment.organisationId);
  const source = await buildScoringInput(manager, assessment);
  const result = scoreAssessment(source.input);
  await storeResult(
    manager,
    assessment,
    organisation,
    source.frameworkVersion,
    result,
    assessment.closedAt ?? new Date(),
  );
  return result;
}
