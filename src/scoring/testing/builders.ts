/**
 * Test-only builders: short ways to write frameworks and answers in table-driven tests.
 */
import {
  DEFAULT_SETTINGS,
  type Answer,
  type AnswerValue,
  type DimensionDef,
  type FrameworkDef,
  type GroupDef,
  type MaturityLevelDef,
  type QuestionDef,
  type RecommendationTemplateDef,
  type RespondentInput,
  type ScoringSettings,
} from '../types';

/** The default five stages of great service. */
export const DEFAULT_LEVELS: MaturityLevelDef[] = [
  { level: 1, code: 'UNCERTAINTY', lowerBound: 0 },
  { level: 2, code: 'ALIGNMENT', lowerBound: 20 },
  { level: 3, code: 'EXPERIENCE', lowerBound: 40 },
  { level: 4, code: 'OWNERSHIP', lowerBound: 60 },
  { level: 5, code: 'AMAZEMENT', lowerBound: 80 },
];

/** A question with sensible defaults: LIKERT 1..5, not required, no N/A, not reverse. */
export function question(code: string, partial: Partial<QuestionDef> = {}): QuestionDef {
  return {
    code,
    type: 'LIKERT',
    links: [],
    required: false,
    allowNotApplicable: false,
    reverse: false,
    ...partial,
  };
}

/** A LIKERT 1..5 question linked to the given dimensions (weight 1 unless given as [dim, w]). */
export function likert(
  code: string,
  links: Array<string | [string, number]>,
  partial: Partial<QuestionDef> = {},
): QuestionDef {
  return question(code, {
    type: 'LIKERT',
    scale: { min: 1, max: 5 },
    links: links.map((l) => (typeof l === 'string' ? { dimension: l, weight: 1 } : { dimension: l[0], weight: l[1] })),
    ...partial,
  });
}

export interface FrameworkSpec {
  /** Dimension codes of the primary ELEMENTS group (or full defs). */
  elements?: Array<string | (Partial<DimensionDef> & { code: string })>;
  /** Dimension codes of the PYRAMID group, bottom to top. */
  pyramid?: Array<string | (Partial<DimensionDef> & { code: string })>;
  questions: QuestionDef[];
  recommendations?: RecommendationTemplateDef[];
  settings?: Partial<ScoringSettings>;
  levels?: MaturityLevelDef[];
}

/** A framework with a primary ELEMENTS group and, when `pyramid` is given, a PYRAMID group. */
export function framework(spec: FrameworkSpec): FrameworkDef {
  const groups: GroupDef[] = [{ code: 'ELEMENTS', kind: 'WEIGHTED', primary: true }];
  const dimensions: DimensionDef[] = [];
  for (const e of spec.elements ?? []) {
    const d = typeof e === 'string' ? { code: e } : e;
    dimensions.push({ group: 'ELEMENTS', weight: 1, layer: null, ...d });
  }
  if (spec.pyramid) {
    groups.push({ code: 'PYRAMID', kind: 'LAYERED', primary: false });
    spec.pyramid.forEach((p, i) => {
      const d = typeof p === 'string' ? { code: p } : p;
      dimensions.push({ group: 'PYRAMID', weight: 1, layer: i + 1, ...d });
    });
  }
  return {
    groups,
    dimensions,
    levels: spec.levels ?? DEFAULT_LEVELS,
    settings: { ...DEFAULT_SETTINGS, ...spec.settings },
    questions: spec.questions,
    recommendations: spec.recommendations ?? [],
  };
}

/** A recommendation template with impact 3, effort 3, horizon DAYS_90 unless given. */
export function template(
  code: string,
  dimension: string,
  partial: Partial<RecommendationTemplateDef> = {},
): RecommendationTemplateDef {
  return { code, dimension, impact: 3, effort: 3, horizon: 'DAYS_90', ...partial };
}

/** Answer shorthand: a value, 'NA' for not applicable, or undefined for unanswered. */
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- 'NA' is named for the reader; string already admits it
export type AnswerShorthand = AnswerValue | 'NA' | undefined;

/** A respondent from shorthand answers keyed by question code. */
export function respondent(id: string, role: string, answers: Record<string, AnswerShorthand>): RespondentInput {
  const out: Record<string, Answer> = {};
  for (const [code, a] of Object.entries(answers)) {
    if (a === undefined) continue;
    out[code] = a === 'NA' ? { notApplicable: true } : { value: a };
  }
  return { id, role, answers: out };
}
