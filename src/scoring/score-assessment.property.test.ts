/**
 * Properties of the engine over random valid frameworks and answers (fast-check).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { validateAnswer } from './answer-validation';
import { itemScore } from './item-score';
import type { AssessmentResult } from './result-types';
import { scoreAssessment } from './score-assessment';
import { answerDomain, reorderQuestions, scoringInputArb, shuffled } from './testing/arbitraries';
import type { QuestionDef, ScoringInput } from './types';

const RUNS = { numRuns: 300 };
const TOL = 1e-9;

function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= TOL * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Compares two results on everything docs/scoring.md defines, by code (so questionnaire order
 * does not matter): numbers within 1e-9, levels, tiers, flags and orders exactly.
 */
function sameScores(a: AssessmentResult, b: AssessmentResult, skipQuestion?: string): string[] {
  const errors: string[] = [];
  const check = (what: string, x: number | null, y: number | null) => {
    if (!close(x, y)) errors.push(`${what}: ${x} vs ${y}`);
  };
  const eq = (what: string, x: unknown, y: unknown) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) errors.push(`${what}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  };
  const bq = new Map(b.questions.map((q) => [q.question, q]));
  for (const q of a.questions) {
    if (q.question === skipQuestion) continue;
    const o = bq.get(q.question)!;
    check(`S ${q.question}`, q.score, o.score);
    eq(`knockout ${q.question}`, q.knockedOut, o.knockedOut);
  }
  const bd = new Map(b.dimensions.map((d) => [d.dimension, d]));
  for (const d of a.dimensions) {
    const o = bd.get(d.dimension)!;
    check(`D ${d.dimension}`, d.score, o.score);
    check(`C ${d.dimension}`, d.coverage, o.coverage);
    check(`σ ${d.dimension}`, d.spread, o.spread);
    check(`g ${d.dimension}`, d.perceptionGap, o.perceptionGap);
    eq(
      `levels ${d.dimension}`,
      [d.level, d.uncappedLevel, d.confidence, d.perceptionGapFlagged],
      [o.level, o.uncappedLevel, o.confidence, o.perceptionGapFlagged],
    );
    eq(`knockouts ${d.dimension}`, [...d.knockedOutQuestions].sort(), [...o.knockedOutQuestions].sort());
  }
  check('O', a.overall.score, b.overall.score);
  eq('overall level', [a.overall.level, a.overall.knockoutCapped], [b.overall.level, b.overall.knockoutCapped]);
  if (a.pyramid && b.pyramid) {
    eq('height', [a.pyramid.height, a.pyramid.firstWeakLayer], [b.pyramid.height, b.pyramid.firstWeakLayer]);
    a.pyramid.layers.forEach((l, i) => {
      const o = b.pyramid!.layers[i];
      check(`G ${l.dimension}`, l.gatedScore, o.gatedScore);
      eq(
        `layer ${l.dimension}`,
        [l.dimension, l.gatedLevel, l.cappedByLayer],
        [o.dimension, o.gatedLevel, o.cappedByLayer],
      );
    });
  } else eq('pyramid', a.pyramid, b.pyramid);
  eq(
    'recommendations',
    a.recommendations.map((r) => [r.code, r.tier, r.evidence.map((e) => e.question)]),
    b.recommendations.map((r) => [r.code, r.tier, r.evidence.map((e) => e.question)]),
  );
  a.recommendations.forEach(
    (r, i) => b.recommendations[i] && check(`P ${r.code}`, r.priority, b.recommendations[i].priority),
  );
  return errors;
}

function hasDependents(input: ScoringInput, code: string): boolean {
  return input.framework.questions.some((q) => q.showIf?.question === code);
}

describe('engine properties', () => {
  it('every generated answer is valid, and validation agrees with item scoring', () => {
    fc.assert(
      fc.property(scoringInputArb(), (input) => {
        const result = scoreAssessment(input);
        expect(result.ignoredAnswers).toEqual([]);
        for (const r of input.respondents) {
          for (const q of input.framework.questions) {
            const a = r.answers[q.code];
            if (a) expect(validateAnswer(q, a)).toEqual([]);
          }
        }
      }),
      RUNS,
    );
  });

  it('every score is within [0, 100], coverage within [0, 1], gated ≤ raw', () => {
    fc.assert(
      fc.property(scoringInputArb(), (input) => {
        const r = scoreAssessment(input);
        const inRange = (x: number | null, lo = 0, hi = 100) => x === null || (x >= lo - TOL && x <= hi + TOL);
        for (const q of r.questions) expect(inRange(q.score)).toBe(true);
        for (const d of r.dimensions) {
          expect(inRange(d.score)).toBe(true);
          expect(inRange(d.coverage, 0, 1)).toBe(true);
          expect(inRange(d.spread, 0, 50)).toBe(true);
          expect(inRange(d.executiveMean)).toBe(true);
          expect(inRange(d.othersMean)).toBe(true);
          expect(inRange(d.perceptionGap, -100, 100)).toBe(true);
          if (d.level !== null && d.uncappedLevel !== null) expect(d.level).toBeLessThanOrEqual(d.uncappedLevel);
        }
        expect(inRange(r.overall.score)).toBe(true);
        for (const l of r.pyramid?.layers ?? []) {
          expect(inRange(l.gatedScore)).toBe(true);
          if (l.rawScore !== null) expect(l.gatedScore!).toBeLessThanOrEqual(l.rawScore);
          else expect(l.gatedScore).toBeNull();
        }
        for (const rec of r.recommendations) {
          expect(rec.priority).toBeGreaterThan(0);
          expect(rec.weight).toBeLessThanOrEqual(1);
          expect(rec.evidence.length).toBeLessThanOrEqual(3);
        }
      }),
      RUNS,
    );
  });

  it('does not depend on the order of the respondents', () => {
    fc.assert(
      fc.property(scoringInputArb(), fc.nat(), (input, seed) => {
        const other = { ...input, respondents: shuffled(input.respondents, seed) };
        expect(sameScores(scoreAssessment(input), scoreAssessment(other))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('does not depend on the order of the questions (showIf still naming earlier questions)', () => {
    fc.assert(
      fc.property(scoringInputArb(), fc.nat(), (input, seed) => {
        const framework = { ...input.framework, questions: reorderQuestions(input.framework.questions, seed) };
        expect(sameScores(scoreAssessment(input), scoreAssessment({ ...input, framework }))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('does not depend on the order of the dimensions and templates', () => {
    fc.assert(
      fc.property(scoringInputArb(), fc.nat(), (input, seed) => {
        const framework = {
          ...input.framework,
          dimensions: shuffled(input.framework.dimensions, seed),
          recommendations: shuffled(input.framework.recommendations, seed + 1),
        };
        expect(sameScores(scoreAssessment(input), scoreAssessment({ ...input, framework }))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('removing a question everybody answered N/A changes no score', () => {
    fc.assert(
      fc.property(scoringInputArb(), fc.nat(), (input, pick) => {
        const candidates = input.framework.questions.filter(
          (q) => q.allowNotApplicable && !hasDependents(input, q.code),
        );
        fc.pre(candidates.length > 0);
        const target = candidates[pick % candidates.length];
        const allNa: ScoringInput = {
          ...input,
          respondents: input.respondents.map((r) => ({
            ...r,
            answers: { ...r.answers, [target.code]: { notApplicable: true } },
          })),
        };
        const without: ScoringInput = {
          ...allNa,
          framework: {
            ...input.framework,
            questions: input.framework.questions.filter((q) => q !== target),
            recommendations: input.framework.recommendations.filter((t) => t.question !== target.code),
          },
        };
        expect(sameScores(scoreAssessment(allNa), scoreAssessment(without), target.code)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('duplicating every respondent changes no score, spread or gap', () => {
    fc.assert(
      fc.property(scoringInputArb(), (input) => {
        const doubled = {
          ...input,
          respondents: [...input.respondents, ...input.respondents.map((r) => ({ ...r, id: `${r.id}-copy` }))],
        };
        expect(sameScores(scoreAssessment(input), scoreAssessment(doubled))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('raising one answer never lowers a score of a dimension it feeds', () => {
    fc.assert(
      fc.property(scoringInputArb(), fc.nat(), fc.nat(), fc.nat(), (input, rPick, qPick, vPick) => {
        fc.pre(input.respondents.length > 0);
        const respondent = input.respondents[rPick % input.respondents.length];
        const candidates = input.framework.questions.filter((q) => {
          const a = respondent.answers[q.code];
          return (
            !q.reverse && q.type !== 'TEXT' && !hasDependents(input, q.code) && a !== undefined && !a.notApplicable
          );
        });
        fc.pre(candidates.length > 0);
        const q: QuestionDef = candidates[qPick % candidates.length];
        const old = itemScore(q, respondent.answers[q.code]) as number;
        const higher = answerDomain(q).filter((v) => (itemScore(q, v) as number) >= old);
        const value = higher[vPick % higher.length];
        const raised: ScoringInput = {
          ...input,
          respondents: input.respondents.map((r) =>
            r === respondent ? { ...r, answers: { ...r.answers, [q.code]: { value } } } : r,
          ),
        };
        const before = scoreAssessment(input);
        const after = scoreAssessment(raised);
        for (const link of q.links) {
          const b = before.dimensions.find((d) => d.dimension === link.dimension)!.score;
          const a = after.dimensions.find((d) => d.dimension === link.dimension)!.score;
          // Visible before, still visible after: the dimension had a score and keeps one.
          if (b !== null) expect(a! >= b - TOL).toBe(true);
        }
        const qb = before.questions.find((x) => x.question === q.code)!.score;
        const qa = after.questions.find((x) => x.question === q.code)!.score;
        if (qb !== null) expect(qa! >= qb - TOL).toBe(true);
      }),
      RUNS,
    );
  });

  it('is deterministic and does not modify its input', () => {
    fc.assert(
      fc.property(scoringInputArb(), (input) => {
        const copy = JSON.parse(JSON.stringify(input));
        const a = scoreAssessment(input);
        expect(JSON.parse(JSON.stringify(input))).toEqual(copy);
        expect(scoreAssessment(input)).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });
});
