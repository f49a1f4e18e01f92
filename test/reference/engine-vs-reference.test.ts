/**
 * The production engine against the independent reference implementation of docs/scoring.md
 * (written from the contract alone, in exact arithmetic), on randomly generated frameworks
 * and answers: every score within 0.05, every level, confidence, flag, tier and order equal.
 */
import { scoreAssessment } from '../../src/scoring';
import { referenceScore } from './reference-scoring';
import { randomCase } from './random-framework';

const TOLERANCE = 0.05;
const SEEDS = Number(process.env.REFERENCE_SEEDS ?? 400);

function close(a: number | null | undefined, b: number | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  return Math.abs(a - b) <= TOLERANCE;
}

function compare(seed: number, emptyMultiChoice: boolean): string[] {
  const input = randomCase(seed, { emptyMultiChoice });
  const ref = referenceScore(input);
  const out = scoreAssessment(input);
  const diffs: string[] = [];
  const check = (what: string, ok: boolean, a: unknown, b: unknown) => {
    if (!ok) diffs.push(`seed ${seed}: ${what}: engine ${JSON.stringify(a)} vs reference ${JSON.stringify(b)}`);
  };

  for (const q of out.questions)
    check(`S_${q.question}`, close(q.score, ref.questionScores[q.question]), q.score, ref.questionScores[q.question]);
  for (const d of out.dimensions) {
    const r = ref.dimensions[d.dimension];
    check(`D_${d.dimension}`, close(d.score, r.score), d.score, r.score);
    check(`level_${d.dimension}`, d.level === r.level, d.level, r.level);
    check(`coverage_${d.dimension}`, close(d.coverage, r.coverage), d.coverage, r.coverage);
    check(`confidence_${d.dimension}`, d.confidence === r.confidence, d.confidence, r.confidence);
    check(`spread_${d.dimension}`, close(d.spread, r.spread), d.spread, r.spread);
    check(`gap_${d.dimension}`, close(d.perceptionGap, r.perceptionGap), d.perceptionGap, r.perceptionGap);
    check(
      `gapFlag_${d.dimension}`,
      d.perceptionGapFlagged === r.perceptionGapFlagged,
      d.perceptionGapFlagged,
      r.perceptionGapFlagged,
    );
    check(
      `knockouts_${d.dimension}`,
      JSON.stringify(d.knockedOutQuestions) === JSON.stringify(r.knockedOutQuestions),
      d.knockedOutQuestions,
      r.knockedOutQuestions,
    );
  }
  check('overall score', close(out.overall.score, ref.overall.score), out.overall.score, ref.overall.score);
  check('overall level', out.overall.level === ref.overall.level, out.overall.level, ref.overall.level);

  check(
    'pyramid present',
    (out.pyramid === null) === (ref.pyramid === null),
    out.pyramid === null,
    ref.pyramid === null,
  );
  if (out.pyramid && ref.pyramid) {
    check('height', out.pyramid.height === ref.pyramid.height, out.pyramid.height, ref.pyramid.height);
    check(
      'first weak layer',
      out.pyramid.firstWeakLayer === ref.pyramid.firstWeakLayer,
      out.pyramid.firstWeakLayer,
      ref.pyramid.firstWeakLayer,
    );
    out.pyramid.layers.forEach((l, i) => {
      const r = ref.pyramid!.layers[i];
      check(`layer ${l.layer} dimension`, l.dimension === r.dimension, l.dimension, r.dimension);
      check(`layer ${l.layer} raw`, close(l.rawScore, r.raw), l.rawScore, r.raw);
      check(`layer ${l.layer} gated`, close(l.gatedScore, r.gated), l.gatedScore, r.gated);
      check(`layer ${l.layer} gated level`, l.gatedLevel === r.gatedLevel, l.gatedLevel, r.gatedLevel);
      check(`layer ${l.layer} capped by`, l.cappedByLayer === r.cappedByLayer, l.cappedByLayer, r.cappedByLayer);
    });
  }

  const engineOrder = out.recommendations.map((r) => `${r.code}:${r.tier}`);
  const refOrder = ref.recommendations.map((r) => `${r.code}:${r.tier}`);
  check(
    'recommendations (code:tier, in order)',
    JSON.stringify(engineOrder) === JSON.stringify(refOrder),
    engineOrder,
    refOrder,
  );
  if (engineOrder.length === refOrder.length) {
    out.recommendations.forEach((r, i) => {
      const rr = ref.recommendations[i];
      check(`priority ${r.code}`, Math.abs(r.priority - rr.priority) <= 1e-6, r.priority, rr.priority);
      const evidence = r.evidence.map((e) => e.question);
      check(`evidence ${r.code}`, JSON.stringify(evidence) === JSON.stringify(rr.evidence), evidence, rr.evidence);
    });
  }
  return diffs;
}

describe('engine vs independent reference implementation', () => {
  it(`agrees on ${SEEDS} random frameworks and answer sets`, () => {
    const diffs: string[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) diffs.push(...compare(seed, false));
    expect(diffs.slice(0, 20)).toEqual([]);
  });

  it('agrees when some multi-choice answers are empty selections (the engine ignores them; the reference scores them as nothing)', () => {
    const diffs: string[] = [];
    for (let seed = 1001; seed <= 1000 + Math.ceil(SEEDS / 4); seed++) diffs.push(...compare(seed, true));
    expect(diffs.slice(0, 20)).toEqual([]);
  });
});
