/**
 * The scoring engine's entry point: an assessment's submitted responses → scores, levels,
 * pyramid and recommendations (SCORING.md §2–§6).
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
} from './result-types';
import type { Answer, RespondentInput, ScoringInput } from './types';
import { STATE_ANSWERED, STATE_SCORED, STATE_UNANSWERED, readRespondent } from './visibility';

/** The role whose mean is compared with everybody else's for the perception gap. */
export const EXECUTIVE_ROLE = 'EXECUTIVE';

/**
 * ρ for a role: the assessment's weight, or 1 when the role is not listed.
 *
 * @throws RangeError when a listed weight is negative or not a finite number
 */
export function roleWeight(roleWeights: Record<string, number>, role: string): number {
  if (!Object.prototype.hasOwnProperty.call(roleWeights, role)) return 1;
  const w = roleWeights[role];
  if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
    throw new RangeError(`Role weight of ${role} must be a finite number ≥ 0, got ${String(w)}`);
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

function tally(index: FrameworkIndex, respondents: readonly RespondentInput[], roleWeights: Record<string, number>): Tallies {
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

  for (let r = 0; r < N; r++) {
    const respondent = respondents[r];
    let rho = rhoByRole.get(respondent.role);
    if (rho === undefined) {
      rho = roleWeight(roleWeights, respondent.role);
      rhoByRole.set(respondent.role, rho);
    }
    isExecutive[r] = respondent.role === EXECUTIVE_ROLE ? 1 : 0;
    readRespondent(index, respondent.answers ?? {}, state, score, values, (qi: number, answer: Answer) => {
      const problems = validateAnswer(qs[qi].def, answer);
      ignored.push({ respondent: respondent.id, question: qs[qi].code, code: problems.length ? problems[0].code : 'WRONG_TYPE' });
    });
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
        // With ρ = 0 the respondent's own S_q is 0/0, so it feeds no R_rd (see docs/scoring.md).
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

/**
 * Scores an assessment by SCORING.md version 1.
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
  const settings = index.settings;
  const levels = index.levels;
  const respondents = input.respondents;
  const N = respondents.length;
  const t = tally(index, respondents, input.roleWeights ?? {});

  // §3 question scores, §4 knockouts.
  const questionScores: Array<number | null> = [];
  const questions: QuestionScoreResult[] = index.questions.map((q, i) => {
    const s = t.weightSum[i] > 0 ? t.weightedSum[i] / t.weightSum[i] : null;
    questionScores.push(s);
    return {
      question: q.code,
      score: s,
      scoredRespondents: t.scoredCount[i],
      weightSum: t.weightSum[i],
      knockedOut: s !== null && !Number.isNaN(q.criticalThreshold) && below(s, q.criticalThreshold),
      excludedFromCoverage: t.presentCount[i] === 0,
    };
  });
  const anyKnockout = questions.some((q) => q.knockedOut);

  // §3 dimension scores, coverage, spread, gap; §4 levels.
  const dimensions: DimensionResult[] = index.dimensions.map((dim, d) => {
    const qList = index.dimensionQuestions[d];
    const wList = index.dimensionLinkWeights[d];
    let num = 0;
    let den = 0;
    let coverageDen = 0;
    const knockedOut: string[] = [];
    for (let k = 0; k < qList.length; k++) {
      const qi = qList[k];
      const w = wList[k];
      const s = questionScores[qi];
      if (s !== null) {
        num += w * s;
        den += w;
      }
      if (t.presentCount[qi] > 0) coverageDen += w;
      if (questions[qi].knockedOut) knockedOut.push(questions[qi].question);
    }
    const score = den > 0 ? num / den : null;
    const coverage = coverageDen > 0 ? den / coverageDen : null;

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
    const gap = executiveMean !== null && othersMean !== null ? executiveMean - othersMean : null;

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
      spread,
      respondentsScored: count,
      executiveMean,
      othersMean,
      perceptionGap: gap,
      perceptionGapFlagged: gap !== null && atLeast(Math.abs(gap), settings.perceptionGapThreshold),
      knockedOutQuestions: knockedOut,
      cappedBy: lowered ? { questions: knockedOut, capLevel: settings.knockoutCapLevel } : null,
    };
  });

  // §4 overall.
  let oNum = 0;
  let oDen = 0;
  for (const dr of dimensions) {
    if (dr.group === index.primaryGroup && dr.score !== null) {
      oNum += dr.weight * dr.score;
      oDen += dr.weight;
    }
  }
  const overallScore = oDen > 0 ? oNum / oDen : null;
  const overallUncapped = levelOf(levels, overallScore);
  const overallLevel = capLevel(levels, overallUncapped, settings.knockoutCapLevel, anyKnockout);
  const overall: OverallResult = {
    group: index.primaryGroup,
    score: overallScore,
    level: overallLevel ? overallLevel.level : null,
    levelCode: overallLevel ? overallLevel.code : null,
    uncappedLevel: overallUncapped ? overallUncapped.level : null,
    uncappedLevelCode: overallUncapped ? overallUncapped.code : null,
    knockedOutQuestions: questions.filter((q) => q.knockedOut).map((q) => q.question),
    knockoutCapped: overallUncapped !== null && overallLevel !== null && overallLevel.level < overallUncapped.level,
  };

  // §5 pyramid: dimensions of the LAYERED group that have a layer.
  let pyramid: PyramidResult | null = null;
  const pyramidLayer = new Map<string, number>();
  if (index.layeredGroup !== null) {
    const layers: PyramidLayerInput[] = [];
    for (const dr of dimensions) {
      if (dr.group !== index.layeredGroup || dr.layer === null) continue;
      layers.push({ dimension: dr.dimension, layer: dr.layer, rawScore: dr.score, knockedOut: dr.knockedOutQuestions.length > 0 });
      pyramidLayer.set(dr.dimension, dr.layer);
    }
    pyramid = buildPyramid(index.layeredGroup, layers, levels, settings);
  }

  // §6 recommendations.
  const questionScoreByCode = new Map<string, number | null>();
  const questionKnockedOut = new Map<string, boolean>();
  for (const q of questions) {
    if (questionScoreByCode.has(q.question)) continue;
    questionScoreByCode.set(q.question, q.score);
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
  const recommendations = computeRecommendations({
    templates: input.framework.recommendations ?? [],
    dimensions: index.dimensions,
    dimensionScore,
    dimensionKnockedOut,
    questionScore: questionScoreByCode,
    questionKnockedOut,
    dimensionLinks,
    pyramidLayer,
    firstWeakLayer: pyramid ? pyramid.firstWeakLayer : null,
    recommendationThreshold: settings.recommendationThreshold,
  });

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
