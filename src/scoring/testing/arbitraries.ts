/**
 * Test-only fast-check generators of valid frameworks, answers and whole scoring inputs.
 *
 * A framework is generated from a list of question "blueprints" (plain numbers and
 * booleans, so fast-check can shrink them) that are then turned into valid questions:
 * a showIf always names an earlier question and picks its anyOf from that question's
 * possible answers; answers are always valid for their question.
 */
import fc from 'fast-check';
import {
  DEFAULT_SETTINGS,
  type Answer,
  type AnswerValue,
  type DimensionDef,
  type FrameworkDef,
  type MaturityLevelDef,
  type QuestionDef,
  type QuestionType,
  type RecommendationTemplateDef,
  type RespondentInput,
  type ScoringInput,
} from '../types';

const TYPES: QuestionType[] = ['LIKERT', 'LIKERT', 'BOOLEAN', 'SINGLE_CHOICE', 'MULTI_CHOICE', 'NUMERIC', 'TEXT'];
export const ROLES = ['EXECUTIVE', 'MANAGER', 'FRONTLINE', 'PARTNER'];

interface QuestionBlueprint {
  type: number;
  scaleMin: number;
  scaleSpan: number;
  optionScores: number[];
  exclusiveNone: boolean;
  bandSteps: number[];
  bandScores: number[];
  links: Array<{ dim: number; weight: number }>;
  reverse: boolean;
  allowNA: boolean;
  critical: number | null;
  showIf: { parent: number; picks: number[] } | null;
  required: boolean;
}

const weightArb = fc.constantFrom(0.5, 1, 1, 1, 2, 3);

const blueprintArb: fc.Arbitrary<QuestionBlueprint> = fc.record({
  type: fc.nat({ max: TYPES.length - 1 }),
  scaleMin: fc.integer({ min: 0, max: 2 }),
  scaleSpan: fc.integer({ min: 1, max: 6 }),
  optionScores: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 4 }),
  exclusiveNone: fc.boolean(),
  bandSteps: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 0, maxLength: 3 }),
  bandScores: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 4, maxLength: 4 }),
  links: fc.array(fc.record({ dim: fc.nat(), weight: weightArb }), { minLength: 1, maxLength: 3 }),
  reverse: fc.boolean(),
  allowNA: fc.boolean(),
  critical: fc.option(fc.integer({ min: 0, max: 100 }), { freq: 3 }),
  showIf: fc.option(fc.record({ parent: fc.nat(), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }) }), {
    freq: 3,
  }),
  required: fc.boolean(),
});

/** Every answer value a question accepts that the generators use (NUMERIC: band edges and more). */
export function answerDomain(q: QuestionDef): AnswerValue[] {
  switch (q.type) {
    case 'LIKERT': {
      const out: number[] = [];
      for (let v = q.scale!.min; v <= q.scale!.max; v++) out.push(v);
      return out;
    }
    case 'BOOLEAN':
      return [false, true];
    case 'SINGLE_CHOICE':
      return q.options!.map((o) => o.code);
    case 'MULTI_CHOICE': {
      const normal = q.options!.filter((o) => !o.exclusive).map((o) => o.code);
      const out: AnswerValue[] = q.options!.filter((o) => o.exclusive).map((o) => [o.code]);
      // every non-empty subset of the normal options
      for (let mask = 1; mask < 1 << normal.length; mask++) out.push(normal.filter((_, i) => mask & (1 << i)));
      return out;
    }
    case 'NUMERIC': {
      const n = q.numeric!;
      const out = new Set<number>([n.min, n.max, (n.min + n.max) / 2]);
      for (const b of n.bands) {
        if (b.upTo === null) continue;
        for (const v of [b.upTo, b.upTo + 0.5, b.upTo - 0.25]) if (v >= n.min && v <= n.max) out.add(v);
      }
      return [...out].sort((a, b) => a - b);
    }
    case 'TEXT':
      return ['yes', 'no', ''];
  }
}

function buildQuestion(bp: QuestionBlueprint, index: number, dims: string[], earlier: QuestionDef[]): QuestionDef {
  const type = TYPES[bp.type];
  const code = `Q${index}`;
  const links =
    type === 'TEXT'
      ? []
      : [...new Map(bp.links.map((l) => [dims[l.dim % dims.length], l.weight])).entries()].map(
          ([dimension, weight]) => ({ dimension, weight }),
        );
  const q: QuestionDef = {
    code,
    type,
    links,
    required: bp.required,
    allowNotApplicable: bp.allowNA,
    reverse: (type === 'LIKERT' || type === 'BOOLEAN') && bp.reverse,
    critical: type !== 'TEXT' && bp.critical !== null ? { threshold: bp.critical } : null,
  };
  if (type === 'LIKERT') q.scale = { min: bp.scaleMin, max: bp.scaleMin + bp.scaleSpan };
  if (type === 'SINGLE_CHOICE' || type === 'MULTI_CHOICE') {
    q.options = bp.optionScores.map((score, i) => ({ code: `O${i}`, score }));
    if (type === 'MULTI_CHOICE' && bp.exclusiveNone) q.options.push({ code: 'NONE', score: 0, exclusive: true });
  }
  if (type === 'NUMERIC') {
    let upTo = 0;
    const bands = bp.bandSteps.map((step, i): { upTo: number | null; score: number } => {
      upTo += step;
      return { upTo: upTo, score: bp.bandScores[i] };
    });
    bands.push({ upTo: null, score: bp.bandScores[3] });
    q.numeric = { min: 0, max: upTo + 20, bands };
  }
  if (bp.showIf && earlier.length > 0) {
    const parent = earlier[bp.showIf.parent % earlier.length];
    const domain = answerDomain(parent);
    // For a MULTI_CHOICE parent anyOf holds option codes, not sets.
    const atoms: Array<string | number | boolean> =
      parent.type === 'MULTI_CHOICE'
        ? parent.options!.map((o) => o.code)
        : (domain as Array<string | number | boolean>);
    q.showIf = { question: parent.code, anyOf: [...new Set(bp.showIf.picks.map((p) => atoms[p % atoms.length]))] };
  }
  return q;
}

function levelsFrom(bounds: number[] | null): MaturityLevelDef[] {
  if (bounds === null) {
    return [
      { level: 1, code: 'UNCERTAINTY', lowerBound: 0 },
      { level: 2, code: 'ALIGNMENT', lowerBound: 20 },
      { level: 3, code: 'EXPERIENCE', lowerBound: 40 },
      { level: 4, code: 'OWNERSHIP', lowerBound: 60 },
      { level: 5, code: 'AMAZEMENT', lowerBound: 80 },
    ];
  }
  const sorted = [...new Set(bounds)].sort((a, b) => a - b);
  return [0, ...sorted.filter((b) => b > 0)].map((lowerBound, i) => ({ level: i + 1, code: `L${i + 1}`, lowerBound }));
}

/** A valid framework: a primary group, maybe a pyramid, 1..maxQuestions questions, templates. */
export function frameworkArb(maxQuestions = 10): fc.Arbitrary<FrameworkDef> {
  return fc
    .record({
      elementWeights: fc.array(weightArb, { minLength: 1, maxLength: 4 }),
      layerWeights: fc.array(weightArb, { minLength: 0, maxLength: 4 }),
      levelBounds: fc.option(fc.array(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 5 })),
      knockoutCapLevel: fc.integer({ min: 1, max: 3 }),
      solidThreshold: fc.integer({ min: 0, max: 100 }),
      gateTolerance: fc.integer({ min: 0, max: 50 }),
      perceptionGapThreshold: fc.integer({ min: 0, max: 50 }),
      recommendationThreshold: fc.integer({ min: 0, max: 100 }),
      blueprints: fc.array(blueprintArb, { minLength: 1, maxLength: maxQuestions }),
      templates: fc.array(
        fc.record({
          dim: fc.nat(),
          question: fc.option(fc.nat()),
          threshold: fc.option(fc.integer({ min: 0, max: 100 })),
          impact: fc.integer({ min: 1, max: 5 }),
          effort: fc.integer({ min: 1, max: 5 }),
        }),
        { maxLength: 6 },
      ),
    })
    .map((g) => {
      const dimensions: DimensionDef[] = [
        ...g.elementWeights.map((weight, i) => ({ code: `E${i}`, group: 'ELEMENTS', weight, layer: null })),
        ...g.layerWeights.map((weight, i) => ({ code: `P${i + 1}`, group: 'PYRAMID', weight, layer: i + 1 })),
      ];
      const dims = dimensions.map((d) => d.code);
      const questions: QuestionDef[] = [];
      g.blueprints.forEach((bp, i) => questions.push(buildQuestion(bp, i, dims, questions)));
      const scored = questions.filter((q) => q.type !== 'TEXT');
      const recommendations: RecommendationTemplateDef[] = g.templates.map((t, i) => ({
        code: `R${i}`,
        dimension: dims[t.dim % dims.length],
        question: t.question !== null && scored.length > 0 ? scored[t.question % scored.length].code : null,
        threshold: t.threshold,
        impact: t.impact,
        effort: t.effort,
        horizon: 'DAYS_90',
      }));
      const levels = levelsFrom(g.levelBounds);
      return {
        groups: [
          { code: 'ELEMENTS', kind: 'WEIGHTED' as const, primary: true },
          ...(g.layerWeights.length > 0 ? [{ code: 'PYRAMID', kind: 'LAYERED' as const, primary: false }] : []),
        ],
        dimensions,
        levels,
        settings: {
          ...DEFAULT_SETTINGS,
          knockoutCapLevel: Math.min(g.knockoutCapLevel, levels.length),
          solidThreshold: g.solidThreshold,
          gateTolerance: g.gateTolerance,
          perceptionGapThreshold: g.perceptionGapThreshold,
          recommendationThreshold: g.recommendationThreshold,
        },
        questions,
        recommendations,
      };
    });
}

/** Decodes one generated pick into an answer: unanswered, N/A (where allowed) or a valid value. */
function decodeAnswer(q: QuestionDef, mode: number, pick: number): Answer | undefined {
  if (mode === 0) return undefined;
  if (mode === 1 && q.allowNotApplicable) return { notApplicable: true };
  const domain = answerDomain(q);
  return { value: domain[pick % domain.length] };
}

/** Respondents with valid answers to a given framework. */
export function respondentsArb(framework: FrameworkDef, maxRespondents = 6): fc.Arbitrary<RespondentInput[]> {
  const n = framework.questions.length;
  return fc
    .array(
      fc.record({
        role: fc.constantFrom(...ROLES),
        modes: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: n, maxLength: n }),
        picks: fc.array(fc.nat({ max: 1000 }), { minLength: n, maxLength: n }),
      }),
      { maxLength: maxRespondents },
    )
    .map((rs) =>
      rs.map((r, i) => {
        const answers: Record<string, Answer> = {};
        framework.questions.forEach((q, k) => {
          const a = decodeAnswer(q, r.modes[k], r.picks[k]);
          if (a) answers[q.code] = a;
        });
        return { id: `r${i}`, role: r.role, answers };
      }),
    );
}

/** Role weights: some roles missing (weight 1), some 0. */
export const roleWeightsArb: fc.Arbitrary<Record<string, number>> = fc
  .array(fc.tuple(fc.constantFrom(...ROLES), fc.constantFrom(0, 0.5, 1, 2, 3)), { maxLength: 4 })
  .map((pairs) => Object.fromEntries(pairs));

/** A whole valid scoring input. */
export function scoringInputArb(maxQuestions = 10, maxRespondents = 6): fc.Arbitrary<ScoringInput> {
  return frameworkArb(maxQuestions).chain((framework) =>
    fc.record({
      framework: fc.constant(framework),
      respondents: respondentsArb(framework, maxRespondents),
      roleWeights: roleWeightsArb,
    }),
  );
}

/** Fisher–Yates shuffle driven by a seed (test-only, deterministic). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Reorders questions randomly while every showIf still names an earlier question: at each
 * step the next question is picked among those whose parent is already placed.
 */
export function reorderQuestions(questions: readonly QuestionDef[], seed: number): QuestionDef[] {
  const priority = new Map(shuffled(questions, seed).map((q, i) => [q.code, i]));
  const placed = new Set<string>();
  const rest = [...questions];
  const out: QuestionDef[] = [];
  while (rest.length > 0) {
    let best = -1;
    for (let i = 0; i < rest.length; i++) {
      const parent = rest[i].showIf?.question;
      if (parent !== undefined && !placed.has(parent)) continue;
      if (best < 0 || priority.get(rest[i].code)! < priority.get(rest[best].code)!) best = i;
    }
    const [q] = rest.splice(best, 1);
    placed.add(q.code);
    out.push(q);
  }
  return out;
}
