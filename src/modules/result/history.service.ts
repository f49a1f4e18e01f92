/**
 * An organisation's assessments over time, read from the stored results (never
 * recomputed), with each dimension's change since the previous closed assessment.
 */
import { NotFoundError } from '../../graphql/errors';
import type { RequestContext } from '../../graphql/context';
import { roundHalfAwayFromZero, type DimensionResult } from '../../scoring';
import type { Principal } from '../firm/api-key.service';
import { isUuid } from '../firm/tenant-ids';
import { localize } from '../framework/framework-convert';
import type { Locale } from '../reference/reference.types';
import type { AssessmentStatus } from '../assessment/assessment.entity';
import type { AssessmentHistoryEntryType, HistoryDimensionType } from './history.types';
import { benchmarkFrameworkKey } from './result-store';
import { frameworkTextsLoader, type FrameworkTexts } from './result.loaders';
import type { ResultLevelType } from './result.types';

interface HistorySqlRow {
  id: string;
  title: string;
  status: AssessmentStatus;
  created_at: Date;
  closed_at: Date | null;
  framework_version_id: string;
  checksum: string;
  key: string;
  version: string;
  owner_firm_id: string | null;
  overall_score: number | null;
  overall_level: number | null;
  level_code: string | null;
  dimensions: DimensionResult[] | null;
}

/** The difference of two scores; null unless both exist. */
function change(current: number | null, previous: number | null | undefined): number | null {
  return current === null || previous === null || previous === undefined ? null : current - previous;
}

/**
 * The organisation's assessments, oldest first (by createdAt, then id), optionally only
 * those on one framework key. CLOSED ones carry their stored overall and per-dimension
 * scores, and the change since the organisation's previous CLOSED assessment (by
 * closedAt) on the same framework.
 *
 * @throws NotFoundError when the organisation is not one of the firm's (malformed ids included)
 */
export async function getOrganisationHistory(
  ctx: RequestContext,
  principal: Principal,
  organisationId: string,
  frameworkKey: string | null,
  locale: Locale,
): Promise<AssessmentHistoryEntryType[]> {
  if (!isUuid(organisationId)) throw new NotFoundError('Organisation', organisationId);
  const [organisation, rows] = await Promise.all([
    ctx.dataSource.query<unknown[]>('SELECT 1 FROM organisation WHERE firm_id = $1 AND id = $2', [
      principal.firmId,
      organisationId,
    ]),
    ctx.dataSource.query<HistorySqlRow[]>(
      `SELECT a.id, a.title, a.status, a.created_at, a.closed_at, a.framework_version_id,
              fv.checksum, fv.key, fv.version, fv.owner_firm_id,
              r.overall_score, r.overall_level, r.result -> 'overall' ->> 'levelCode' AS level_code,
              r.result -> 'dimensions' AS dimensions
         FROM assessment a
         JOIN framework_version fv ON fv.id = a.framework_version_id
         LEFT JOIN assessment_result r ON r.firm_id = a.firm_id AND r.assessment_id = a.id AND a.status = 'CLOSED'
        WHERE a.firm_id = $1 AND a.organisation_id = $2 AND ($3::varchar IS NULL OR fv.key = $3)
        ORDER BY a.created_at, a.id`,
      [principal.firmId, organisationId, frameworkKey ?? null],
    ),
  ]);
  if (organisation.length === 0) throw new NotFoundError('Organisation', organisationId);

  const textsList = await frameworkTextsLoader(ctx).loadMany(
    rows.map((r) => ({ id: r.framework_version_id, checksum: r.checksum })),
  );
  const textsOf = new Map<string, FrameworkTexts>();
  for (const texts of textsList) {
    if (texts instanceof Error) throw texts;
    textsOf.set(texts.id, texts);
  }

  // The previous closed assessment of each closed one, per framework identity, by closedAt.
  const previousOf = new Map<string, HistorySqlRow>();
  const closed = rows
    .filter((r) => r.status === 'CLOSED' && r.closed_at !== null && r.dimensions !== null)
    .sort((a, b) => a.closed_at!.getTime() - b.closed_at!.getTime() || (a.id < b.id ? -1 : 1));
  const lastByFramework = new Map<string, HistorySqlRow>();
  for (const row of closed) {
    const identity = benchmarkFrameworkKey({ ownerFirmId: row.owner_firm_id, key: row.key });
    const previous = lastByFramework.get(identity);
    if (previous) previousOf.set(row.id, previous);
    lastByFramework.set(identity, row);
  }

  return rows.map((row): AssessmentHistoryEntryType => {
    const texts = textsOf.get(row.framework_version_id);
    const level = (number: number | null, code: string | null): ResultLevelType | null =>
      number === null
        ? null
        : {
            number,
            code: code ?? texts?.levels.get(number)?.code ?? String(number),
            title: localize(texts?.levels.get(number)?.title, locale),
          };
    const previous = previousOf.get(row.id) ?? null;
    const previousScores = new Map((previous?.dimensions ?? []).map((d) => [d.dimension, d.score]));
    const dimensions = (row.dimensions ?? []).map((d): HistoryDimensionType => {
      const delta = change(d.score, previousScores.get(d.dimension));
      return {
        code: d.dimension,
        title: localize(texts?.dimensions.get(d.dimension)?.title, locale),
        group: d.group,
        score: d.score,
        scoreRounded: roundHalfAwayFromZero(d.score),
        level: level(d.level, d.levelCode),
        change: delta,
        changeRounded: roundHalfAwayFromZero(delta),
      };
    });
    const overallChange = previous ? change(row.overall_score, previous.overall_score) : null;
    return {
      assessmentId: row.id,
      title: row.title,
      status: row.status,
      frameworkKey: row.key,
      frameworkVersion: row.version,
      createdAt: row.created_at,
      closedAt: row.closed_at,
      previousAssessmentId: previous?.id ?? null,
      overallScore: row.overall_score,
      overallScoreRounded: roundHalfAwayFromZero(row.overall_score),
      overallLevel: level(row.overall_level, row.level_code),
      overallChange,
      overallChangeRounded: roundHalfAwayFromZero(overallChange),
      dimensions,
    };
  });
}
