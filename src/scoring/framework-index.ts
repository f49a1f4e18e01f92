/**
 * A framework prepared for fast scoring: per-question lookup tables and per-dimension
 * link lists, built once per scoring run so the hot loops use arrays, not object lookups.
 */
import type { DimensionDef, FrameworkDef, MaturityLevelDef, QuestionDef, ScoringSettings } from './types';

/** Question kinds as small integers: the hot loop switches on these. */
export const KIND_LIKERT = 0;
export const KIND_BOOLEAN = 1;
export const KIND_SINGLE = 2;
export const KIND_MULTI = 3;
export const KIND_NUMERIC = 4;
export const KIND_TEXT = 5;
export const KIND_UNKNOWN = 6;

/** Maximum TEXT answer length in Unicode code points (docs/scoring.md §2). */
export const MAX_TEXT_LENGTH = 5000;

/** Showif reference that does not name an earlier question: the question is never visible. */
export const PARENT_INVALID = -2;
/** No showIf: always visible. */
export const PARENT_NONE = -1;

/** One question prepared for scoring. */
export interface IndexedQuestion {
  readonly def: QuestionDef;
  readonly code: string;
  readonly index: number;
  readonly kind: number;
  readonly allowNotApplicable: boolean;
  /** Applied only to LIKERT and BOOLEAN (§2). */
  readonly reverse: boolean;
  readonly likertMin: number;
  readonly likertMax: number;
  /** Option code → option score (choice questions). */
  readonly optionScore: Map<string, number> | null;
  /**
   * MULTI_CHOICE: option code → score, or −1 − score for an exclusive option, so that one
   * lookup per chosen code answers both "known?" and "exclusive?".
   */
  readonly multiOption: Map<string, number> | null;
  readonly numericMin: number;
  readonly numericMax: number;
  /** Band upper bounds, +∞ for a null upTo. */
  readonly bandUpTo: Float64Array;
  readonly bandScore: Float64Array;
  /** Index of the showIf question, PARENT_NONE or PARENT_INVALID. */
  readonly parent: number;
  readonly anyOf: Set<string | number | boolean> | null;
  /** Dimension indexes and weights of the question's links. */
  readonly linkDimension: Int32Array;
  readonly linkWeight: Float64Array;
  /** critical.threshold, or NaN when not critical. */
  readonly criticalThreshold: number;
}

/** A framework prepared for scoring. */
export interface FrameworkIndex {
  readonly framework: FrameworkDef;
  readonly settings: ScoringSettings;
  readonly questions: IndexedQuestion[];
  readonly questionIndex: Map<string, number>;
  readonly dimensions: DimensionDef[];
  readonly dimensionIndex: Map<string, number>;
  /** Per dimension: linked question indexes and link weights, in questionnaire order. */
  readonly dimensionQuestions: Int32Array[];
  readonly dimensionLinkWeights: Float64Array[];
  /** Levels sorted by lowerBound ascending. */
  readonly levels: MaturityLevelDef[];
  readonly primaryGroup: string | null;
  readonly layeredGroup: string | null;
}

function kindOf(type: string): number {
  switch (type) {
    case 'LIKERT':
      return KIND_LIKERT;
    case 'BOOLEAN':
      return KIND_BOOLEAN;
    case 'SINGLE_CHOICE':
      return KIND_SINGLE;
    case 'MULTI_CHOICE':
      return KIND_MULTI;
    case 'NUMERIC':
      return KIND_NUMERIC;
    case 'TEXT':
      return KIND_TEXT;
    default:
      return KIND_UNKNOWN;
  }
}

/**
 * Prepares one question for scoring. `questionIndex` maps the codes of the questions
 * before this one (a showIf may only name an earlier question).
 */
export function indexQuestion(
  def: QuestionDef,
  index: number,
  earlierQuestions: ReadonlyMap<string, number>,
  dimensionIndex: ReadonlyMap<string, number>,
): IndexedQuestion {
  const kind = kindOf(def.type);
  let optionScore: Map<string, number> | null = null;
  let multiOption: Map<string, number> | null = null;
  if (kind === KIND_SINGLE || kind === KIND_MULTI) {
    optionScore = new Map();
    multiOption = new Map();
    for (const option of def.options ?? []) {
      if (!optionScore.has(option.code)) {
        optionScore.set(option.code, option.score);
        multiOption.set(option.code, option.exclusive ? -1 - option.score : option.score);
      }
    }
  }
  const bands = def.numeric?.bands ?? [];
  const bandUpTo = new Float64Array(bands.length);
  const bandScore = new Float64Array(bands.length);
  bands.forEach((band, i) => {
    bandUpTo[i] = band.upTo === null || band.upTo === undefined ? Infinity : band.upTo;
    bandScore[i] = band.score;
  });
  let parent = PARENT_NONE;
  let anyOf: Set<string | number | boolean> | null = null;
  if (def.showIf) {
    const p = earlierQuestions.get(def.showIf.question);
    parent = p === undefined || p >= index ? PARENT_INVALID : p;
    anyOf = new Set(def.showIf.anyOf);
  }
  // A link to an unknown dimension cannot feed anything, so it is dropped rather than
  // crashing; two links to one dimension act as one link with the summed weight.
  const merged = new Map<number, number>();
  for (const l of def.links ?? []) {
    const d = dimensionIndex.get(l.dimension);
    if (d !== undefined) merged.set(d, (merged.get(d) ?? 0) + l.weight);
  }
  const linkDimension = Int32Array.from(merged.keys());
  const linkWeight = Float64Array.from(merged.values());
  return {
    def,
    code: def.code,
    index,
    kind,
    allowNotApplicable: def.allowNotApplicable === true,
    reverse: def.reverse === true && (kind === KIND_LIKERT || kind === KIND_BOOLEAN),
    likertMin: def.scale?.min ?? 1,
    likertMax: def.scale?.max ?? 5,
    optionScore,
    multiOption,
    numericMin: def.numeric?.min ?? -Infinity,
    numericMax: def.numeric?.max ?? Infinity,
    bandUpTo,
    bandScore,
    parent,
    anyOf,
    linkDimension,
    linkWeight,
    criticalThreshold: def.critical ? def.critical.threshold : NaN,
  };
}

/**
 * Builds the lookup tables of a framework once, for one or many scoring runs.
 */
export function indexFramework(framework: FrameworkDef): FrameworkIndex {
  const dimensions = framework.dimensions;
  const dimensionIndex = new Map<string, number>();
  dimensions.forEach((d, i) => {
    if (!dimensionIndex.has(d.code)) dimensionIndex.set(d.code, i);
  });
  const questionIndex = new Map<string, number>();
  const questions: IndexedQuestion[] = [];
  framework.questions.forEach((q, i) => {
    questions.push(indexQuestion(q, i, questionIndex, dimensionIndex));
    if (!questionIndex.has(q.code)) questionIndex.set(q.code, i);
  });
  const qLists: number[][] = dimensions.map(() => []);
  const wLists: number[][] = dimensions.map(() => []);
  for (const q of questions) {
    for (let l = 0; l < q.linkDimension.length; l++) {
      qLists[q.linkDimension[l]].push(q.index);
      wLists[q.linkDimension[l]].push(q.linkWeight[l]);
    }
  }
  const levels = [...framework.levels].sort((a, b) => a.lowerBound - b.lowerBound);
  const primary = framework.groups.find((g) => g.kind === 'WEIGHTED' && g.primary);
  const layered = framework.groups.find((g) => g.kind === 'LAYERED');
  return {
    framework,
    settings: framework.settings,
    questions,
    questionIndex,
    dimensions,
    dimensionIndex,
    dimensionQuestions: qLists.map((l) => Int32Array.from(l)),
    dimensionLinkWeights: wLists.map((l) => Float64Array.from(l)),
    levels,
    primaryGroup: primary ? primary.code : null,
    layeredGroup: layered ? layered.code : null,
  };
}
