/**
 * INDEPENDENT reference implementation of docs/scoring.md (version 1), §2–§6 and the
 * statistics of §7, written from the spec text only to cross-check the production engine.
 *
 * Deliberately straightforward and slow: every quantity is computed in exact rational
 * arithmetic (see ./exact.ts) straight from its defining sentence, and converted to a JS
 * number only in the returned object. Nothing here is shared with src/scoring/ except the
 * input types.
 *
 * SILENT: "computed in full precision" is taken as exact arithmetic on the decimal values of
 * the inputs (a weight 0.7 is 7/10, not the nearest double), so every comparison the spec
 * makes (< threshold, ≥ τ, ≥ 0.8, |g| ≥ threshold, ties of P and of shortfalls) is decided on
 * the mathematical value. A float engine can land on the other side of an exact boundary
 * (e.g. coverage (0.1 + 0.7)/1 = 0.7999999999999999 in doubles); such a difference shows a
 * boundary case, to be judged, rather than a reference bug. The only inexact step is the
 * square root of the spread, taken in doubles at the end.
 *
 * Where the spec does not decide something, a `// SILENT:` comment says what was chosen
 * and why, so the two implementations' choices can be compared.
 */
import type {
  Answer,
  AnswerValue,
  DimensionDef,
  FrameworkDef,
  MaturityLevelDef,
  QuestionDef,
  RespondentInput,
  ScoringInput,
} from '../../src/scoring/types';
import { Q, qmin, qsum } from './exact';

// ───────────────────────────────────────────────────────────────────────────────────────
// Result shape
// ───────────────────────────────────────────────────────────────────────────────────────

export type Confidence = 'HIGH' | 'MEDIUM' | 'LOW';

export interface ReferenceDimensionResult {
  score: number | null;
  level: number | null;
  coverage: number | null;
  confidence: Confidence;
  spread: number | null;
  perceptionGap: number | null;
  perceptionGapFlagged: boolean;
  knockedOutQuestions: string[];
}

export interface ReferencePyramidLayer {
  dimension: string;
  layer: number;
  raw: number | null;
  gated: number | null;
  gatedLevel: number | null;
  cappedByLayer: number | null;
}

export interface ReferencePyramid {
  layers: ReferencePyramidLayer[];
  height: number;
  firstWeakLayer: number | null;
}

export interface ReferenceRecommendation {
  code: string;
  tier: 1 | 2 | 3 | 4;
  priority: number;
  evidence: string[];
}

export interface ReferenceResult {
  questionScores: Record<string, number | null>;
  dimensions: Record<string, ReferenceDimensionResult>;
  overall: { score: number | null; level: number | null };
  pyramid: ReferencePyramid | null;
  recommendations: ReferenceRecommendation[];
}

/**
 * Switches for the two readings of the spec that looked most open. The defaults are the
 * literal readings; the alternatives exist only so a divergence can be diagnosed quickly.
 */
export interface ReferenceOptions {
  /**
   * A MULTI_CHOICE answer with no option chosen (`[]`).
   * SILENT: 'NULL' (default): Σ over no options is an empty sum, and "an empty sum makes a score null
   * (not scored), never 0" (docs/scoring.md §0.3) — the answer counts as answered but unscored.
   * 'ZERO': min(100, 0) = 0. 'INVALID': throw (not "a set" the spec accepts).
   */
  emptyMultiChoice?: 'NULL' | 'ZERO' | 'INVALID';
  /**
   * R_rd of a respondent whose role weight ρ_r is 0.
   * SILENT: 'NULL' (default): R_rd is "the dimension score from respondent r's answers alone", i.e.
   * §3's D_d over S_q computed from r alone, and S_q is null when Σρ = 0 — so R_rd is null and
   * the respondent is left out of spread and perception gap.
   * 'UNWEIGHTED': R_rd = Σ w·s(q,r) / Σ w regardless of ρ_r.
   */
  zeroWeightRespondentScore?: 'NULL' | 'UNWEIGHTED';
}

// ───────────────────────────────────────────────────────────────────────────────────────
// §2. One answer → an item score
// ───────────────────────────────────────────────────────────────────────────────────────

/** What one respondent's answer to one question amounts to. */
type ItemOutcome =
  | { kind: 'HIDDEN' } // hidden by showIf: counts as N/A, stored answer ignored
  | { kind: 'NA' } // answered "not applicable"
  | { kind: 'UNANSWERED' }
  | { kind: 'ANSWERED_UNSCORED'; value: AnswerValue } // TEXT, or (option) empty MULTI_CHOICE
  | { kind: 'SCORED'; value: AnswerValue; s: Q };

function isHiddenOrNA(o: ItemOutcome): boolean {
  return o.kind === 'HIDDEN' || o.kind === 'NA';
}

// SILENT: a visible stored answer of the wrong shape cannot exist (§2: rejected, stored nowhere),
// so the reference throws on one instead of guessing; a hidden question's stored answer is
// ignored without being looked at, whatever it holds.
function invalid(q: QuestionDef, msg: string): never {
  throw new Error(`reference: invalid answer to ${q.code} (${q.type}): ${msg}`);
}

/** The item score of a visible answer, following the table of §2. */
function scoreAnswer(q: QuestionDef, answer: Answer | undefined, opts: Required<ReferenceOptions>): ItemOutcome {
  // SILENT: a missing key, `{}`, and `{ value: null }` (without notApplicable) are all "unanswered".
  if (answer === undefined || answer === null) return { kind: 'UNANSWERED' };
  if (answer.notApplicable === true) {
    // SILENT: `notApplicable: true` wins over any `value` stored next to it. N/A on a question
    // without allowNotApplicable cannot have been stored (§2: rejected, stored nowhere): the
    // reference throws rather than guess.
    if (!q.allowNotApplicable) invalid(q, 'not applicable is not allowed');
    return { kind: 'NA' };
  }
  const v = answer.value;
  if (v === undefined || v === null) return { kind: 'UNANSWERED' };

  switch (q.type) {
    case 'LIKERT': {
      // "scale min..max, integers, default 1..5"
      const min = q.scale?.min ?? 1;
      const max = q.scale?.max ?? 5;
      // SILENT: a scale with max ≤ min is an invalid framework; the reference throws.
      if (!(max > min)) throw new Error(`reference: LIKERT ${q.code} has scale ${min}..${max}`);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) invalid(q, JSON.stringify(v));
      // (v − min) / (max − min) × 100
      let s = Q.of(v)
        .sub(Q.of(min))
        .div(Q.of(max).sub(Q.of(min)))
        .mul(Q.HUNDRED);
      if (q.reverse) s = Q.HUNDRED.sub(s);
      return { kind: 'SCORED', value: v, s };
    }
    case 'BOOLEAN': {
      if (typeof v !== 'boolean') invalid(q, JSON.stringify(v));
      let s = v ? Q.HUNDRED : Q.ZERO;
      if (q.reverse) s = Q.HUNDRED.sub(s);
      return { kind: 'SCORED', value: v, s };
    }
    case 'SINGLE_CHOICE': {
      const options = q.options ?? [];
      const opt = typeof v === 'string' ? options.find((o) => o.code === v) : undefined;
      if (!opt) invalid(q, JSON.stringify(v));
      // SILENT: `reverse` is ignored for SINGLE_CHOICE, MULTI_CHOICE and NUMERIC ("LIKERT, BOOLEAN only").
      return { kind: 'SCORED', value: v, s: Q.of(opt.score) };
    }
    case 'MULTI_CHOICE': {
      const options = q.options ?? [];
      if (!Array.isArray(v) || v.some((c) => typeof c !== 'string')) invalid(q, JSON.stringify(v));
      const codes = v;
      if (new Set(codes).size !== codes.length) invalid(q, 'duplicate option codes');
      const chosen = codes.map((c) => options.find((o) => o.code === c));
      if (chosen.some((o) => o === undefined)) invalid(q, 'unknown option code');
      if (chosen.some((o) => o!.exclusive) && chosen.length > 1) invalid(q, 'an exclusive option is not alone');
      if (chosen.length === 0) {
        if (opts.emptyMultiChoice === 'INVALID') invalid(q, 'no option chosen');
        if (opts.emptyMultiChoice === 'NULL') return { kind: 'ANSWERED_UNSCORED', value: codes };
        return { kind: 'SCORED', value: codes, s: Q.ZERO };
      }
      // min(100, Σ scores of chosen options)
      const sum = qsum(chosen.map((o) => Q.of(o!.score)));
      return { kind: 'SCORED', value: codes, s: qmin(Q.HUNDRED, sum) };
    }
    case 'NUMERIC': {
      const numeric = q.numeric;
      if (!numeric) throw new Error(`reference: NUMERIC ${q.code} has no numeric definition`);
      if (typeof v !== 'number' || !Number.isFinite(v) || v < numeric.min || v > numeric.max)
        invalid(q, JSON.stringify(v));
      // "score of the first band with v ≤ upTo" (upTo null = +∞), bands taken in the given order.
      const band = numeric.bands.find((b) => b.upTo === null || b.upTo === undefined || v <= b.upTo);
      // SILENT: with a valid framework the last band is +∞, so some band always matches; if
      // none does the framework is invalid and the reference throws.
      if (!band) throw new Error(`reference: NUMERIC ${q.code}: no band for ${v}`);
      return { kind: 'SCORED', value: v, s: Q.of(band.score) };
    }
    case 'TEXT': {
      if (typeof v !== 'string' || v.length > 5000) invalid(q, 'not a string of at most 5,000 characters');
      return { kind: 'ANSWERED_UNSCORED', value: v };
    }
  }
}

/**
 * Does a (visible, not N/A, answered) parent answer satisfy `anyOf`?
 * MULTI_CHOICE: any chosen option is one of anyOf; otherwise the value is one of anyOf.
 */
function matchesAnyOf(parent: QuestionDef, value: AnswerValue, anyOf: Array<string | number | boolean>): boolean {
  // SILENT: membership is strict equality (===) with no type coercion ("3" ≠ 3, "true" ≠ true).
  if (parent.type === 'MULTI_CHOICE') {
    return Array.isArray(value) && value.some((c) => anyOf.includes(c));
  }
  return !Array.isArray(value) && anyOf.includes(value);
}

/**
 * All item outcomes of one respondent, question by question in questionnaire order.
 * Visibility: a question with showIf is visible only when the respondent's answer to the named
 * (earlier) question is visible, not N/A, (answered) and one of anyOf. Hidden ⇒ counts as N/A and
 * the stored answer is ignored (not even validated).
 */
function respondentOutcomes(
  fw: FrameworkDef,
  r: RespondentInput,
  opts: Required<ReferenceOptions>,
): Map<string, ItemOutcome> {
  const out = new Map<string, ItemOutcome>();
  for (const q of fw.questions) {
    let visible = true;
    if (q.showIf) {
      const parentOutcome = out.get(q.showIf.question);
      // SILENT: showIf naming a question that is not earlier in the questionnaire is an invalid
      // framework; the reference throws.
      if (parentOutcome === undefined) {
        throw new Error(`reference: ${q.code}.showIf names ${q.showIf.question}, not an earlier question`);
      }
      const parent = fw.questions.find((p) => p.code === q.showIf!.question)!;
      if (parentOutcome.kind === 'SCORED' || parentOutcome.kind === 'ANSWERED_UNSCORED') {
        // SILENT: an answered-but-unscored parent (TEXT, or an empty MULTI_CHOICE under the
        // default option) still has an answer and is matched against anyOf like any other.
        visible = matchesAnyOf(parent, parentOutcome.value, q.showIf.anyOf);
      } else {
        // parent hidden, N/A, or unanswered ⇒ not visible
        visible = false;
      }
    }
    out.set(q.code, visible ? scoreAnswer(q, r.answers[q.code], opts) : { kind: 'HIDDEN' });
  }
  return out;
}

// ───────────────────────────────────────────────────────────────────────────────────────
// §3. Aggregation
// ───────────────────────────────────────────────────────────────────────────────────────

/** ρ of a role; a role missing from roleWeights weighs 1. */
function roleWeight(input: ScoringInput, role: string): Q {
  if (Object.prototype.hasOwnProperty.call(input.roleWeights, role)) {
    const w = input.roleWeights[role];
    // SILENT: an explicit null/undefined entry is treated like a missing role (weight 1).
    if (w !== null && w !== undefined) return Q.of(w);
  }
  return Q.ONE;
}

/**
 * S_q = Σ_r ρ_r · s(q, r) / Σ_r ρ_r over the given respondents with a scored answer to q.
 * null if there is none, or if Σ ρ_r = 0.
 */
function questionScore(q: QuestionDef, rows: Array<{ rho: Q; outcomes: Map<string, ItemOutcome> }>): Q | null {
  let num = Q.ZERO;
  let den = Q.ZERO;
  let any = false;
  for (const row of rows) {
    const o = row.outcomes.get(q.code)!;
    if (o.kind !== 'SCORED') continue;
    any = true;
    num = num.add(row.rho.mul(o.s));
    den = den.add(row.rho);
  }
  if (!any || den.isZero()) return null;
  return num.div(den);
}

/** Links of question q to dimension d, with weights summed. */
function linkWeight(q: QuestionDef, dim: string): Q | null {
  const ls = q.links.filter((l) => l.dimension === dim);
  // SILENT: if a question links to the same dimension twice, the link weights are added
  // (equivalent to two terms of the sums). The generator never produces this.
  return ls.length === 0 ? null : qsum(ls.map((l) => Q.of(l.weight)));
}

/** Questions linked to d, in questionnaire order, with w_qd. */
function linkedQuestions(fw: FrameworkDef, dim: string): Array<{ q: QuestionDef; w: Q }> {
  const res: Array<{ q: QuestionDef; w: Q }> = [];
  for (const q of fw.questions) {
    const w = linkWeight(q, dim);
    if (w !== null) res.push({ q, w });
  }
  return res;
}

/** D_d = Σ_q w_qd · S_q / Σ_q w_qd over questions linked to d (given) with S_q not null; null if none. */
function dimensionScore(linked: Array<{ q: QuestionDef; w: Q }>, S: Map<string, Q | null>): Q | null {
  let num = Q.ZERO;
  let den = Q.ZERO;
  let any = false;
  for (const { q, w } of linked) {
    const sq = S.get(q.code);
    if (sq === null || sq === undefined) continue;
    any = true;
    num = num.add(w.mul(sq));
    den = den.add(w);
  }
  if (!any) return null;
  return num.div(den); // den > 0 because every w > 0
}

// ───────────────────────────────────────────────────────────────────────────────────────
// §4. Levels
// ───────────────────────────────────────────────────────────────────────────────────────

/** level(x) = the highest level whose lowerBound ≤ x. */
function levelOf(levels: MaturityLevelDef[], x: Q | null): number | null {
  if (x === null) return null;
  let best: number | null = null;
  for (const l of levels) {
    if (Q.of(l.lowerBound).le(x) && (best === null || l.level > best)) best = l.level;
  }
  // SILENT: unreachable for valid levels (level 1 has lowerBound 0 and scores are ≥ 0).
  return best;
}

function capLevel(level: number | null, capped: boolean, cap: number): number | null {
  // SILENT: a null level stays null under a knockout cap.
  if (level === null || !capped) return level;
  return Math.min(level, cap);
}

// ───────────────────────────────────────────────────────────────────────────────────────
// §7. Benchmark statistics
// ───────────────────────────────────────────────────────────────────────────────────────

/** Percentile rank of x: 100 · (count(v < x) + 0.5 · count(v = x)) / N, N = number of non-null values. */
export function referencePercentileRank(values: Array<number | null>, x: number | null): number | null {
  const vs = values.filter((v): v is number => v !== null && v !== undefined).map(Q.of);
  // SILENT: no values (N = 0) or a null subject ⇒ null.
  if (vs.length === 0 || x === null) return null;
  const xq = Q.of(x);
  const below = vs.filter((v) => v.lt(xq)).length;
  const equal = vs.filter((v) => v.eq(xq)).length;
  return Q.of(100)
    .mul(Q.of(below).add(Q.frac(1, 2).mul(Q.of(equal))))
    .div(Q.of(vs.length))
    .toNumber();
}

/** PostgreSQL percentile_cont(p): sorted ascending, position p·(N−1), linear interpolation. */
export function referencePercentileCont(values: Array<number | null>, p: number): number | null {
  const vs = values
    .filter((v): v is number => v !== null && v !== undefined)
    .map(Q.of)
    .sort((a, b) => a.cmp(b));
  if (vs.length === 0) return null;
  const pos = Q.of(p).mul(Q.of(vs.length - 1));
  const lo = Number(pos.n / pos.d); // floor (pos ≥ 0)
  const frac = pos.sub(Q.of(lo));
  if (frac.isZero()) return vs[lo].toNumber();
  const a = vs[lo];
  const b = vs[lo + 1];
  return a.add(frac.mul(b.sub(a))).toNumber();
}

export function referenceMean(values: Array<number | null>): number | null {
  const vs = values.filter((v): v is number => v !== null && v !== undefined).map(Q.of);
  if (vs.length === 0) return null;
  return qsum(vs).div(Q.of(vs.length)).toNumber();
}

export interface ReferenceBenchmark {
  n: number;
  withheld: 'INSUFFICIENT_COHORT' | null;
  percentileRank: number | null;
  mean: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
}

/**
 * The benchmark figures of one value (a dimension score or the overall score) over a cohort.
 * N = number of cohort values not null; if N < k every figure is withheld (the count N is shown).
 */
export function referenceBenchmark(
  cohortValues: Array<number | null>,
  subject: number | null,
  minCohort: number,
): ReferenceBenchmark {
  const n = cohortValues.filter((v) => v !== null && v !== undefined).length;
  if (n < minCohort) {
    return { n, withheld: 'INSUFFICIENT_COHORT', percentileRank: null, mean: null, p25: null, median: null, p75: null };
  }
  return {
    n,
    withheld: null,
    percentileRank: referencePercentileRank(cohortValues, subject),
    mean: referenceMean(cohortValues),
    p25: referencePercentileCont(cohortValues, 0.25),
    median: referencePercentileCont(cohortValues, 0.5),
    p75: referencePercentileCont(cohortValues, 0.75),
  };
}

// ───────────────────────────────────────────────────────────────────────────────────────
// The whole run, §2–§6
// ───────────────────────────────────────────────────────────────────────────────────────

const num = (x: Q | null): number | null => (x === null ? null : x.toNumber());

/** Ordinal (UTF-16 code unit) comparison of codes. */
function cmpCode(a: string, b: string): number {
  // SILENT: "code ascending" / "ties by question code" use plain ordinal string comparison
  // (JS `<`), not a locale collation.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function referenceScore(input: ScoringInput, options: ReferenceOptions = {}): ReferenceResult {
  const opts: Required<ReferenceOptions> = {
    emptyMultiChoice: options.emptyMultiChoice ?? 'NULL',
    zeroWeightRespondentScore: options.zeroWeightRespondentScore ?? 'NULL',
  };
  const fw = input.framework;
  const settings = fw.settings;

  // ── §2: every respondent's outcome for every question ─────────────────────────────────
  const rows = input.respondents.map((r) => ({
    respondent: r,
    rho: roleWeight(input, r.role),
    outcomes: respondentOutcomes(fw, r, opts),
  }));

  // ── §3: question scores ───────────────────────────────────────────────────────────────
  const S = new Map<string, Q | null>();
  for (const q of fw.questions) {
    // SILENT: TEXT questions are present in questionScores with null (never scored).
    S.set(q.code, questionScore(q, rows));
  }

  // ── §4: knockouts ─────────────────────────────────────────────────────────────────────
  // critical, S_q not null, S_q < critical.threshold
  const knockedOut = new Set<string>();
  for (const q of fw.questions) {
    const sq = S.get(q.code)!;
    if (q.critical && sq !== null && sq.lt(Q.of(q.critical.threshold))) knockedOut.add(q.code);
  }

  // ── §3/§4: dimensions ─────────────────────────────────────────────────────────────────
  const D = new Map<string, Q | null>();
  const dimensions: Record<string, ReferenceDimensionResult> = {};
  for (const dim of fw.dimensions) {
    const linked = linkedQuestions(fw, dim.code);
    const d = dimensionScore(linked, S);
    D.set(dim.code, d);

    // Coverage: (Σ w over linked q with S_q not null) / (Σ w over linked q, leaving out the
    // questions that, for every respondent, were hidden or answered N/A).
    let covNum = Q.ZERO;
    let covDen = Q.ZERO;
    for (const { q, w } of linked) {
      if (S.get(q.code) !== null) covNum = covNum.add(w);
      // SILENT: with no respondents at all, "for every respondent" holds vacuously, so every
      // question is left out, the denominator is 0, coverage is null and confidence LOW.
      const hiddenOrNAForEveryone = rows.every((row) => isHiddenOrNA(row.outcomes.get(q.code)!));
      if (!hiddenOrNAForEveryone) covDen = covDen.add(w);
    }
    const coverage = covDen.isZero() ? null : covNum.div(covDen);
    // SILENT: 0.8 and 0.5 are the exact decimals 4/5 and 1/2 (compared exactly).
    const confidence: Confidence =
      coverage === null ? 'LOW' : coverage.ge(Q.frac(4, 5)) ? 'HIGH' : coverage.ge(Q.frac(1, 2)) ? 'MEDIUM' : 'LOW';

    // Respondent dimension scores R_rd: the dimension score from respondent r's answers alone.
    const R: Array<{ role: string; value: Q }> = [];
    for (const row of rows) {
      const rho = opts.zeroWeightRespondentScore === 'UNWEIGHTED' ? Q.ONE : row.rho;
      const single = [{ rho, outcomes: row.outcomes }];
      const Sr = new Map<string, Q | null>();
      for (const { q } of linked) Sr.set(q.code, questionScore(q, single));
      const rd = dimensionScore(linked, Sr);
      if (rd !== null) R.push({ role: row.respondent.role, value: rd });
    }

    // Spread: population standard deviation of R_rd over respondents with R_rd not null.
    // SILENT: no such respondent ⇒ spread null; exactly one ⇒ 0.
    let spread: number | null = null;
    if (R.length > 0) {
      const mean = qsum(R.map((x) => x.value)).div(Q.of(R.length));
      const variance = qsum(R.map((x) => x.value.sub(mean).mul(x.value.sub(mean)))).div(Q.of(R.length));
      spread = Math.sqrt(variance.toNumber());
    }

    // Perception gap: mean R_rd over EXECUTIVE − mean R_rd over all other respondents
    // (null unless both sides have someone).
    // SILENT: "someone" = a respondent with R_rd not null (respondents whose R_rd is null are
    // not part of either mean). Role codes are matched exactly ('EXECUTIVE').
    const exec = R.filter((x) => x.role === 'EXECUTIVE').map((x) => x.value);
    const others = R.filter((x) => x.role !== 'EXECUTIVE').map((x) => x.value);
    let gap: Q | null = null;
    if (exec.length > 0 && others.length > 0) {
      gap = qsum(exec)
        .div(Q.of(exec.length))
        .sub(qsum(others).div(Q.of(others.length)));
    }
    // flagged when |g_d| ≥ perceptionGapThreshold
    const flagged = gap !== null && gap.abs().ge(Q.of(settings.perceptionGapThreshold));

    // SILENT: knockedOutQuestions lists the knocked-out questions linked to d in questionnaire order.
    const kos = linked.filter(({ q }) => knockedOut.has(q.code)).map(({ q }) => q.code);
    const level = capLevel(levelOf(fw.levels, d), kos.length > 0, settings.knockoutCapLevel);

    dimensions[dim.code] = {
      score: num(d),
      level,
      coverage: num(coverage),
      confidence,
      spread,
      perceptionGap: num(gap),
      perceptionGapFlagged: flagged,
      knockedOutQuestions: kos,
    };
  }

  // ── §4: overall ───────────────────────────────────────────────────────────────────────
  const primaries = fw.groups.filter((g) => g.kind === 'WEIGHTED' && g.primary);
  // SILENT: the primary group is the WEIGHTED group with `primary: true`; anything other than
  // exactly one is an invalid framework and the reference throws.
  if (primaries.length !== 1) throw new Error(`reference: ${primaries.length} primary WEIGHTED groups`);
  const primary = primaries[0];
  let oNum = Q.ZERO;
  let oDen = Q.ZERO;
  let oAny = false;
  for (const dim of fw.dimensions.filter((x) => x.group === primary.code)) {
    const d = D.get(dim.code)!;
    if (d === null) continue;
    oAny = true;
    oNum = oNum.add(Q.of(dim.weight).mul(d));
    oDen = oDen.add(Q.of(dim.weight));
  }
  const O = oAny ? oNum.div(oDen) : null;
  const overallLevel = capLevel(levelOf(fw.levels, O), knockedOut.size > 0, settings.knockoutCapLevel);

  // ── §5: pyramid ───────────────────────────────────────────────────────────────────────
  const layeredGroups = fw.groups.filter((g) => g.kind === 'LAYERED');
  // SILENT: no LAYERED group ⇒ pyramid null; more than one is invalid (throws).
  if (layeredGroups.length > 1) throw new Error('reference: more than one LAYERED group');
  let pyramid: ReferencePyramid | null = null;
  const layerOfDim = new Map<string, number>(); // dimension code → layer, pyramid dims only
  if (layeredGroups.length === 1) {
    const layerDims: DimensionDef[] = fw.dimensions
      .filter((x) => x.group === layeredGroups[0].code)
      .slice()
      .sort((a, b) => (a.layer ?? 0) - (b.layer ?? 0));
    const n = layerDims.length;
    const gamma = Q.of(settings.gateTolerance);
    const tau = Q.of(settings.solidThreshold);
    const G: Array<Q | null> = [];
    const layers: ReferencePyramidLayer[] = [];
    for (let i = 0; i < n; i++) {
      const dim = layerDims[i];
      const k = dim.layer as number;
      layerOfDim.set(dim.code, k);
      const Dk = D.get(dim.code)!;
      // nearest layer below k with G_j not null
      let j = -1;
      for (let t = i - 1; t >= 0; t--) {
        if (G[t] !== null) {
          j = t;
          break;
        }
      }
      let Gk: Q | null;
      let cappedBy: number | null = null;
      if (Dk === null) Gk = null;
      else if (j < 0)
        Gk = Dk; // includes G_1 = D_1
      else {
        Gk = qmin(Dk, G[j]!.add(gamma));
        // "Each layer whose gated score is lower than its raw score reports which layer capped it."
        // SILENT: the layer reported is j (the layer whose G_j + γ is the cap), not the layer at
        // the root of a chain of caps.
        if (Gk.lt(Dk)) cappedBy = layerDims[j].layer as number;
      }
      G.push(Gk);
      const dimKnocked = fw.questions.some((q) => knockedOut.has(q.code) && linkWeight(q, dim.code) !== null);
      layers.push({
        dimension: dim.code,
        layer: k,
        raw: num(Dk),
        gated: num(Gk),
        gatedLevel: capLevel(levelOf(fw.levels, Gk), dimKnocked, settings.knockoutCapLevel),
        cappedByLayer: cappedBy,
      });
    }
    // Height: consecutive layers from the bottom with D_k ≥ τ (a null layer stops the count).
    let H = 0;
    for (const dim of layerDims) {
      const Dk = D.get(dim.code)!;
      if (Dk === null || !Dk.ge(tau)) break;
      H += 1;
    }
    pyramid = { layers, height: H, firstWeakLayer: H < n ? H + 1 : null };
  }

  // ── §6: recommendations ───────────────────────────────────────────────────────────────
  const dimByCode = new Map(fw.dimensions.map((x) => [x.code, x] as const));
  const firstWeak = pyramid?.firstWeakLayer ?? null;
  const fired: Array<{ code: string; tier: 1 | 2 | 3 | 4; P: Q; evidence: string[] }> = [];
  for (const t of fw.recommendations) {
    const dim = dimByCode.get(t.dimension);
    if (!dim) throw new Error(`reference: template ${t.code} names unknown dimension ${t.dimension}`);
    const hasQuestion = t.question !== null && t.question !== undefined;
    // SILENT: a template whose question is not in the framework never fires (its S_q does not exist).
    const target: Q | null = hasQuestion ? (S.get(t.question!) ?? null) : D.get(t.dimension)!;
    // SILENT: a template threshold of null/undefined means "not set"; 0 is a real threshold.
    const threshold = Q.of(
      t.threshold !== null && t.threshold !== undefined ? t.threshold : settings.recommendationThreshold,
    );
    if (target === null || !target.lt(threshold)) continue;

    const gap = threshold.sub(target).div(Q.HUNDRED);
    const sameGroup = fw.dimensions.filter((x) => x.group === dim.group);
    const maxOmega = sameGroup.map((x) => Q.of(x.weight)).reduce((a, b) => (b.gt(a) ? b : a));
    const weight = Q.of(dim.weight).div(maxOmega);
    const P = gap.mul(weight).mul(Q.of(t.impact)).div(Q.of(t.effort));

    let tier: 1 | 2 | 3 | 4;
    const questionKnocked = hasQuestion && knockedOut.has(t.question!);
    const dimensionKnocked =
      !hasQuestion && fw.questions.some((q) => knockedOut.has(q.code) && linkWeight(q, t.dimension) !== null);
    const layer = layerOfDim.get(t.dimension);
    if (questionKnocked || dimensionKnocked) tier = 1;
    else if (firstWeak !== null && layer === firstWeak) tier = 2;
    // SILENT: with no first weak layer (H = n, or no pyramid) nothing is DEFERRED.
    else if (firstWeak !== null && layer !== undefined && layer > firstWeak) tier = 4;
    else tier = 3;

    let evidence: string[];
    if (hasQuestion) {
      evidence = [t.question!];
    } else {
      // up to 3 questions linked to d with S_q not null and the largest positive shortfall
      // w_qd · (100 − S_q), largest first (ties by question code).
      // SILENT: a zero shortfall (S_q = 100) is not "positive" and is never evidence.
      const cands = linkedQuestions(fw, t.dimension)
        .filter(({ q }) => S.get(q.code) !== null)
        .map(({ q, w }) => ({ code: q.code, shortfall: w.mul(Q.HUNDRED.sub(S.get(q.code)!)) }))
        .filter((c) => c.shortfall.gt(Q.ZERO))
        .sort((a, b) => b.shortfall.cmp(a.shortfall) || cmpCode(a.code, b.code));
      evidence = cands.slice(0, 3).map((c) => c.code);
    }
    fired.push({ code: t.code, tier, P, evidence });
  }
  // Order: tier ascending, then P descending, then code ascending (P ties decided exactly).
  fired.sort((a, b) => a.tier - b.tier || b.P.cmp(a.P) || cmpCode(a.code, b.code));

  const questionScores: Record<string, number | null> = {};
  for (const q of fw.questions) questionScores[q.code] = num(S.get(q.code)!);

  return {
    questionScores,
    dimensions,
    overall: { score: num(O), level: overallLevel },
    pyramid,
    recommendations: fired.map((f) => ({ code: f.code, tier: f.tier, priority: f.P.toNumber(), evidence: f.evidence })),
  };
}
