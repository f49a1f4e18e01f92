import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Locale } from '../reference/reference.types';

/** Confidence in a dimension score, from its coverage (docs/scoring.md §3). */
export enum ScoreConfidence {
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
}
registerEnumType(ScoreConfidence, {
  name: 'ScoreConfidence',
  description:
    'Confidence in a dimension score: HIGH when coverage ≥ 0.8, MEDIUM when ≥ 0.5, else LOW (also LOW when coverage is null).',
});

/** The name of a recommendation's tier (docs/scoring.md §6). */
export enum RecommendationTierName {
  CRITICAL = 'CRITICAL',
  FOUNDATION = 'FOUNDATION',
  IMPROVEMENT = 'IMPROVEMENT',
  DEFERRED = 'DEFERRED',
}
registerEnumType(RecommendationTierName, {
  name: 'RecommendationTierName',
  description:
    'Tier 1 CRITICAL (a knocked-out question), 2 FOUNDATION (the first weak pyramid layer), 3 IMPROVEMENT, 4 DEFERRED (a pyramid layer above the first weak one).',
});

@ObjectType('ResultLevel', { description: 'A maturity level with its localized title.' })
export class ResultLevelType {
  @Field(() => Int, { description: 'Level number, 1 (lowest) upwards.' })
  number: number;

  @Field({ description: 'Level code, e.g. EXPERIENCE.' })
  code: string;

  @Field(() => String, {
    nullable: true,
    description: 'Title in the requested locale (the other locale when missing).',
  })
  title: string | null;
}

@ObjectType('ResultQuestionRef', { description: 'A question named by a result, with its localized text.' })
export class ResultQuestionRefType {
  @Field()
  code: string;

  @Field(() => String, { nullable: true })
  text: string | null;
}

@ObjectType('ResultKnockoutCap', { description: 'A knockout cap that lowered a level.' })
export class ResultKnockoutCapType {
  @Field(() => Int, { description: 'The level the knockout capped at (settings.knockoutCapLevel).' })
  capLevel: number;

  @Field(() => [ResultQuestionRefType], { description: 'The knocked-out questions, in questionnaire order.' })
  questions: ResultQuestionRefType[];
}

@ObjectType('ResultDimension', { description: 'The result of one dimension (docs/scoring.md §3–§4).' })
export class ResultDimensionType {
  @Field()
  code: string;

  @Field(() => String, { nullable: true })
  title: string | null;

  @Field({ description: "Code of the dimension's group, e.g. ELEMENTS or PYRAMID." })
  group: string;

  @Field(() => Int, { nullable: true, description: 'Pyramid layer (1 = bottom), null outside a layered group.' })
  layer: number | null;

  @Field(() => Float, { description: 'Dimension weight ω.' })
  weight: number;

  @Field(() => Float, { nullable: true, description: 'D_d in 0..100, full precision; null when not scored.' })
  score: number | null;

  @Field(() => Float, { nullable: true, description: '`score` rounded to one decimal, half away from zero.' })
  scoreRounded: number | null;

  @Field(() => ResultLevelType, { nullable: true, description: 'Level after any knockout cap; null when not scored.' })
  level: ResultLevelType | null;

  @Field(() => ResultLevelType, { nullable: true, description: 'Level before any knockout cap.' })
  uncappedLevel: ResultLevelType | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Coverage C_d in 0..1; null when every linked question was hidden or N/A.',
  })
  coverage: number | null;

  @Field(() => ScoreConfidence)
  confidence: ScoreConfidence;

  @Field(() => Float, {
    nullable: true,
    description: "σ_d: population standard deviation of the respondents' dimension scores.",
  })
  spread: number | null;

  @Field(() => Float, { nullable: true, description: '`spread` rounded to one decimal.' })
  spreadRounded: number | null;

  @Field(() => Int, { description: 'Respondents with a score on this dimension.' })
  respondentsScored: number;

  @Field(() => Float, { nullable: true, description: 'Mean respondent dimension score of EXECUTIVE respondents.' })
  executiveMean: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean respondent dimension score of all other respondents.' })
  othersMean: number | null;

  @Field(() => Float, { nullable: true, description: 'executiveMean − othersMean; null unless both exist.' })
  perceptionGap: number | null;

  @Field(() => Float, { nullable: true, description: '`perceptionGap` rounded to one decimal.' })
  perceptionGapRounded: number | null;

  @Field({ description: "|perceptionGap| ≥ the framework's perceptionGapThreshold." })
  perceptionGapFlagged: boolean;

  @Field(() => [ResultQuestionRefType], { description: 'Knocked-out questions linked to this dimension.' })
  knockedOutQuestions: ResultQuestionRefType[];

  @Field(() => ResultKnockoutCapType, {
    nullable: true,
    description: 'Set only when a knockout actually lowered the level.',
  })
  cappedBy: ResultKnockoutCapType | null;
}

@ObjectType('ResultOverall', { description: 'The overall score over the primary group (docs/scoring.md §4).' })
export class ResultOverallType {
  @Field(() => String, { nullable: true, description: 'The primary group code.' })
  group: string | null;

  @Field(() => Float, { nullable: true })
  score: number | null;

  @Field(() => Float, { nullable: true, description: '`score` rounded to one decimal, half away from zero.' })
  scoreRounded: number | null;

  @Field(() => ResultLevelType, { nullable: true })
  level: ResultLevelType | null;

  @Field(() => ResultLevelType, { nullable: true })
  uncappedLevel: ResultLevelType | null;

  @Field(() => [ResultQuestionRefType], { description: 'Every knocked-out question of the framework.' })
  knockedOutQuestions: ResultQuestionRefType[];

  @Field({ description: 'True when a knockout actually lowered the overall level.' })
  knockoutCapped: boolean;
}

@ObjectType('ResultPyramidLayer', { description: 'One layer of the pyramid (docs/scoring.md §5).' })
export class ResultPyramidLayerType {
  @Field(() => Int, { description: '1 = bottom.' })
  layer: number;

  @Field({ description: 'The dimension code of the layer.' })
  dimension: string;

  @Field(() => String, { nullable: true })
  title: string | null;

  @Field(() => Float, { nullable: true, description: 'D_k, the raw dimension score.' })
  rawScore: number | null;

  @Field(() => Float, { nullable: true })
  rawScoreRounded: number | null;

  @Field(() => Float, { nullable: true, description: 'G_k, the score gated by the layers below.' })
  gatedScore: number | null;

  @Field(() => Float, { nullable: true })
  gatedScoreRounded: number | null;

  @Field(() => ResultLevelType, { nullable: true, description: 'Level of the gated score (after any knockout cap).' })
  gatedLevel: ResultLevelType | null;

  @Field(() => Int, { nullable: true, description: 'The layer that held this one down (only when gated < raw).' })
  cappedByLayer: number | null;

  @Field(() => String, { nullable: true })
  cappedByDimension: string | null;

  @Field({ description: "rawScore ≥ the framework's solidThreshold." })
  solid: boolean;
}

@ObjectType('ResultPyramid', { description: 'The layered group seen as a pyramid.' })
export class ResultPyramidType {
  @Field()
  group: string;

  @Field(() => [ResultPyramidLayerType], { description: 'Bottom (layer 1) to top.' })
  layers: ResultPyramidLayerType[];

  @Field(() => Int, { description: 'Consecutive solid layers from the bottom.' })
  height: number;

  @Field(() => Int, { nullable: true, description: 'height + 1 when below the top, else null.' })
  firstWeakLayer: number | null;

  @Field(() => String, { nullable: true })
  firstWeakDimension: string | null;
}

@ObjectType('ResultQuestionScore', { description: 'S_q of one question and what went into it.' })
export class ResultQuestionScoreType {
  @Field()
  code: string;

  @Field(() => String, { nullable: true })
  text: string | null;

  @Field(() => Float, { nullable: true, description: 'S_q in 0..100, null when nobody gave a scored answer.' })
  score: number | null;

  @Field(() => Float, { nullable: true })
  scoreRounded: number | null;

  @Field(() => Int)
  scoredRespondents: number;

  @Field(() => Float, { description: 'Σ role weight over the scored answers.' })
  weightSum: number;

  @Field()
  knockedOut: boolean;

  @Field({ description: 'Hidden or N/A for every respondent (left out of coverage).' })
  excludedFromCoverage: boolean;
}

@ObjectType('RecommendationEvidence', { description: 'A question that explains why a recommendation fired.' })
export class RecommendationEvidenceType {
  @Field({ description: 'Question code.' })
  question: string;

  @Field(() => String, { nullable: true, description: 'Question text in the requested locale.' })
  text: string | null;

  @Field(() => Float, { description: 'S_q.' })
  score: number;

  @Field(() => Float)
  scoreRounded: number;

  @Field(() => Float, { description: "Weight of the question's link to the recommendation's dimension." })
  linkWeight: number;

  @Field(() => Float, { description: 'linkWeight · (100 − score).' })
  shortfall: number;
}

@ObjectType('ResultRecommendation', {
  description: 'A fired recommendation, in engine order (tier, then priority, then code).',
})
export class ResultRecommendationType {
  @Field()
  code: string;

  @Field({ description: 'Dimension code.' })
  dimension: string;

  @Field(() => String, { nullable: true })
  dimensionTitle: string | null;

  @Field(() => String, { nullable: true, description: 'Question code, for a question template.' })
  question: string | null;

  @Field(() => Int, { description: '1..4' })
  tier: number;

  @Field(() => RecommendationTierName)
  tierName: RecommendationTierName;

  @Field(() => Float, { description: 'P = gap · weight · impact / effort.' })
  priority: number;

  @Field(() => Float, { description: '(threshold − target) / 100.' })
  gap: number;

  @Field(() => Float, { description: 'S_q for a question template, else D_d.' })
  target: number;

  @Field(() => Float)
  targetRounded: number;

  @Field(() => Float)
  threshold: number;

  @Field(() => Float, { description: "ω_d / max ω in the dimension's group." })
  weight: number;

  @Field(() => Int, { description: '1..5' })
  impact: number;

  @Field(() => Int, { description: '1..5' })
  effort: number;

  @Field({ description: 'QUICK_WIN, DAYS_90 or YEAR_1.' })
  horizon: string;

  @Field(() => String, { nullable: true })
  title: string | null;

  @Field(() => String, { nullable: true })
  body: string | null;

  @Field(() => [String], { description: 'Concrete first actions, in order.' })
  actions: string[];

  @Field({ description: 'The seed idea the recommendation comes from.' })
  source: string;

  @Field(() => [RecommendationEvidenceType])
  evidence: RecommendationEvidenceType[];
}

@ObjectType('ResultIgnoredAnswer', {
  description: 'A stored answer the engine ignored because it did not fit its question.',
})
export class ResultIgnoredAnswerType {
  @Field(() => ID)
  respondentId: string;

  @Field()
  question: string;

  @Field()
  code: string;
}

@ObjectType('AssessmentResult', {
  description:
    'The scored result of an assessment: stored when it closed (never recomputed), or live and provisional while it is open.',
})
export class AssessmentResultType {
  @Field(() => ID)
  assessmentId: string;

  @Field({ description: 'True for a live result of an OPEN assessment (from the responses submitted so far).' })
  provisional: boolean;

  @Field({ description: 'When the result was computed (now, for a provisional result).' })
  computedAt: Date;

  @Field({ description: 'Version of the scoring method (docs/scoring.md).' })
  scoringMethod: string;

  @Field(() => Locale, { description: 'The language of the texts.' })
  locale: Locale;

  @Field(() => Int, { description: 'Submitted responses scored.' })
  respondentCount: number;

  @Field(() => ResultOverallType)
  overall: ResultOverallType;

  @Field(() => [ResultDimensionType], { description: 'Every dimension of every group, in framework order.' })
  dimensions: ResultDimensionType[];

  @Field(() => ResultPyramidType, { nullable: true, description: 'Null when the framework has no layered group.' })
  pyramid: ResultPyramidType | null;

  @Field(() => [ResultQuestionScoreType], { description: 'In questionnaire order.' })
  questions: ResultQuestionScoreType[];

  @Field(() => [ResultRecommendationType])
  recommendations: ResultRecommendationType[];

  @Field(() => [ResultIgnoredAnswerType], {
    description: 'Always empty unless a stored answer did not fit its question.',
  })
  ignoredAnswers: ResultIgnoredAnswerType[];
}

@ObjectType('LatestResult', { description: "The overall result of an organisation's most recently closed assessment." })
export class LatestResultType {
  @Field(() => ID)
  assessmentId: string;

  @Field(() => Float, { nullable: true })
  overallScore: number | null;

  @Field(() => Float, { nullable: true, description: '`overallScore` rounded to one decimal, half away from zero.' })
  overallScoreRounded: number | null;

  @Field(() => Int, { nullable: true })
  overallLevel: number | null;

  @Field(() => String, { nullable: true })
  levelCode: string | null;

  @Field()
  closedAt: Date;
}
