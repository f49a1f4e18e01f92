/**
 * Output types of the scoring engine (docs/scoring.md §2–§7).
 *
 * Every number is in full precision; the API rounds for display with
 * `roundHalfAwayFromZero`. `null` always means "not scored" (an empty sum), never 0.
 */

/** Why an answer was rejected (validation) or ignored (scoring). */
export type AnswerProblemCode =
  | 'UNKNOWN_QUESTION'
  | 'WRONG_TYPE'
  | 'NOT_INTEGER'
  | 'OUT_OF_RANGE'
  | 'UNKNOWN_OPTION'
  | 'DUPLICATE_OPTION'
  | 'EXCLUSIVE_OPTION_COMBINED'
  | 'EMPTY_SELECTION'
  | 'TOO_LONG'
  | 'NOT_APPLICABLE_NOT_ALLOWED'
  | 'MISSING_VALUE'
  | 'CONFLICTING_ANSWER'
  | 'NO_BAND';

/** One problem with one answer. */
export interface AnswerProblem {
  /** The question code the answer was given for. */
  question: string;
  code: AnswerProblemCode;
  /** A plain English sentence, safe to show to an API client. */
  message: string;
}

/** Confidence in a dimension score, from its coverage (§3). */
export type Confidence = 'HIGH' | 'MEDIUM' | 'LOW';

/** S_q and what went into it (§3, §4). */
export interface QuestionScoreResult {
  question: string;
  /** S_q in [0, 100], or null when nobody with a positive role weight gave a scored answer. */
  score: number | null;
  /** Respondents with a scored answer (visible, valid, not N/A), whatever their role weight. */
  scoredRespondents: number;
  /** Σ ρ over those respondents (the denominator of S_q). */
  weightSum: number;
  /** Critical and S_q < critical.threshold. */
  knockedOut: boolean;
  /** True when the question was hidden or answered N/A for every respondent (left out of coverage). */
  excludedFromCoverage: boolean;
}

/** A knockout cap that lowered a level (§4). */
export interface KnockoutCap {
  /** The knocked-out questions linked to the dimension, in questionnaire order. */
  questions: string[];
  /** settings.knockoutCapLevel. */
  capLevel: number;
}

/** Everything the engine says about one dimension (§3, §4). */
export interface DimensionResult {
  dimension: string;
  group: string;
  /** ω_d. */
  weight: number;
  /** Pyramid layer, or null outside a LAYERED group. */
  layer: number | null;
  /** D_d in [0, 100] or null. */
  score: number | null;
  /** level(D_d) after the knockout cap; null when D_d is null. */
  level: number | null;
  levelCode: string | null;
  /** level(D_d) before any cap. */
  uncappedLevel: number | null;
  uncappedLevelCode: string | null;
  /** C_d in [0, 1], or null when every linked question was hidden or N/A for everybody. */
  coverage: number | null;
  confidence: Confidence;
  /** σ_d: population standard deviation of the respondent dimension scores R_rd. */
  spread: number | null;
  /** Respondents with R_rd not null (those the spread and gap are computed over). */
  respondentsScored: number;
  /** Mean R_rd over EXECUTIVE respondents (null if none). */
  executiveMean: number | null;
  /** Mean R_rd over all non-EXECUTIVE respondents (null if none). */
  othersMean: number | null;
  /** g_d = executiveMean − othersMean, null unless both exist. */
  perceptionGap: number | null;
  /** |g_d| ≥ perceptionGapThreshold. */
  perceptionGapFlagged: boolean;
  /** Knocked-out questions linked to this dimension, in questionnaire order. */
  knockedOutQuestions: string[];
  /** Set only when the knockout cap actually lowered the level. */
  cappedBy: KnockoutCap | null;
}

/** The overall score over the primary group (§4). */
export interface OverallResult {
  /** The primary group code, or null when the framework has none. */
  group: string | null;
  /** O in [0, 100] or null. */
  score: number | null;
  level: number | null;
  levelCode: string | null;
  uncappedLevel: number | null;
  uncappedLevelCode: string | null;
  /** Every knocked-out question of the framework, in questionnaire order. */
  knockedOutQuestions: string[];
  /** True when the knockout cap actually lowered the overall level. */
  knockoutCapped: boolean;
}

/** One layer of the pyramid (§5). */
export interface PyramidLayerResult {
  dimension: string;
  layer: number;
  /** D_k. */
  rawScore: number | null;
  /** G_k. */
  gatedScore: number | null;
  /** level(G_k) after the knockout cap of the layer's dimension. */
  gatedLevel: number | null;
  gatedLevelCode: string | null;
  /** The layer j whose G_j + γ held this layer down (set only when G_k < D_k). */
  cappedByLayer: number | null;
  cappedByDimension: string | null;
  /** D_k ≥ τ (solidThreshold). */
  solid: boolean;
}

/** The LAYERED group seen as a pyramid (§5). */
export interface PyramidResult {
  group: string;
  /** Bottom (layer 1) to top. */
  layers: PyramidLayerResult[];
  /** H: consecutive solid layers from the bottom. */
  height: number;
  /** H + 1 when H < n, else null. */
  firstWeakLayer: number | null;
  firstWeakDimension: string | null;
}

export type RecommendationTier = 1 | 2 | 3 | 4;
export type RecommendationTierName = 'CRITICAL' | 'FOUNDATION' | 'IMPROVEMENT' | 'DEFERRED';

/** One question that explains why a recommendation fired (§6). */
export interface EvidenceItem {
  question: string;
  /** S_q. */
  score: number;
  /** w_qd of the question's link to the recommendation's dimension (0 if it has none). */
  linkWeight: number;
  /** w_qd · (100 − S_q). */
  shortfall: number;
}

/** A fired recommendation template (§6). */
export interface RecommendationResult {
  code: string;
  dimension: string;
  question: string | null;
  horizon: string;
  impact: number;
  effort: number;
  /** S_q for a question template, else D_d. */
  target: number;
  threshold: number;
  /** (threshold − target) / 100. */
  gap: number;
  /** ω_d / max ω over the dimensions of the same group. */
  weight: number;
  /** P = gap · weight · impact / effort. */
  priority: number;
  tier: RecommendationTier;
  tierName: RecommendationTierName;
  evidence: EvidenceItem[];
}

/** An answer the engine ignored because it was not valid for its question. */
export interface IgnoredAnswer {
  respondent: string;
  question: string;
  code: AnswerProblemCode;
}

/** The whole result of one scoring run. */
export interface AssessmentResult {
  /** The docs/scoring.md method version this engine implements. */
  methodVersion: 1;
  /** Respondents scored (all submitted responses passed in). */
  respondentCount: number;
  /** In questionnaire order. */
  questions: QuestionScoreResult[];
  /** In framework order. */
  dimensions: DimensionResult[];
  overall: OverallResult;
  /** null when the framework has no LAYERED group. */
  pyramid: PyramidResult | null;
  /** Fired templates: tier ascending, priority descending, code ascending. */
  recommendations: RecommendationResult[];
  /**
   * Stored answers that did not fit their question (they count as unanswered). Always empty
   * when the API validated every answer on write; present so that a defect shows up.
   */
  ignoredAnswers: IgnoredAnswer[];
}
