/**
 * docs/scoring.md §5: gated scores, height, first weak layer.
 */
import { describe, expect, it } from '@jest/globals';
import { gateScores, pyramidHeight } from './pyramid';
import { scoreAssessment } from './score-assessment';
import { framework, likert, respondent } from './testing/builders';

describe('gateScores: G_k = min(D_k, G_j + γ), j the nearest layer below with G_j not null', () => {
  it.each<[string, Array<number | null>, Array<number | null>, number[]]>([
    // name, D bottom→top, expected G, expected capping layer position (-1 none); γ = 20
    ['a solid base lets every layer through', [80, 90, 95], [80, 90, 95], [-1, -1, -1]],
    // G1 = 30; G2 = min(70, 30+20) = 50; G3 = min(90, 50+20) = 70
    ['a weak base holds the layers above down', [30, 70, 90], [30, 50, 70], [-1, 0, 1]],
    // G2 = min(50, 30+20 = 50) = 50: equal, not capped
    ['exactly γ above is not capped', [30, 50], [30, 50], [-1, -1]],
    // layer 2 null: G2 null; G3 = min(90, G1 + 20 = 40) = 40, capped by layer 1 (position 0)
    [
      'a null layer is skipped: gating uses the nearest scored layer below',
      [20, null, 90],
      [20, null, 40],
      [-1, -1, 0],
    ],
    // no scored layer below: G = D
    ['a null bottom layer: the next layer is not gated', [null, 70, 95], [null, 70, 90], [-1, -1, 1]],
    ['all null', [null, null], [null, null], [-1, -1]],
    // G1 = 10, G2 = min(15, 30) = 15, G3 = min(100, 35) = 35
    ['a lower layer above', [10, 15, 100], [10, 15, 35], [-1, -1, 1]],
  ])('%s', (_name, raw, gated, cappedBy) => {
    const g = gateScores(raw, 20);
    expect(g.map((x) => x.gated)).toEqual(gated);
    expect(g.map((x) => x.cappedBy)).toEqual(cappedBy);
  });
});

describe('pyramidHeight: consecutive layers from the bottom with D_k ≥ τ', () => {
  it.each<[Array<number | null>, number]>([
    [[60, 70, 80], 3], // τ = 60: all solid
    [[60, 59.9, 80], 1], // stops at the first layer below τ
    [[59, 90, 90], 0],
    [[70, null, 90], 1], // a null layer stops the count
    [[null, 90], 0],
    [[], 0],
  ])('%p → %d', (raw, h) => {
    expect(pyramidHeight(raw, 60)).toBe(h);
  });
});

describe('pyramid in a result', () => {
  // Four layers; P2 has a critical question.
  const fw = framework({
    elements: ['A'],
    pyramid: ['P1', 'P2', 'P3', 'P4'],
    questions: [
      likert('QA', ['A']),
      likert('Q1', ['P1'], { scale: { min: 0, max: 100 } }),
      likert('Q2', ['P2'], { scale: { min: 0, max: 100 } }),
      likert('Q2K', ['P2'], { scale: { min: 0, max: 100 }, critical: { threshold: 50 } }),
      likert('Q3', ['P3'], { scale: { min: 0, max: 100 }, allowNotApplicable: true }),
      likert('Q4', ['P4'], { scale: { min: 0, max: 100 } }),
    ],
  });
  const run = (a: Record<string, number | 'NA'>) =>
    scoreAssessment({ framework: fw, roleWeights: {}, respondents: [respondent('r', 'MANAGER', a)] }).pyramid!;

  it('gates, levels, height and first weak layer', () => {
    // LIKERT 0..100 so s = v. P1 = 65, P2 = (90 + 70)/2 = 80, P3 = 100, P4 = 30
    const p = run({ QA: 3, Q1: 65, Q2: 90, Q2K: 70, Q3: 100, Q4: 30 });
    // G1 = 65; G2 = min(80, 85) = 80; G3 = min(100, 100) = 100; G4 = min(30, 120) = 30
    expect(p.layers.map((l) => l.gatedScore)).toEqual([65, 80, 100, 30]);
    expect(p.layers.map((l) => l.gatedLevel)).toEqual([4, 5, 5, 2]);
    expect(p.layers.map((l) => l.cappedByLayer)).toEqual([null, null, null, null]);
    // H: 65, 80, 100 ≥ 60; 30 < 60 → H = 3, first weak layer 4
    expect(p.height).toBe(3);
    expect(p.firstWeakLayer).toBe(4);
    expect(p.firstWeakDimension).toBe('P4');
  });

  it("a knockout inside a layer caps that layer's gated level only", () => {
    // P1 = 90; P2 = (100 + 40)/2 = 70, Q2K = 40 < 50 knocked out; P3 = 95; P4 = 95
    const p = run({ Q1: 90, Q2: 100, Q2K: 40, Q3: 95, Q4: 95 });
    // G = 90, min(70, 110) = 70, min(95, 90) = 90, min(95, 110) = 95
    expect(p.layers.map((l) => l.gatedScore)).toEqual([90, 70, 90, 95]);
    // level(70) = 4 capped to 2 on P2; P3 level(90) = 5 (the cap does not spread up)
    expect(p.layers.map((l) => l.gatedLevel)).toEqual([5, 2, 5, 5]);
    expect(p.layers[2].cappedByLayer).toBe(2); // 90 < 95: held by layer 2 (70 + 20)
    expect(p.layers[2].cappedByDimension).toBe('P2');
    // Height uses D, not level: 90, 70, 95, 95 all ≥ 60 → H = 4, no weak layer
    expect(p.height).toBe(4);
    expect(p.firstWeakLayer).toBeNull();
  });

  it('a layer with no score: gating skips to the nearest scored layer below, height stops', () => {
    // P1 = 30, P2 = 90 (Q2K unanswered), P3 null (N/A), P4 = 100
    const p = run({ Q1: 30, Q2: 90, Q3: 'NA', Q4: 100 });
    // G1 = 30; G2 = min(90, 50) = 50 (capped by 1); G3 null; G4 = min(100, G2 + 20 = 70) = 70 (capped by 2)
    expect(p.layers.map((l) => l.gatedScore)).toEqual([30, 50, null, 70]);
    expect(p.layers.map((l) => l.cappedByLayer)).toEqual([null, 1, null, 2]);
    expect(p.layers.map((l) => l.gatedLevel)).toEqual([2, 3, null, 4]);
    // D1 = 30 < 60 → H = 0, first weak layer 1
    expect(p.height).toBe(0);
    expect(p.firstWeakLayer).toBe(1);
    const q = run({ Q1: 70, Q2: 90, Q3: 'NA', Q4: 100 });
    // D1 = 70, D2 = 90, D3 null stops → H = 2, first weak layer 3
    expect(q.height).toBe(2);
    expect(q.firstWeakLayer).toBe(3);
  });

  it('layers are taken in layer order, not framework order', () => {
    const f = framework({
      elements: ['A'],
      pyramid: [
        { code: 'TOP', layer: 2 },
        { code: 'BASE', layer: 1 },
      ],
      questions: [
        likert('QT', ['TOP'], { scale: { min: 0, max: 100 } }),
        likert('QB', ['BASE'], { scale: { min: 0, max: 100 } }),
      ],
    });
    const p = scoreAssessment({
      framework: f,
      roleWeights: {},
      respondents: [respondent('r', 'M', { QT: 90, QB: 10 })],
    }).pyramid!;
    // BASE = 10, TOP = min(90, 30) = 30
    expect(p.layers.map((l) => [l.dimension, l.gatedScore])).toEqual([
      ['BASE', 10],
      ['TOP', 30],
    ]);
  });

  it('no LAYERED group: no pyramid', () => {
    const f = framework({ elements: ['A'], questions: [likert('Q', ['A'])] });
    expect(scoreAssessment({ framework: f, roleWeights: {}, respondents: [] }).pyramid).toBeNull();
  });
});
