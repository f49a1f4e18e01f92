/**
 * Per-request DataLoaders of the results module, so that lists of assessments or
 * organisations read their results in one query, whatever the number of items.
 */
import DataLoader from 'dataloader';
import type { RequestContext } from '../../graphql/context';
import { roundHalfAwayFromZero, type AssessmentResult, type FrameworkDef, type RespondentInput } from '../../scoring';
import type {
  DimensionDocument,
  FrameworkDocument,
  LevelDocument,
  QuestionDocument,
  RecommendationDocument,
} from '../framework/framework-document';
import { frameworkDefOf } from '../framework/framework-def-cache';
import { loadSubmittedResponsesOf } from './result-store';
import type { AssessmentStatus } from '../assessment/assessment.entity';
import type { LatestResultType } from './result.types';

/** An assessment with what its result is read or computed from. */
export interface ResultSourceRow {
  firmId: string;
  id: string;
  organisationId: string;
  frameworkVersionId: string;
  frameworkChecksum: string;
  status: AssessmentStatus;
  roleWeights: Record<string, number>;
  closedAt: Date | null;
  /** When the stored result was computed, and by which method (CLOSED assessments only). */
  stored: { computedAt: Date; scoringMethod: string } | null;
}

interface ResultSourceSqlRow {
  firm_id: string;
  id: string;
  organisation_id: string;
  framework_version_id: string;
  checksum: string;
  status: AssessmentStatus;
  role_weights: Record<string, number> | null;
  closed_at: Date | null;
  computed_at: Date | null;
  scoring_method: string | null;
}

/**
 * Assessments of the firm by id, with when their stored result was computed (the result
 * itself is read by {@link storedResultLoader}, only when not cached); null for an id that
 * is not one of the firm's assessments.
 */
export function resultSourceLoader(ctx: RequestContext, firmId: string): DataLoader<string, ResultSourceRow | null> {
  return ctx.loaders.get(
    `result.source:${firmId}`,
    () =>
      new DataLoader<string, ResultSourceRow | null>(async (ids) => {
        const rows: ResultSourceSqlRow[] = await ctx.dataSource.query(
          `SELECT a.firm_id, a.id, a.organisation_id, a.framework_version_id, fv.checksum, a.status, a.role_weights, a.closed_at,
                r.computed_at, r.scoring_method
           FROM assessment a
           JOIN framework_version fv ON fv.id = a.framework_version_id
           LEFT JOIN assessment_result r ON r.firm_id = a.firm_id AND r.assessment_id = a.id AND a.status = 'CLOSED'
          WHERE a.firm_id = $1 AND a.id = ANY($2::uuid[])`,
          [firmId, [...ids]],
        );
        const byId = new Map<string, ResultSourceRow>();
        for (const row of rows) {
          byId.set(row.id, {
            firmId: row.firm_id,
            id: row.id,
            organisationId: row.organisation_id,
            frameworkVersionId: row.framework_version_id,
            frameworkChecksum: row.checksum,
            status: row.status,
            roleWeights: row.role_weights ?? {},
            closedAt: row.closed_at,
            stored: row.computed_at ? { computedAt: row.computed_at, scoringMethod: row.scoring_method ?? '' } : null,
          });
        }
        return ids.map((id) => byId.get(id) ?? null);
      }),
  );
}

/** The stored engine results of the firm's closed assessments, by assessment id (null when none). */
export function storedResultLoader(ctx: RequestContext, firmId: string): DataLoader<string, AssessmentResult | null> {
  return ctx.loaders.get(
    `result.stored:${firmId}`,
    () =>
      new DataLoader<string, AssessmentResult | null>(async (ids) => {
        const rows: Array<{ assessment_id: string; result: AssessmentResult }> = await ctx.dataSource.query(
          'SELECT assessment_id, result FROM assessment_result WHERE firm_id = $1 AND assessment_id = ANY($2::uuid[])',
          [firmId, [...ids]],
        );
        const byId = new Map(rows.map((r) => [r.assessment_id, r.result]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  );
}

/** A framework version's engine view and its texts indexed by code, for localizing results. */
export interface FrameworkTexts {
  id: string;
  checksum: string;
  def: FrameworkDef;
  dimensions: Map<string, DimensionDocument>;
  questions: Map<string, QuestionDocument>;
  levels: Map<number, LevelDocument>;
  recommendations: Map<string, RecommendationDocument>;
}

/** Identifies one framework version's content. */
export interface FrameworkRef {
  id: string;
  checksum: string;
}

// Published framework versions never change; their texts are indexed once per process.
// The checksum is part of the key, so a changed document can never be served stale.
const TEXTS_CACHE_LIMIT = 100;
const textsCache = new Map<string, FrameworkTexts>();

function indexTexts(id: string, checksum: string, document: FrameworkDocument): FrameworkTexts {
  return {
    id,
    checksum,
    def: frameworkDefOf({ id, checksum, document }),
    dimensions: new Map(document.dimensions.map((d) => [d.code, d])),
    questions: new Map(document.questions.map((q) => [q.code, q])),
    levels: new Map(document.levels.map((l) => [l.level, l])),
    recommendations: new Map(document.recommendations.map((r) => [r.code, r])),
  };
}

/** Framework texts by version, read from the database only when not yet cached in the process. */
export function frameworkTextsLoader(ctx: RequestContext): DataLoader<FrameworkRef, FrameworkTexts> {
  return ctx.loaders.get(
    'result.frameworkTexts',
    () =>
      new DataLoader<FrameworkRef, FrameworkTexts, string>(
        async (refs) => {
          const missing = refs.filter((ref) => !textsCache.has(`${ref.id}:${ref.checksum}`)).map((ref) => ref.id);
          if (missing.length > 0) {
            const rows: Array<{ id: string; checksum: string; document: FrameworkDocument }> =
              await ctx.dataSource.query(
                'SELECT id, checksum, document FROM framework_version WHERE id = ANY($1::uuid[])',
                [missing],
              );
            for (const row of rows) {
              if (textsCache.size >= TEXTS_CACHE_LIMIT) textsCache.delete(textsCache.keys().next().value as string);
              textsCache.set(`${row.id}:${row.checksum}`, indexTexts(row.id, row.checksum, row.document));
            }
          }
          return refs.map((ref) => {
            const texts = textsCache.get(`${ref.id}:${ref.checksum}`);
            return texts ?? new Error(`framework version ${ref.id} changed or vanished while being read`);
          });
        },
        { cacheKeyFn: (ref) => `${ref.id}:${ref.checksum}` },
      ),
  );
}

/**
 * The overall result of each organisation's most recently closed assessment (any
 * framework), by organisation id; null when it has none.
 */
export function latestResultLoader(ctx: RequestContext, firmId: string): DataLoader<string, LatestResultType | null> {
  return ctx.loaders.get(
    `result.latestByOrganisation:${firmId}`,
    () =>
      new DataLoader<string, LatestResultType | null>(async (organisationIds) => {
        const rows: Array<{
          organisation_id: string;
          assessment_id: string;
          overall_score: number | null;
          overall_level: number | null;
          level_code: string | null;
          closed_at: Date;
        }> = await ctx.dataSource.query(
          `SELECT DISTINCT ON (a.organisation_id)
                a.organisation_id, a.id AS assessment_id, r.overall_score, r.overall_level,
                r.result -> 'overall' ->> 'levelCode' AS level_code, a.closed_at
           FROM assessment a
           JOIN assessment_result r ON r.firm_id = a.firm_id AND r.assessment_id = a.id
          WHERE a.firm_id = $1 AND a.organisation_id = ANY($2::uuid[]) AND a.status = 'CLOSED'
          ORDER BY a.organisation_id, a.closed_at DESC, a.id DESC`,
          [firmId, [...organisationIds]],
        );
        const byOrganisation = new Map<string, LatestResultType>();
        for (const row of rows) {
          byOrganisation.set(row.organisation_id, {
            assessmentId: row.assessment_id,
            overallScore: row.overall_score,
            overallScoreRounded: roundHalfAwayFromZero(row.overall_score),
            overallLevel: row.overall_level,
            levelCode: row.level_code,
            closedAt: row.closed_at,
          });
        }
        return organisationIds.map((id) => byOrganisation.get(id) ?? null);
      }),
  );
}

/** The SUBMITTED respondents with their answers of the firm's assessments, by assessment id. */
export function submittedResponsesLoader(ctx: RequestContext, firmId: string): DataLoader<string, RespondentInput[]> {
  return ctx.loaders.get(
    `result.submittedResponses:${firmId}`,
    () =>
      new DataLoader<string, RespondentInput[]>(async (assessmentIds) => {
        const byAssessment = await loadSubmittedResponsesOf(ctx.dataSource.manager, firmId, assessmentIds);
        return assessmentIds.map((id) => byAssessment.get(id) ?? []);
      }),
  );
}
