/**
 * docs/scoring.md §6: firing, priority, tiers, order and evidence.
 */
import { describe, expect, it } from '@jest/globals';
import { compareRecommendations, dimensionEvidence } from './recommendations';
import { scoreAssessment } from './score-assessment';
import { framework, likert, respondent, template } from './testing/builders';

// LIKERT 0..100 so that s = v and every number below is easy to follow.
const pct = { scale: { min: 0, max: 100 } };
const fw = framework({
  elements: [{ code: 'A', weight: 2 }, 'B'],
  pyramid: ['P1', 'P2', 'P3'],
  questions: [
    likert('QA1', ['A'], pct),
    likert('QA2', [['A', 2]], pct),
    likert('QA3', ['A'], pct),
    likert('QA4', ['A'], { ...pct, critical: { threshold: 30 } }),
    likert('QB1', ['B'], pct),
    likert('QP1', ['P1'], pct),
    likert('QP2', ['P2'], pct),
    likert('QP3', ['P3'], pct),
    likert('QNULL', ['P3'], pct),
  ],
  recommendations: [
    template('R_A', 'A'), // default threshold 60
    template('R_A70', 'A', { threshold: 70, impact: 4, effort: 2 }),
    template('R_B', 'B', { impact: 3, effort: 3 }),
    template('R_QB', 'B', { question: 'QB1', threshold: 50, impact: 2, effort: 1 }),
    template('R_ALPHA', 'B', { question: 'QB1', threshold: 50, impact: 2, effort: 1 }),
    template('R_P1', 'P1', { threshold: 80 }),
    template('R_P1B', 'P1', { threshold: 90, impact: 1, effort: 1 }),
    template('R_P2', 'P2', { impact: 1, effort: 1 }),
    template('R_P3', 'P3', { impact: 5, effort: 1 }),
    template('R_NULL', 'P3', { question: 'QNULL' }),
    template('R_QA1', 'A', { question: 'QA1', threshold: 60 }),
    template('R_QA4', 'A', { question: 'QA4', threshold: 50 }),
  ],
});
const score = (a: Record<string, number>) =>
  scoreAssessment({ framework: fw, roleWeights: {}, respondents: [respondent('r', 'MANAGER', a)] });

describe('recommendations without knockouts', () => {
  // A = (50 + 2·40 + 90 + 100)/5 = 320/5 = 64; B = 30; P1 = 70, P2 = 40, P3 = 20 (QNULL unanswered)
  // pyramid: 70 ≥ 60, 40 < 60 → H = 1, first weak layer 2 (P2); P3 is above it
  const result = score({ QA1: 50, QA2: 40, QA3: 90, QA4: 100, QB1: 30, QP1: 70, QP2: 40, QP3: 20 });
  const rec = (code: string) => result.recommendations.find((r) => r.code === code);

  it('order: tier ascending, priority descending, code ascending', () => {
    expect(result.recommendations.map((r) => r.code)).toEqual([
      'R_P2', // tier 2, P 0.2
      'R_ALPHA', // tier 3, P 0.2 (tie → code)
      'R_P1B', // tier 3, P 0.2
      'R_QB', // tier 3, P 0.2
      'R_B', // tier 3, P 0.15
      'R_A70', // tier 3, P 0.12
      'R_P1', // tier 3, P 0.1
      'R_QA1', // tier 3, P 0.1 (tie with R_P1 → code)
      'R_P3', // tier 4, P 2
    ]);
  });

  it.each<[string, number, number, number, number, number, number, string]>([
    // code, target, threshold, gap, weight, priority, tier, tierName
    ['R_A70', 64, 70, 0.06, 1, 0.12, 3, 'IMPROVEMENT'], // gap (70−64)/100; weight 2/2; P = 0.06·1·4/2
    ['R_B', 30, 60, 0.3, 0.5, 0.15, 3, 'IMPROVEMENT'], // weight ω_B/max ω(A, B) = 1/2; P = 0.3·0.5·3/3
    ['R_QB', 30, 50, 0.2, 0.5, 0.2, 3, 'IMPROVEMENT'], // target S_QB1 = 30; P = 0.2·0.5·2/1
    ['R_P1', 70, 80, 0.1, 1, 0.1, 3, 'IMPROVEMENT'], // P1 is below the first weak layer: 0.1·1·3/3
    ['R_P1B', 70, 90, 0.2, 1, 0.2, 3, 'IMPROVEMENT'], // 0.2·1·1/1
    ['R_P2', 40, 60, 0.2, 1, 0.2, 2, 'FOUNDATION'], // the first weak layer: 0.2·1·1/1
    ['R_P3', 20, 60, 0.4, 1, 2, 4, 'DEFERRED'], // above the first weak layer: 0.4·1·5/1
    ['R_QA1', 50, 60, 0.1, 1, 0.1, 3, 'IMPROVEMENT'], // target S_QA1 = 50: 0.1·1·3/3
  ])('%s', (code, target, threshold, gap, weight, priority, tier, tierName) => {
    const r = rec(code)!;
    expect(r.target).toBeCloseTo(target, 10);
    expect(r.threshold).toBe(threshold);
    expect(r.gap).toBeCloseTo(gap, 12);
    expect(r.weight).toBeCloseTo(weight, 12);
    expect(r.priority).toBeCloseTo(priority, 12);
    expect(r.tier).toBe(tier);
    expect(r.tierName).toBe(tierName);
  });

  it('does not fire at or above the threshold, or without a target', () => {
    expect(rec('R_A')).toBeUndefined(); // A = 64 ≥ 60
    expect(rec('R_QA4')).toBeUndefined(); // QA4 = 100 ≥ 50
    expect(rec('R_NULL')).toBeUndefined(); // S_QNULL null
  });

  it('evidence: the largest shortfalls w·(100 − S_q) of the dimension, at most 3', () => {
    // QA1 1·(100−50) = 50; QA2 2·(100−40) = 120; QA3 1·10 = 10; QA4 1·0 = 0 (not positive)
    expect(rec('R_A70')!.evidence).toEqual([
      { question: 'QA2', score: 40, linkWeight: 2, shortfall: 120 },
      { question: 'QA1', score: 50, linkWeight: 1, shortfall: 50 },
      { question: 'QA3', score: 90, linkWeight: 1, shortfall: 10 },
    ]);
    // a question template: that question
    expect(rec('R_QB')!.evidence).toEqual([{ question: 'QB1', score: 30, linkWeight: 1, shortfall: 70 }]);
    // P3: QP3 = 20 → 80; QNULL has no score → left out
    expect(rec('R_P3')!.evidence.map((e) => e.question)).toEqual(['QP3']);
  });
});

describe('recommendations with a knockout', () => {
  // QA4 = 10 < 30: knocked out. A = (50 + 2·40 + 90 + 10)/5 = 230/5 = 46
  const result = score({ QA1: 50, QA2: 40, QA3: 90, QA4: 10, QB1: 30, QP1: 70, QP2: 40, QP3: 20 });
  const rec = (code: string) => result.recommendations.find((r) => r.code === code)!;

  it.each<[string, number, string]>([
    ['R_A', 1, 'CRITICAL'], // a dimension template whose dimension has a knocked-out question
    ['R_QA4', 1, 'CRITICAL'], // a question template whose question is knocked out
    ['R_QA1', 3, 'IMPROVEMENT'], // a question template on a knocked-out dimension, its own question fine
    ['R_A70', 1, 'CRITICAL'],
  ])('%s → tier %d %s', (code, tier, name) => {
    expect(rec(code).tier).toBe(tier);
    expect(rec(code).tierName).toBe(name);
  });

  it('critical ones come first, by priority', () => {
    // R_A: gap (60−46)/100 = 0.14, weight 1, P = 0.14·3/3 = 0.14
    // R_A70: gap 0.24, P = 0.24·4/2 = 0.48
    // R_QA4: target 10, gap 0.4, P = 0.4·3/3 = 0.4
    expect(result.recommendations.slice(0, 3).map((r) => [r.code, r.priority])).toEqual([
      ['R_A70', expect.closeTo(0.48, 12)],
      ['R_QA4', expect.closeTo(0.4, 12)],
      ['R_A', expect.closeTo(0.14, 12)],
    ]);
    // evidence of R_A: QA2 120, QA4 90, QA1 50 (QA3 10 is the 4th)
    expect(rec('R_A').evidence.map((e) => [e.question, e.shortfall])).toEqual([
      ['QA2', 120],
      ['QA4', 90],
      ['QA1', 50],
    ]);
  });
});

describe('dimensionEvidence', () => {
  it('breaks shortfall ties by question code and skips unscored questions', () => {
    const scores = new Map<string, number | null>([
      ['Z', 50],
      ['M', 75],
      ['B', 50],
      ['N', null],
      ['A', 100],
    ]);
    const links = [
      { question: 'Z', weight: 1 }, // 50
      { question: 'M', weight: 2 }, // 2·25 = 50
      { question: 'B', weight: 1 }, // 50
      { question: 'N', weight: 5 }, // no score
      { question: 'A', weight: 3 }, // 0: not positive
    ];
    expect(dimensionEvidence(links, scores).map((e) => e.question)).toEqual(['B', 'M', 'Z']);
  });
});

describe('no pyramid: nothing is FOUNDATION or DEFERRED', () => {
  it('every non-critical recommendation is IMPROVEMENT', () => {
    const f = framework({ elements: ['A'], questions: [likert('Q', ['A'])], recommendations: [template('R', 'A')] });
    const r = scoreAssessment({ framework: f, roleWeights: {}, respondents: [respondent('r', 'M', { Q: 1 })] });
    expect(r.recommendations.map((x) => x.tierName)).toEqual(['IMPROVEMENT']);
  });

  it('a pyramid with every layer solid defers nothing', () => {
    const f = framework({
      elements: ['A'],
      pyramid: ['P1', 'P2'],
      questions: [likert('Q1', ['P1'], pct), likert('Q2', ['P2'], pct)],
      recommendations: [template('R2', 'P2', { threshold: 90 })],
    });
    const r = scoreAssessment({
      framework: f,
      roleWeights: {},
      respondents: [respondent('r', 'M', { Q1: 70, Q2: 70 })],
    });
    // H = 2 = n: no first weak layer → R2 (70 < 90) is IMPROVEMENT
    expect(r.pyramid!.firstWeakLayer).toBeNull();
    expect(r.recommendations.map((x) => x.tierName)).toEqual(['IMPROVEMENT']);
  });
});

describe('compareRecommendations', () => {
  it('treats priorities within floating-point noise as a tie and orders them by code', () => {
    const base = score({ QA1: 50, QA2: 40, QA3: 90, QA4: 100, QB1: 30, QP1: 70, QP2: 40, QP3: 20 }).recommendations[0];
    const a = { ...base, code: 'B', tier: 3 as const, priority: 0.1 + 0.2 }; // 0.30000000000000004
    const b = { ...base, code: 'A', tier: 3 as const, priority: 0.3 };
    const c = { ...base, code: 'C', tier: 3 as const, priority: 0.31 };
    const d = { ...base, code: 'D', tier: 1 as const, priority: 0.01 };
    expect([a, b, c, d].sort(compareRecommendations).map((r) => r.code)).toEqual(['D', 'C', 'A', 'B']);
  });
});
