/**
 * The scoring engine's public API (docs/scoring.md version 1). Pure: no I/O, no database,
 * no GraphQL.
 */
export * from './types';
export * from './result-types';
export { validateAnswer, validateAnswers } from './answer-validation';
export { itemScore } from './item-score';
export {
  visibleQuestions,
  missingRequiredQuestions,
  questionnaireStatus,
  type QuestionnaireStatus,
} from './visibility';
export { scoreAssessment, roleWeight, confidenceOf, EXECUTIVE_ROLE } from './score-assessment';
export { levelOf } from './maturity-level';
export { gateScores, pyramidHeight } from './pyramid';
export { TIER_NAMES, compareRecommendations } from './recommendations';
export {
  percentileRank,
  percentileCont,
  cohortStatistics,
  scoreHistogram,
  benchmarkFigures,
  type CohortStatistics,
  type HistogramBucket,
  type BenchmarkFigures,
  histogramBucket,
} from './benchmark-stats';
export { roundHalfAwayFromZero } from './rounding';
export { EPSILON } from './numeric-tolerance';
