/**
 * The scoring engine's entry point: an assessment's submitted responses → scores, levels,
 * pyramid and recommendations (docs/scoring.md §2–§6).
 */
import { validateAnswer } from './answer-validation';
import { indexFramework, type FrameworkIndex } from './framework-index';
import { capLevel, levelOf } from './maturity-level';
import { atLeast, below } from './numeric-tolerance';
import { buildPyramid, type PyramidLayerInput } from './pyramid';
import { computeRecommendations } from './recommendations';
import type {
  AssessmentResult,
  Confidence,
  DimensionResult,
  IgnoredAnswer,
  OverallResult,
  PyramidResult,
  QuestionScoreResult,
  RecommendationResult,
} from './result-types';
import type { Answer, RespondentInput, ScoringInput } from './types';
import { STATE_ANSWERED, STATE_SCORED, STATE_UNANSWERED, readRespondent } from './visibility';

/** The role whose mean is compared with everybody else's for the perception gap. */
export const EXECUTIVE_ROLE = 'EXECUTIVE';

/**
 * ρ for a role: the assessment's weight, or 1 when the role is not listed (or listed as
 * null).
 *
 * @throws RangeError when the listed weight is negative or not a finite number
 */
export function roleWeight(roleWeights: Record<string, number>, role: string): number {
  if (!Object.prototype.hasOwnProperty.call(roleWeights, role)) return 1;
  const w: unknown = roleWeights[role];
  if (w === null || w === undefined) return 1;
  if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
    throw new RangeError(
      `Role weight of ${role} must be a finite number ≥ 0, got ${typeof w === 'number' ? w : JSON.stringify(w)}`,
    );
  }
  return w;
}

/** Confidence from coverage: HIGH ≥ 0.8, MEDIUM ≥ 0.5, else LOW (LOW when coverage is null). */
export function confidenceOf(coverage: number | null): Confidence {
  if (coverage === null) return 'LOW';
  if (atLeast(coverage, 0.8)) return 'HIGH';
  if (atLeast(coverage, 0.5)) return 'MEDIUM';
  return 'LOW';
}

/** Sums per question and per (dimension, respondent) gathered in one pass over the answers. */
interface Tallies {
  /** Σ ρ·s per question. */
  weightedSum: Float64Array;
  /** Σ ρ per question over scored answers. */
  weightSum: Float64Array;
  scoredCount: Int32Array;
  /** Respondents for whom the question was visible and not N/A. */
  presentCount: Int32Array;
  /** R_rd at [d * N + r], NaN when null. */
  respondentScores: Float64Array;
  isExecutive: Uint8Array;
  ignored: IgnoredAnswer[];
}

/**
 * One pass over every respondent's answers (visibility, item scores) that fills the sums
 * every later step needs.
 */
function tally(
  index: FrameworkIndex,
  respondents: readonly RespondentInput[],
  roleWeights: Record<string, number>,
): Tallies {
  // Checked up front so that a bad weight fails the run even when no respondent has that role yet.
  for (const role of Object.keys(roleWeights)) roleWeight(roleWeights, role);
  const qs = index.questions;
  const Q = qs.length;
  const D = index.dimensions.length;
  const N = respondents.length;
  const weightedSum = new Float64Array(Q);
  const weightSum = new Float64Array(Q);
  const scoredCount = new Int32Array(Q);
  const presentCount = new Int32Array(Q);
  const respondentScores = new Float64Array(D * N);
  const isExecutive = new Uint8Array(N);
  const ignored: IgnoredAnswer[] = [];
  const state = new Uint8Array(Q);
  const score = new Float64Array(Q);
  const values = new Array<unknown>(Q);
  const rNum = new Float64Array(D);
  const rDen = new Float64Array(D);
  const rhoByRole = new Map<string, number>();
  // Flattened link tables: the inner loop reads typed arrays only.
  const linkStart = new Int32Array(Q + 1);
  for (let i = 0; i < Q; i++) linkStart[i + 1] = linkStart[i] + qs[i].linkDimension.length;
  const linkDim = new Int32Array(linkStart[Q]);
  const linkW = new Float64Array(linkStart[Q]);
  for (let i = 0; i < Q; i++) {
    linkDim.set(qs[i].linkDimension, linkStart[i]);
    linkW.set(qs[i].linkWeight, linkStart[i]);
  }

  let currentId = '';
  const onInvalid = (qi: number, answer: Answer): void => {
    const problems = validateAnswer(qs[qi].def, answer);
    ignored.push({
      respondent: currentId,
      question: qs[qi].code,
      code: problems.length ? problems[0].code : 'WRONG_TYPE',
    });
  };

  for (let r = 0; r < N; r++) {
    const respondent = respondents[r];
    let rho = rhoByRole.get(respondent.role);
    if (rho === undefined) {
      rho = roleWeight(roleWeights, respondent.role);
      rhoByRole.set(respondent.role, rho);
    }
    isExecutive[r] = respondent.role === EXECUTIVE_ROLE ? 1 : 0;
    currentId = respondent.id;
    readRespondent(index, respondent.answers ?? {}, state, score, values, onInvalid);
    rNum.fill(0);
    rDen.fill(0);
    for (let i = 0; i < Q; i++) {
      const st = state[i];
      if (st === STATE_SCORED) {
        const s = score[i];
        scoredCount[i]++;
        presentCount[i]++;
        weightSum[i] += rho;
        weightedSum[i] += rho * s;
        // With ρ = 0 the respondent's own S_q is 0/0, so it feeds no R_rd (docs/scoring.md [D2]).
        if (rho > 0) {
          for (let l = linkStart[i], end = linkStart[i + 1]; l < end; l++) {
            const w = linkW[l];
            rNum[linkDim[l]] += w * s;
            rDen[linkDim[l]] += w;
          }
        }
      } else if (st === STATE_UNANSWERED || st === STATE_ANSWERED) {
        presentCount[i]++;
      }
    }
    for (let d = 0; d < D; d++) respondentScores[d * N + r] = rDen[d] > 0 ? rNum[d] / rDen[d] : NaN;
  }
  return { weightedSum, weightSum, scoredCount, presentCount, respondentScores, isExecutive, ignored };
}

/** S_q, knockouts and coverage exclusion per question (§3, §4). */
function questionResults(index: FrameworkIndex, t: Tallies): QuestionScoreResult[] {
  return index.questions.map((q, i) => {
    const s = t.weightSum[i] > 0 ? t.weightedSum[i] / t.weightSum[i] : null;
    return {
      question: q.code,
      score: s,
      scoredRespondents: t.scoredCount[i],
      weightSum: t.weightSum[i],
      knockedOut: s !== null && !Number.isNaN(q.criticalThreshold) && below(s, q.criticalThreshold),
      excludedFromCoverage: t.presentCount[i] === 0,
    };
  });
}

/** Population standard deviation, executive and other means of R_rd for dimension d (§3). */
function respondentStatistics(t: Tallies, d: number, N: number) {
  let count = 0;
  let sum = 0;
  let execCount = 0;
  let execSum = 0;
  const base = d * N;
  for (let r = 0; r < N; r++) {
    const x = t.respondentScores[base + r];
    if (Number.isNaN(x)) continue;
    count++;
    sum += x;
    if (t.isExecutive[r]) {
      execCount++;
      execSum += x;
    }
  }
  let spread: number | null = null;
  if (count > 0) {
    const mean = sum / count;
    let sq = 0;
    for (let r = 0; r < N; r++) {
      const x = t.respondentScores[base + r];
      if (!Number.isNaN(x)) sq += (x - mean) * (x - mean);
    }
    spread = Math.sqrt(sq / count);
  }
  const othersCount = count - execCount;
  const executiveMean = execCount > 0 ? execSum / execCount : null;
  const othersMean = othersCount > 0 ? (sum - execSum) / othersCount : null;
  return { count, spread, executiveMean, othersMean };
}

/** D_d, coverage, confidence, spread, gap, level and knockout cap of every dimension (§3, §4). */
function dimensionResults(
  index: FrameworkIndex,
  t: Tallies,
  questions: QuestionScoreResult[],
  N: number,
): DimensionResult[] {
  const { settings, levels } = index;
  return index.dimensions.map((dim, d) => {
    const qList = index.dimensionQuestions[d];
    const wList = index.dimensionLinkWeights[d];
    let num = 0;
    let den = 0;
    let coverageDen = 0;
    const knockedOut: string[] = [];
    for (let k = 0; k < qList.length; k++) {
      const qi = qList[k];
      const w = wList[k];
      const s = questions[qi].score;
      if (s !== null) {
        num += w * s;
        den += w;
      }
      if (t.presentCount[qi] > 0) coverageDen += w;
      if (questions[qi].knockedOut) knockedOut.push(questions[qi].question);
    }
    const score = den > 0 ? num / den : null;
    const coverage = coverageDen > 0 ? den / coverageDen : null;
    const stats = respondentStatistics(t, d, N);
    const gap =
      stats.executiveMean !== null && stats.othersMean !== null ? stats.executiveMean - stats.othersMean : null;
    const uncapped = levelOf(levels, score);
    const level = capLevel(levels, uncapped, settings.knockoutCapLevel, knockedOut.length > 0);
    const lowered = uncapped !== null && level !== null && level.level < uncapped.level;
    return {
      dimension: dim.code,
      group: dim.group,
      weight: dim.weight,
      layer: dim.layer ?? null,
      score,
      level: level ? level.level : null,
      levelCode: level ? level.code : null,
      uncappedLevel: uncapped ? uncapped.level : null,
      uncappedLevelCode: uncapped ? uncapped.code : null,
      coverage,
      confidence: confidenceOf(coverage),
      spread: stats.spread,
      respondentsScored: stats.count,
      executiveMean: stats.executiveMean,
      othersMean: stats.othersMean,
      perceptionGap: gap,
      perceptionGapFlagged: gap !== null && atLeast(Math.abs(gap), settings.perceptionGapThreshold),
      knockedOutQuestions: knockedOut,
      cappedBy: lowered ? { questions: knockedOut, capLevel: settings.knockoutCapLevel } : null,
    };
  });
}

/** O over the primary group, capped when any question is knocked out (§4). */
function overallResult(
  index: FrameworkIndex,
  questions: QuestionScoreResult[],
  dimensions: DimensionResult[],
): OverallResult {
  const { settings, levels } = index;
  let num = 0;
  let den = 0;
  for (const dr of dimensions) {
    if (dr.group === index.primaryGroup && dr.score !== null) {
      num += dr.weight * dr.score;
      den += dr.weight;
    }
  }
  const score = den > 0 ? num / den : null;
  const knockedOutQuestions = questions.filter((q) => q.knockedOut).map((q) => q.question);
  const uncapped = levelOf(levels, score);
  const level = capLevel(levels, uncapped, settings.knockoutCapLevel, knockedOutQuestions.length > 0);
  return {
    group: index.primaryGroup,
    score,
    level: level ? level.level : null,
    levelCode: level ? level.code : null,
    uncappedLevel: uncapped ? uncapped.level : null,
    uncappedLevelCode: uncapped ? uncapped.code : null,
    knockedOutQuestions,
    knockoutCapped: uncapped !== null && level !== null && level.level < uncapped.level,
  };
}

/** The pyramid over the dimensions of the LAYERED group that have a layer (§5). */
function pyramidResult(index: FrameworkIndex, dimensions: DimensionResult[]): PyramidResult | null {
  if (index.layeredGroup === null) return null;
  const layers: PyramidLayerInput[] = [];
  for (const dr of dimensions) {
    if (dr.group !== index.layeredGroup || dr.layer === null) continue;
    layers.push({
      dimension: dr.dimension,
      layer: dr.layer,
      rawScore: dr.score,
      knockedOut: dr.knockedOutQuestions.length > 0,
    });
  }
  return buildPyramid(index.layeredGroup, layers, index.levels, index.settings);
}

/** Fired recommendation templates in §6 order. */
function recommendationResults(
  index: FrameworkIndex,
  questions: QuestionScoreResult[],
  dimensions: DimensionResult[],
  pyramid: PyramidResult | null,
): RecommendationResult[] {
  const questionScore = new Map<string, number | null>();
  const questionKnockedOut = new Map<string, boolean>();
  for (const q of questions) {
    if (questionScore.has(q.question)) continue;
    questionScore.set(q.question, q.score);
    questionKnockedOut.set(q.question, q.knockedOut);
  }
  const dimensionScore = new Map<string, number | null>();
  const dimensionKnockedOut = new Map<string, boolean>();
  const dimensionLinks = new Map<string, Array<{ question: string; weight: number }>>();
  dimensions.forEach((dr, d) => {
    if (dimensionScore.has(dr.dimension)) return;
    dimensionScore.set(dr.dimension, dr.score);
    dimensionKnockedOut.set(dr.dimension, dr.knockedOutQuestions.length > 0);
    const qList = index.dimensionQuestions[d];
    const wList = index.dimensionLinkWeights[d];
    const links: Array<{ question: string; weight: number }> = [];
    for (let k = 0; k < qList.length; k++) links.push({ question: index.questions[qList[k]].code, weight: wList[k] });
    dimensionLinks.set(dr.dimension, links);
  });
  const pyramidLayer = new Map<string, number>();
  for (const l of pyramid?.layers ?? []) pyramidLayer.set(l.dimension, l.layer);
  return computeRecommendations({
    templates: index.framework.recommendations ?? [],
    dimensions: index.dimensions,
    dimensionScore,
    dimensionKnockedOut,
    questionScore,
    questionKnockedOut,
    dimensionLinks,
    pyramidLayer,
    firstWeakLayer: pyramid ? pyramid.firstWeakLayer : null,
    recommendationThreshold: index.settings.recommendationThreshold,
  });
}

/**
 * Scores an assessment by docs/scoring.md version 1.
 *
 * Pure and deterministic: the same input always gives the same result, whatever the order
 * of the respondents. Answers that do not fit their question count as unanswered and are
 * listed in `ignoredAnswers`.
 *
 * @param input the framework version, the submitted responses and the role weights
 * @throws RangeError when a role weight is negative or not finite
 */
export function scoreAssessment(input: ScoringInput): AssessmentResult {
  const index = indexFramework(input.framework);
  const N = input.respondents.length;
  const t = tally(index, input.respondents, input.roleWeights ?? {});
  const questions = questionResults(index, t);
  const dimensions = dimensionResults(index, t, questions, N);
  const overall = overallResult(index, questions, dimensions);
  const pyramid = pyramidResult(index, dimensions);
  const recommendations = recommendationResults(index, questions, dimensions, pyramid);
  return {
    methodVersion: 1,
    respondentCount: N,
    questions,
    dimensions,
    overall,
    pyramid,
    recommendations,
    ignoredAnswers: t.ignored,
  };
}
