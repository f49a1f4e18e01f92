/**
 * Seeded pseudo-random generator of valid scoring inputs (framework + submitted responses +
 * role weights), for cross-checking the production engine against the reference scorer.
 *
 * Deterministic: `randomCase(seed)` always returns the same input. No dependencies.
 */
import type {
  Answer,
  AnswerValue,
  ChoiceOption,
  DimensionDef,
  FrameworkDef,
  GroupDef,
  Horizon,
  MaturityLevelDef,
  NumericBand,
  QuestionDef,
  QuestionLink,
  QuestionType,
  RecommendationTemplateDef,
  RespondentInput,
  ScoringInput,
  ScoringSettings,
} from '../../src/scoring/types';

/** mulberry32: a tiny 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** integer in [a, b] */
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  /** a number in [a, b] with 2 decimals (like a numeric(…, 2) column), or sometimes a "round" one */
  weight(a: number, b: number): number {
    if (this.chance(0.3)) return this.pick([0.5, 1, 1, 1.5, 2, 3].filter((x) => x >= a && x <= b));
    return Math.round((a + this.next() * (b - a)) * 100) / 100;
  }
  shuffle<T>(xs: T[]): T[] {
    const a = xs.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }
  /** k distinct elements */
  sample<T>(xs: readonly T[], k: number): T[] {
    return this.shuffle(xs.slice()).slice(0, Math.min(k, xs.length));
  }
}

export interface RandomCaseOptions {
  /**
   * Whether some MULTI_CHOICE answers are `[]` (no option chosen). The spec leaves their
   * score open (see ReferenceOptions.emptyMultiChoice); default true so the point is exercised.
   */
  emptyMultiChoice?: boolean;
  /** Whether a second, non-primary WEIGHTED group may appear (valid per §1). Default true. */
  secondaryWeightedGroup?: boolean;
}

const DEFAULT_LEVELS: MaturityLevelDef[] = [
  { level: 1, code: 'UNCERTAINTY', lowerBound: 0 },
  { level: 2, code: 'ALIGNMENT', lowerBound: 20 },
  { level: 3, code: 'EXPERIENCE', lowerBound: 40 },
  { level: 4, code: 'OWNERSHIP', lowerBound: 60 },
  { level: 5, code: 'AMAZEMENT', lowerBound: 80 },
];

const DEFAULT_SETTINGS: ScoringSettings = {
  knockoutCapLevel: 2,
  solidThreshold: 60,
  gateTolerance: 20,
  perceptionGapThreshold: 20,
  benchmarkMinCohort: 5,
  recommendationThreshold: 60,
};

const ROLES = ['EXECUTIVE', 'MANAGER', 'FRONTLINE', 'OTHER'];
const HORIZONS: Horizon[] = ['QUICK_WIN', 'DAYS_90', 'YEAR_1'];

/** Distinct random codes with a prefix, deliberately not in creation order. */
function codes(rng: Rng, prefix: string, n: number): string[] {
  const used = new Set<string>();
  const out: string[] = [];
  while (out.length < n) {
    // Mix of separators so ordinal ordering is exercised ('-' < digits < letters < '_').
    const c = `${prefix}${rng.pick(['', '_', '-'])}${rng.int(1, 99)}`;
    if (!used.has(c)) {
      used.add(c);
      out.push(c);
    }
  }
  return out;
}

function randomLevels(rng: Rng): MaturityLevelDef[] {
  if (rng.chance(0.5)) return DEFAULT_LEVELS.map((l) => ({ ...l }));
  const m = rng.int(2, 7);
  const levels: MaturityLevelDef[] = [{ level: 1, code: 'L1', lowerBound: 0 }];
  let bound = 0;
  for (let i = 2; i <= m; i++) {
    bound += rng.chance(0.7) ? rng.int(5, Math.max(5, Math.floor(90 / m))) : Math.round(rng.float() * 150 + 1) / 10;
    if (bound >= 100) break;
    levels.push({ level: i, code: `L${i}`, lowerBound: Math.round(bound * 10) / 10 });
  }
  return levels;
}

function randomSettings(rng: Rng, levelCount: number): ScoringSettings {
  if (rng.chance(0.4)) return { ...DEFAULT_SETTINGS };
  return {
    knockoutCapLevel: rng.int(1, levelCount),
    solidThreshold: rng.chance(0.5) ? 60 : rng.int(30, 85),
    gateTolerance: rng.chance(0.5) ? 20 : rng.int(0, 40),
    perceptionGapThreshold: rng.chance(0.5) ? 20 : rng.int(1, 40),
    benchmarkMinCohort: rng.int(1, 10),
    recommendationThreshold: rng.chance(0.5) ? 60 : rng.int(30, 95),
  };
}

function randomQuestion(
  rng: Rng,
  code: string,
  type: QuestionType,
  dims: DimensionDef[],
  unlinked: Set<string>,
): QuestionDef {
  const q: QuestionDef = {
    code,
    type,
    links: [],
    required: rng.chance(0.5),
    allowNotApplicable: rng.chance(0.3),
    reverse: false,
  };
  switch (type) {
    case 'LIKERT': {
      const r = rng.int(0, 4);
      if (r === 0)
        q.scale = null; // default 1..5
      else if (r === 1) q.scale = { min: 1, max: 5 };
      else if (r === 2) q.scale = { min: 0, max: 10 };
      else {
        const min = rng.int(-2, 2);
        q.scale = { min, max: min + rng.int(1, 9) };
      }
      q.reverse = rng.chance(0.25);
      break;
    }
    case 'BOOLEAN':
      q.reverse = rng.chance(0.25);
      break;
    case 'SINGLE_CHOICE': {
      const n = rng.int(2, 5);
      q.options = Array.from({ length: n }, (_, i) => ({
        code: `o${i + 1}`,
        score: rng.chance(0.3) ? rng.pick([0, 25, 50, 75, 100]) : rng.int(0, 100),
      }));
      break;
    }
    case 'MULTI_CHOICE': {
      const n = rng.int(2, 6);
      const options: ChoiceOption[] = Array.from({ length: n }, (_, i) => ({
        code: `m${i + 1}`,
        // sums of a few of these exceed 100
        score: rng.chance(0.2) ? rng.pick([0, 50, 100]) : rng.int(0, 70),
      }));
      if (rng.chance(0.7)) options.push({ code: 'none', score: rng.chance(0.7) ? 0 : rng.int(0, 40), exclusive: true });
      q.options = rng.shuffle(options);
      break;
    }
    case 'NUMERIC': {
      const min = rng.chance(0.7) ? 0 : rng.int(-50, 50);
      const max = min + rng.pick([10, 20, 100, 1000]);
      const nb = rng.int(1, 4);
      const cuts = rng
        .sample(
          Array.from({ length: max - min }, (_, i) => min + i),
          nb - 1,
        )
        .sort((a, b) => a - b);
      const bands: NumericBand[] = cuts.map((c) => ({ upTo: c, score: rng.int(0, 100) }));
      bands.push({ upTo: null, score: rng.int(0, 100) });
      q.numeric = { min, max, bands };
      break;
    }
    case 'TEXT':
      break;
  }
  if (type !== 'TEXT') {
    const k = rng.int(1, Math.min(3, dims.length));
    let chosen = rng.sample(dims, k);
    // Mostly make sure every dimension ends up with a question (a few stay empty on purpose).
    const stillEmpty = dims.filter((d) => unlinked.has(d.code));
    if (stillEmpty.length > 0 && !chosen.some((d) => unlinked.has(d.code)) && rng.chance(0.85)) {
      chosen = [rng.pick(stillEmpty), ...chosen.slice(1)];
    }
    for (const d of chosen) unlinked.delete(d.code);
    q.links = chosen.map((d): QuestionLink => ({ dimension: d.code, weight: rng.weight(0.5, 3) }));
    if (rng.chance(0.15)) q.critical = { threshold: rng.chance(0.5) ? 50 : rng.int(10, 80) };
  }
  return q;
}

/** A few values a respondent could give to q, used for showIf.anyOf. */
function someValues(rng: Rng, q: QuestionDef): Array<string | number | boolean> {
  switch (q.type) {
    case 'BOOLEAN':
      return rng.pick([[true], [false], [true, false]]);
    case 'LIKERT': {
      const min = q.scale?.min ?? 1;
      const max = q.scale?.max ?? 5;
      const all = Array.from({ length: max - min + 1 }, (_, i) => min + i);
      return rng.sample(all, rng.int(1, Math.max(1, Math.ceil(all.length / 2))));
    }
    case 'SINGLE_CHOICE':
    case 'MULTI_CHOICE': {
      const all = (q.options ?? []).map((o) => o.code);
      return rng.sample(all, rng.int(1, Math.max(1, all.length - 1)));
    }
    case 'NUMERIC':
      return rng.sample(numericCandidates(q), rng.int(1, 3));
    case 'TEXT':
      return ['yes'];
  }
}

/** A small set of values a respondent picks from for a NUMERIC question (incl. band edges). */
function numericCandidates(q: QuestionDef): number[] {
  const n = q.numeric!;
  const set = new Set<number>([n.min, n.max, Math.floor((n.min + n.max) / 2)]);
  for (const b of n.bands)
    if (b.upTo !== null) {
      set.add(b.upTo);
      if (b.upTo + 1 <= n.max) set.add(b.upTo + 1);
    }
  return [...set].sort((a, b) => a - b);
}

/** A valid value for q; `bias` ∈ [0,1] tilts a respondent towards high or low answers. */
function randomValue(rng: Rng, q: QuestionDef, bias: number, opts: Required<RandomCaseOptions>): AnswerValue {
  const tilt = (): number =>
    rng.chance(0.6) ? Math.min(1, Math.max(0, bias + (rng.float() - 0.5) * 0.5)) : rng.float();
  switch (q.type) {
    case 'LIKERT': {
      const min = q.scale?.min ?? 1;
      const max = q.scale?.max ?? 5;
      return Math.min(max, min + Math.floor(tilt() * (max - min + 1)));
    }
    case 'BOOLEAN':
      return tilt() >= 0.5;
    case 'SINGLE_CHOICE': {
      const sorted = (q.options ?? []).slice().sort((a, b) => a.score - b.score);
      return sorted[Math.min(sorted.length - 1, Math.floor(tilt() * sorted.length))].code;
    }
    case 'MULTI_CHOICE': {
      const options = q.options ?? [];
      const exclusive = options.filter((o) => o.exclusive);
      const normal = options.filter((o) => !o.exclusive);
      if (opts.emptyMultiChoice && rng.chance(0.07)) return [];
      if (exclusive.length > 0 && rng.chance(0.15 * (1 - bias))) return [exclusive[0].code];
      const k = Math.max(1, Math.min(normal.length, Math.round(tilt() * normal.length)));
      return rng.sample(normal, k).map((o) => o.code);
    }
    case 'NUMERIC': {
      const n = q.numeric!;
      if (rng.chance(0.6)) return rng.pick(numericCandidates(q));
      // sometimes a non-integer value
      return rng.chance(0.5) ? rng.int(n.min, n.max) : Math.round((n.min + rng.float() * (n.max - n.min)) * 100) / 100;
    }
    case 'TEXT':
      return rng.pick(['yes', 'no', '', 'We do this quarterly.']);
  }
}

export function randomCase(seed: number, options: RandomCaseOptions = {}): ScoringInput {
  const opts: Required<RandomCaseOptions> = {
    emptyMultiChoice: options.emptyMultiChoice ?? true,
    secondaryWeightedGroup: options.secondaryWeightedGroup ?? true,
  };
  const rng = new Rng(seed);

  // ── groups and dimensions ──
  const groups: GroupDef[] = [{ code: 'ELEMENTS', kind: 'WEIGHTED', primary: true }];
  const dimensions: DimensionDef[] = [];
  const nE = rng.int(2, 6);
  const equalWeights = rng.chance(0.2);
  for (const c of codes(rng, 'E', nE)) {
    dimensions.push({ code: c, group: 'ELEMENTS', weight: equalWeights ? 1 : rng.weight(0.5, 3), layer: null });
  }
  if (rng.chance(0.7)) {
    groups.push({ code: 'PYRAMID', kind: 'LAYERED', primary: false });
    const nP = rng.int(2, 7);
    const pcodes = codes(rng, 'P', nP);
    for (let k = 1; k <= nP; k++) {
      dimensions.push({
        code: pcodes[k - 1],
        group: 'PYRAMID',
        weight: rng.chance(0.5) ? 1 : rng.weight(0.5, 3),
        layer: k,
      });
    }
  }
  if (opts.secondaryWeightedGroup && rng.chance(0.15)) {
    groups.push({ code: 'EXTRA', kind: 'WEIGHTED', primary: false });
    for (const c of codes(rng, 'X', rng.int(1, 3)))
      dimensions.push({ code: c, group: 'EXTRA', weight: rng.weight(0.5, 3) });
  }
  // dimensions in a shuffled order (the engine must not depend on it)
  const dims = rng.shuffle(dimensions);

  // ── levels, settings ──
  const levels = randomLevels(rng);
  const settings = randomSettings(rng, levels.length);

  // ── questions ──
  const nQ = rng.int(5, 40);
  const types: QuestionType[] = [
    'LIKERT',
    'LIKERT',
    'LIKERT',
    'BOOLEAN',
    'SINGLE_CHOICE',
    'MULTI_CHOICE',
    'NUMERIC',
    'TEXT',
  ];
  const qcodes = codes(rng, 'Q', nQ);
  const questions: QuestionDef[] = [];
  const unlinked = new Set(dims.map((d) => d.code));
  for (let i = 0; i < nQ; i++) {
    // make sure every type appears when there is room for it
    const type =
      i < 6 && nQ >= 12
        ? (['LIKERT', 'BOOLEAN', 'SINGLE_CHOICE', 'MULTI_CHOICE', 'NUMERIC', 'TEXT'] as QuestionType[])[i]
        : rng.pick(types);
    const q = randomQuestion(rng, qcodes[i], type, dims, unlinked);
    const earlier = questions.filter((p) => p.type !== 'TEXT');
    if (earlier.length > 0 && rng.chance(0.25)) {
      const parent = rng.pick(earlier);
      q.showIf = { question: parent.code, anyOf: someValues(rng, parent) };
    }
    questions.push(q);
  }

  // ── recommendation templates ──
  const recommendations: RecommendationTemplateDef[] = [];
  const rcodes = codes(rng, 'R', dims.length * 3 + 5);
  let rc = 0;
  const tiedImpact = rng.int(1, 5);
  const tiedEffort = rng.int(1, 5);
  for (const d of dims) {
    const n = rng.int(0, 3);
    const linked = questions.filter((q) => q.links.some((l) => l.dimension === d.code));
    for (let i = 0; i < n; i++) {
      const tied = rng.chance(0.5);
      const t: RecommendationTemplateDef = {
        code: rcodes[rc++],
        dimension: d.code,
        question: null,
        threshold: null,
        impact: tied ? tiedImpact : rng.int(1, 5),
        effort: tied ? tiedEffort : rng.int(1, 5),
        horizon: rng.pick(HORIZONS),
      };
      if (linked.length > 0 && rng.chance(0.35)) t.question = rng.pick(linked).code;
      if (rng.chance(0.35)) t.threshold = rng.chance(0.3) ? 60 : rng.int(30, 95);
      if (rng.chance(0.2)) delete (t as Partial<RecommendationTemplateDef>).question; // absent rather than null
      recommendations.push(t);
    }
  }

  const framework: FrameworkDef = {
    groups,
    dimensions: dims,
    levels: rng.chance(0.2) ? rng.shuffle(levels) : levels,
    settings,
    questions,
    recommendations: rng.shuffle(recommendations),
  };

  // ── role weights ──
  const roleWeights: Record<string, number> = {};
  if (!rng.chance(0.2)) {
    for (const role of ROLES) {
      if (rng.chance(0.3)) continue; // missing ⇒ weighs 1
      roleWeights[role] = rng.chance(0.15) ? 0 : rng.chance(0.4) ? rng.pick([0.5, 1, 2, 3]) : rng.weight(0.1, 3);
    }
  }

  // ── respondents ──
  const nR = rng.chance(0.1) ? rng.int(0, 2) : rng.int(0, 30);
  const orgMaturity = Math.sqrt(rng.float()); // skewed towards mature, so pyramids get some height
  const orgSpread = rng.pick([0.2, 0.6, 1]);
  // Some organisations have a solid base and a weaker top of the pyramid (bottom layers easier).
  const gradient = rng.chance(0.5) ? rng.float() * 0.08 : 0;
  const questionOffset = new Map<string, number>();
  for (const q of questions) {
    const layer = Math.max(0, ...q.links.map((l) => dims.find((d) => d.code === l.dimension)?.layer ?? 0));
    questionOffset.set(q.code, (rng.float() - 0.5) * 0.3 + (layer > 0 ? gradient * (3 - layer) : 0));
  }
  const respondents: RespondentInput[] = [];
  for (let i = 0; i < nR; i++) {
    const role = rng.pick(ROLES);
    // respondents of one organisation agree more or less with each other
    const bias = Math.min(1, Math.max(0, orgMaturity + (rng.float() - 0.5) * orgSpread));
    const missingRate = rng.pick([0, 0.05, 0.2, 0.5]);
    const answers: Record<string, Answer> = {};
    for (const q of questions) {
      let qBias = Math.min(1, Math.max(0, bias + questionOffset.get(q.code)!));
      if (q.reverse) qBias = 1 - qBias; // a mature organisation disagrees with a reverse-coded statement
      // Answers are stored even where showIf will hide the question: they must be ignored.
      if (rng.chance(missingRate)) {
        if (rng.chance(0.2)) answers[q.code] = { value: null };
        continue;
      }
      if (q.allowNotApplicable && rng.chance(0.2)) {
        answers[q.code] = { notApplicable: true };
        continue;
      }
      const value = randomValue(rng, q, qBias, opts);
      answers[q.code] = rng.chance(0.2) ? { value, notApplicable: false } : { value };
    }
    respondents.push({ id: `r${i + 1}`, role, answers });
  }

  return { framework, respondents, roleWeights };
}
