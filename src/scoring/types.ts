/**
 * Input types of the scoring engine (docs/scoring.md §1–§3).
 *
 * These are the engine's own view of a framework version: codes, weights and rules only,
 * no texts. The interchange format (`src/modules/framework/framework-document.ts`) adds the
 * localised texts and converts to these types.
 */

/** How a group combines its dimensions: a plain weighted set, or ordered pyramid layers. */
export type GroupKind = 'WEIGHTED' | 'LAYERED';

/** A group of dimensions, e.g. ELEMENTS (primary, WEIGHTED) or PYRAMID (LAYERED). */
export interface GroupDef {
  code: string;
  kind: GroupKind;
  /** Exactly one WEIGHTED group is primary: the overall score is computed over it. */
  primary: boolean;
}

/** A scored dimension of a group. */
export interface DimensionDef {
  code: string;
  group: string;
  /** ω > 0, default 1. */
  weight: number;
  /** 1..n bottom to top, only for dimensions of a LAYERED group. */
  layer?: number | null;
}

/** A maturity level; level 1 has lowerBound 0 and bounds strictly increase. */
export interface MaturityLevelDef {
  level: number;
  code: string;
  lowerBound: number;
}

/** Framework-wide scoring settings with the defaults of docs/scoring.md §1. */
export interface ScoringSettings {
  knockoutCapLevel: number;
  solidThreshold: number;
  gateTolerance: number;
  perceptionGapThreshold: number;
  benchmarkMinCohort: number;
  recommendationThreshold: number;
}

/** The defaults of docs/scoring.md §1. */
export const DEFAULT_SETTINGS: Readonly<ScoringSettings> = Object.freeze({
  knockoutCapLevel: 2,
  solidThreshold: 60,
  gateTolerance: 20,
  perceptionGapThreshold: 20,
  benchmarkMinCohort: 5,
  recommendationThreshold: 60,
});

export type QuestionType = 'LIKERT' | 'BOOLEAN' | 'SINGLE_CHOICE' | 'MULTI_CHOICE' | 'NUMERIC' | 'TEXT';

/** An option of a SINGLE_CHOICE or MULTI_CHOICE question. */
export interface ChoiceOption {
  code: string;
  /** 0..100 */
  score: number;
  /** MULTI_CHOICE only: this option may only be chosen alone (e.g. "none of these"). */
  exclusive?: boolean;
}

/** A band of a NUMERIC question: values up to and including `upTo` score `score`. */
export interface NumericBand {
  /** null means +∞ and is allowed only on the last band. */
  upTo: number | null;
  score: number;
}

/** A link from a question to a dimension it feeds, with weight w > 0. */
export interface QuestionLink {
  dimension: string;
  weight: number;
}

/** A question is visible only when the respondent's answer to `question` is one of `anyOf`. */
export interface ShowIf {
  question: string;
  /** Option codes (choice questions), booleans (BOOLEAN) or numbers (LIKERT, NUMERIC). */
  anyOf: Array<string | number | boolean>;
}

export interface QuestionDef {
  code: string;
  type: QuestionType;
  /** Empty for TEXT, at least one otherwise. */
  links: QuestionLink[];
  required: boolean;
  allowNotApplicable: boolean;
  /** LIKERT and BOOLEAN only: s ← 100 − s. */
  reverse: boolean;
  critical?: { threshold: number } | null;
  showIf?: ShowIf | null;
  /** LIKERT: integer scale, default 1..5. */
  scale?: { min: number; max: number } | null;
  /** SINGLE_CHOICE and MULTI_CHOICE. */
  options?: ChoiceOption[] | null;
  /** NUMERIC: accepted range and ascending bands (last upTo null). */
  numeric?: { min: number; max: number; bands: NumericBand[] } | null;
}

export type Horizon = 'QUICK_WIN' | 'DAYS_90' | 'YEAR_1';

/** A recommendation template (texts live in the interchange format, not here). */
export interface RecommendationTemplateDef {
  code: string;
  dimension: string;
  /** When set, the target is S_q of this question instead of D_d. */
  question?: string | null;
  /** Defaults to settings.recommendationThreshold. */
  threshold?: number | null;
  /** 1..5 */
  impact: number;
  /** 1..5 */
  effort: number;
  horizon: Horizon;
}

/** One immutable framework version, as the engine sees it. */
export interface FrameworkDef {
  groups: GroupDef[];
  dimensions: DimensionDef[];
  levels: MaturityLevelDef[];
  settings: ScoringSettings;
  /** In questionnaire order: a `showIf` names an earlier question. */
  questions: QuestionDef[];
  recommendations: RecommendationTemplateDef[];
}

/** A raw answer value: LIKERT/NUMERIC number, BOOLEAN boolean, SINGLE_CHOICE/TEXT string, MULTI_CHOICE string[]. */
export type AnswerValue = number | boolean | string | string[];

/** One stored answer: either a value or "not applicable". */
export interface Answer {
  value?: AnswerValue | null;
  notApplicable?: boolean;
}

/** A submitted response. Unsubmitted responses are never passed to the engine. */
export interface RespondentInput {
  id: string;
  /** EXECUTIVE, MANAGER, FRONTLINE or another code the assessment declares. */
  role: string;
  /** Keyed by question code; a missing key is "unanswered". */
  answers: Record<string, Answer>;
}

/** Everything one scoring run needs. */
export interface ScoringInput {
  framework: FrameworkDef;
  respondents: RespondentInput[];
  /** ρ per role code, ≥ 0; a role missing here weighs 1. */
  roleWeights: Record<string, number>;
}
