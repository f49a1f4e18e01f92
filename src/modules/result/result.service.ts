/**
 * Reading assessment results: the stored result of a CLOSED assessment (never
 * recomputed), or a live, provisional one of an OPEN assessment, with the framework's
 * texts in the requested locale.
 */
import { NotFoundError } from '../../graphql/errors';
import { NoResultError } from './result.errors';
import type { RequestContext } from '../../graphql/context';
import { roundHalfAwayFromZero, scoreAssessment, type AssessmentResult, type DimensionResult } from '../../scoring';
import type { Principal } from '../firm/api-key.service';
import { isUuid } from '../firm/tenant-ids';
import { localize } from '../framework/framework-convert';
import type { Locale } from '../reference/reference.types';
import { LruCache } from '../framework/framework-def-cache';
import {
  frameworkTextsLoader,
  latestResultLoader,
  resultSourceLoader,
  storedResultLoader,
  submittedResponsesLoader,
  type FrameworkTexts,
  type ResultSourceRow,
} from './result.loaders';
import { SCORING_METHOD } from './result-store';
import {
  RecommendationTierName,
  ScoreConfidence,
  type AssessmentResultType,
  type LatestResultType,
  type ResultDimensionType,
  type ResultLevelType,
  type ResultQuestionRefType,
} from './result.types';

/**
 * The result of one of the firm's assessments in `locale`: the stored one when CLOSED, a
 * live provisional one when OPEN.
 *
 * @throws NotFoundError for an id that is not one of the firm's assessments (malformed ids included)
 * @throws NoResultError (CONFLICT) for a DRAFT or CANCELLED assessment, which has no result
 */
export async function getAssessmentResult(
  ctx: RequestContext,
  principal: Principal,
  assessmentId: string,
  locale: Locale,
): Promise<AssessmentResultType> {
  if (!isUuid(assessmentId)) throw new NotFoundError('Assessment', assessmentId);
  const source = await resultSourceLoader(ctx, principal.firmId).load(assessmentId.toLowerCase());
  if (!source) throw new NotFoundError('Assessment', assessmentId);
  const view = await resultOfSource(ctx, source, locale);
  if (!view) throw new NoResultError(assessmentId, source.status === 'DRAFT' ? 'DRAFT' : 'CANCELLED');
  return view;
}

/**
 * The result of an assessment known to belong to the principal's firm (for the
 * `Assessment.result` field); null for DRAFT and CANCELLED assessments.
 */
export async function getResultOfAssessment(
  ctx: RequestContext,
  principal: Principal,
  assessmentId: string,
  locale: Locale,
): Promise<AssessmentResultType | null> {
  const source = await resultSourceLoader(ctx, principal.firmId).load(assessmentId);
  return source ? resultOfSource(ctx, source, locale) : null;
}

/** The overall result of an organisation's latest closed assessment, batched per request. */
export async function getLatestResult(
  ctx: RequestContext,
  principal: Principal,
  organisationId: string,
): Promise<LatestResultType | null> {
  return latestResultLoader(ctx, principal.firmId).load(organisationId);
}

// A closed assessment's stored result never changes, so its localized view is kept per
// process: repeated reads (dashboards, the client portal) skip reading and mapping ~40 KB of
// JSON. The key holds computedAt and the framework checksum, so a re-stored result or a
// changed document can never be served stale; tenancy is checked before the cache is asked.
const CLOSED_VIEW_CACHE_SIZE = 100;
const closedViews = new LruCache<string, AssessmentResultType>(CLOSED_VIEW_CACHE_SIZE);

async function resultOfSource(
  ctx: RequestContext,
  source: ResultSourceRow,
  locale: Locale,
): Promise<AssessmentResultType | null> {
  const ref = { id: source.frameworkVersionId, checksum: source.frameworkChecksum };
  if (source.status === 'CLOSED') {
    if (!source.stored) throw new Error(`closed assessment ${source.id} has no stored result`);
    const key = `${source.id}:${source.stored.computedAt.getTime()}:${source.frameworkChecksum}:${locale}`;
    const cached = closedViews.get(key);
    if (cached) return cached;
    const [texts, result] = await Promise.all([
      frameworkTextsLoader(ctx).load(ref),
      storedResultLoader(ctx, source.firmId).load(source.id),
    ]);
    if (!result) throw new Error(`closed assessment ${source.id} has no stored result`);
    const view = toResultView(result, texts, locale, {
      assessmentId: source.id,
      provisional: false,
      computedAt: source.stored.computedAt,
      scoringMethod: source.stored.scoringMethod,
    });
    closedViews.set(key, view);
    return view;
  }
  if (source.status === 'OPEN') {
    const [texts, respondents] = await Promise.all([
      frameworkTextsLoader(ctx).load(ref),
      submittedResponsesLoader(ctx, source.firmId).load(source.id),
    ]);
    const result = scoreAssessment({ framework: texts.def, respondents, roleWeights: source.roleWeights });
    return toResultView(result, texts, locale, {
      assessmentId: source.id,
      provisional: true,
      computedAt: new Date(),
      scoringMethod: SCORING_METHOD,
    });
  }
  return null;
}

interface ResultMeta {
  assessmentId: string;
  provisional: boolean;
  computedAt: Date;
  scoringMethod: string;
}

/**
 * Maps the engine's result to the API's shape: texts from the framework document in
 * `locale`, and every score also rounded to one decimal (half away from zero).
 */
export function toResultView(
  result: AssessmentResult,
  texts: FrameworkTexts,
  locale: Locale,
  meta: ResultMeta,
): AssessmentResultType {
  const level = (number: number | null, code: string | null): ResultLevelType | null =>
    number === null
      ? null
      : {
          number,
          code: code ?? texts.levels.get(number)?.code ?? String(number),
          title: localize(texts.levels.get(number)?.title, locale),
        };
  const questionRef = (code: string): ResultQuestionRefType => ({
    code,
    text: localize(texts.questions.get(code)?.text, locale),
  });
  const dimensionTitle = (code: string) => localize(texts.dimensions.get(code)?.title, locale);

  const dimensions = result.dimensions.map((d: DimensionResult): ResultDimensionType => ({
    code: d.dimension,
    title: dimensionTitle(d.dimension),
    group: d.group,
    layer: d.layer,
    weight: d.weight,
    score: d.score,
    scoreRounded: roundHalfAwayFromZero(d.score),
    level: level(d.level, d.levelCode),
    uncappedLevel: level(d.uncappedLevel, d.uncappedLevelCode),
    coverage: d.coverage,
    confidence: d.confidence as ScoreConfidence,
    spread: d.spread,
    spreadRounded: roundHalfAwayFromZero(d.spread),
    respondentsScored: d.respondentsScored,
    executiveMean: d.executiveMean,
    othersMean: d.othersMean,
    perceptionGap: d.perceptionGap,
    perceptionGapRounded: roundHalfAwayFromZero(d.perceptionGap),
    perceptionGapFlagged: d.perceptionGapFlagged,
    knockedOutQuestions: d.knockedOutQuestions.map(questionRef),
    cappedBy: d.cappedBy ? { capLevel: d.cappedBy.capLevel, questions: d.cappedBy.questions.map(questionRef) } : null,
  }));

  return {
    assessmentId: meta.assessmentId,
    provisional: meta.provisional,
    computedAt: meta.computedAt,
    scoringMethod: meta.scoringMethod,
    locale,
    respondentCount: result.respondentCount,
    overall: {
      group: result.overall.group,
      score: result.overall.score,
      scoreRounded: roundHalfAwayFromZero(result.overall.score),
      level: level(result.overall.level, result.overall.levelCode),
      uncappedLevel: level(result.overall.uncappedLevel, result.overall.uncappedLevelCode),
      knockedOutQuestions: result.overall.knockedOutQuestions.map(questionRef),
      knockoutCapped: result.overall.knockoutCapped,
    },
    dimensions,
    pyramid: result.pyramid
      ? {
          group: result.pyramid.group,
          height: result.pyramid.height,
          firstWeakLayer: result.pyramid.firstWeakLayer,
          firstWeakDimension: result.pyramid.firstWeakDimension,
          layers: result.pyramid.layers.map((l) => ({
            layer: l.layer,
            dimension: l.dimension,
            title: dimensionTitle(l.dimension),
            rawScore: l.rawScore,
            rawScoreRounded: roundHalfAwayFromZero(l.rawScore),
            gatedScore: l.gatedScore,
            gatedScoreRounded: roundHalfAwayFromZero(l.gatedScore),
            gatedLevel: level(l.gatedLevel, l.gatedLevelCode),
            cappedByLayer: l.cappedByLayer,
            cappedByDimension: l.cappedByDimension,
            solid: l.solid,
          })),
        }
      : null,
    questions: result.questions.map((q) => ({
      code: q.question,
      text: localize(texts.questions.get(q.question)?.text, locale),
      score: q.score,
      scoreRounded: roundHalfAwayFromZero(q.score),
      scoredRespondents: q.scoredRespondents,
      weightSum: q.weightSum,
      knockedOut: q.knockedOut,
      excludedFromCoverage: q.excludedFromCoverage,
    })),
    recommendations: result.recommendations.map((r) => {
      const doc = texts.recommendations.get(r.code);
      return {
        code: r.code,
        dimension: r.dimension,
        dimensionTitle: dimensionTitle(r.dimension),
        question: r.question,
        tier: r.tier,
        tierName: r.tierName as RecommendationTierName,
        priority: r.priority,
        gap: r.gap,
        target: r.target,
        targetRounded: roundHalfAwayFromZero(r.target),
        threshold: r.threshold,
        weight: r.weight,
        impact: r.impact,
        effort: r.effort,
        horizon: r.horizon,
        title: localize(doc?.title, locale),
        body: localize(doc?.body, locale),
        actions: (doc?.actions ?? []).map((a) => localize(a, locale)).filter((a): a is string => a !== null),
        source: doc?.source ?? '',
        evidence: r.evidence.map((e) => ({
          question: e.question,
          text: localize(texts.questions.get(e.question)?.text, locale),
          score: e.score,
          scoreRounded: roundHalfAwayFromZero(e.score),
          linkWeight: e.linkWeight,
          shortfall: e.shortfall,
        })),
      };
    }),
    ignoredAnswers: result.ignoredAnswers.map((i) => ({
      respondentId: i.respondent,
      question: i.question,
      code: i.code,
    })),
  };
}
