/**
 * Sanity checks of the reference scorer itself, on hand-computed cases (arithmetic in the
 * comments), plus a smoke run over the random generator. Not a test of the production engine.
 */
import type { DimensionDef, FrameworkDef, GroupDef, QuestionDef, ScoringInput } from '../../src/scoring/types';
import { DEFAULT_SETTINGS } from '../../src/scoring/types';
import { randomCase } from './random-framework';
import {
  referenceBenchmark,
  referencePercentileCont,
  referencePercentileRank,
  referenceScore,
} from './reference-scoring';

const LEVELS = [
  { level: 1, code: 'UNCERTAINTY', lowerBound: 0 },
  { level: 2, code: 'ALIGNMENT', lowerBound: 20 },
  { level: 3, code: 'EXPERIENCE', lowerBound: 40 },
  { level: 4, code: 'OWNERSHIP', lowerBound: 60 },
  { level: 5, code: 'AMAZEMENT', lowerBound: 80 },
];

function q(
  code: string,
  type: QuestionDef['type'],
  links: Array<[string, number]>,
  extra: Partial<QuestionDef> = {},
): QuestionDef {
  return {
    code,
    type,
    links: links.map(([dimension, weight]) => ({ dimension, weight })),
    required: false,
    allowNotApplicable: false,
    reverse: false,
    ...extra,
  };
}

function fw(dimensions: DimensionDef[], questions: QuestionDef[], extra: Partial<FrameworkDef> = {}): FrameworkDef {
  const groups: GroupDef[] = [{ code: 'ELEMENTS', kind: 'WEIGHTED', primary: true }];
  if (dimensions.some((d) => d.group === 'PYRAMID')) groups.push({ code: 'PYRAMID', kind: 'LAYERED', primary: false });
  return {
    groups,
    dimensions,
    levels: LEVELS,
    settings: { ...DEFAULT_SETTINGS },
    questions,
    recommendations: [],
    ...extra,
  };
}

const PCT = { min: 0, max: 100 }; // a LIKERT 0..100 scale: s = v

describe('reference scorer: hand-computed cases', () => {
  test('A: item scores, role weights, dimension, overall, spread, perception gap, recommendations', () => {
    const input: ScoringInput = {
      framework: fw(
        [
          { code: 'E1', group: 'ELEMENTS', weight: 2 },
          { code: 'E2', group: 'ELEMENTS', weight: 1 },
        ],
        [
          q('Q1', 'LIKERT', [
            ['E1', 1],
            ['E2', 1],
          ]),
          q('Q2', 'BOOLEAN', [['E1', 2]], { reverse: true }),
          q('Q3', 'SINGLE_CHOICE', [['E2', 1]], {
            options: [
              { code: 'a', score: 30 },
              { code: 'b', score: 90 },
            ],
          }),
          q('Q4', 'TEXT', []),
        ],
        {
          recommendations: [
            { code: 'T1', dimension: 'E2', impact: 3, effort: 1, horizon: 'QUICK_WIN' },
            { code: 'T2', dimension: 'E1', question: 'Q2', threshold: 70, impact: 2, effort: 2, horizon: 'DAYS_90' },
          ],
        },
      ),
      respondents: [
        {
          id: 'r1',
          role: 'EXECUTIVE',
          answers: { Q1: { value: 5 }, Q2: { value: false }, Q3: { value: 'a' }, Q4: { value: 'hi' } },
        },
        { id: 'r2', role: 'MANAGER', answers: { Q1: { value: 2 }, Q2: { value: true }, Q3: { value: 'b' } } },
        { id: 'r3', role: 'FRONTLINE', answers: { Q1: { value: 3 }, Q3: { value: null } } },
      ],
      roleWeights: { EXECUTIVE: 2, MANAGER: 1 }, // FRONTLINE missing ⇒ 1
    };
    const r = referenceScore(input);
    // items: Q1 r1 (5−1)/4·100 = 100, r2 25, r3 50; Q2 reversed: r1 false→0→100, r2 true→100→0; Q3 r1 30, r2 90
    // S_Q1 = (2·100 + 25 + 50)/4 = 68.75; S_Q2 = (2·100 + 0)/3 = 66.667; S_Q3 = (2·30 + 90)/3 = 50
    expect(r.questionScores.Q1).toBeCloseTo(68.75, 9);
    expect(r.questionScores.Q2).toBeCloseTo(200 / 3, 9);
    expect(r.questionScores.Q3).toBeCloseTo(50, 9);
    expect(r.questionScores.Q4).toBeNull();
    // D_E1 = (1·68.75 + 2·66.667)/3 = 67.3611; D_E2 = (68.75 + 50)/2 = 59.375
    expect(r.dimensions.E1.score).toBeCloseTo(67.36111111, 6);
    expect(r.dimensions.E2.score).toBeCloseTo(59.375, 9);
    expect(r.dimensions.E1.level).toBe(4);
    expect(r.dimensions.E2.level).toBe(3);
    expect(r.dimensions.E1.coverage).toBe(1);
    expect(r.dimensions.E1.confidence).toBe('HIGH');
    // O = (2·67.3611 + 59.375)/3 = 64.6991 → level 4
    expect(r.overall.score).toBeCloseTo(64.69907407, 6);
    expect(r.overall.level).toBe(4);
    // R_E1: r1 (100 + 2·100)/3 = 100, r2 (25 + 0)/3 = 8.333, r3 50/1 = 50
    // σ = popstd(100, 8.333, 50) = 37.4743; gap = 100 − (8.333 + 50)/2 = 70.833 ≥ 20 ⇒ flagged
    expect(r.dimensions.E1.spread).toBeCloseTo(37.474271009, 6);
    expect(r.dimensions.E1.perceptionGap).toBeCloseTo(70.833333333, 6);
    expect(r.dimensions.E1.perceptionGapFlagged).toBe(true);
    // R_E2: r1 (100+30)/2 = 65, r2 (25+90)/2 = 57.5, r3 50 ⇒ σ = sqrt((56.25+0+56.25)/3) = 6.1237; gap = 65 − 53.75 = 11.25
    expect(r.dimensions.E2.spread).toBeCloseTo(Math.sqrt(37.5), 9);
    expect(r.dimensions.E2.perceptionGap).toBeCloseTo(11.25, 9);
    expect(r.dimensions.E2.perceptionGapFlagged).toBe(false);
    expect(r.pyramid).toBeNull();
    // T1: 59.375 < 60, gap 0.00625, weight 1/2, P = 0.00625·0.5·3/1 = 0.009375, tier 3,
    //     evidence: shortfalls Q3 1·50 = 50, Q1 1·31.25 ⇒ [Q3, Q1]
    // T2: 66.667 < 70, gap 0.03333, weight 2/2, P = 0.03333·1·2/2 = 0.03333, tier 3, evidence [Q2]
    expect(r.recommendations.map((x) => x.code)).toEqual(['T2', 'T1']);
    expect(r.recommendations[0]).toMatchObject({ tier: 3, evidence: ['Q2'] });
    expect(r.recommendations[0].priority).toBeCloseTo(1 / 30, 9);
    expect(r.recommendations[1]).toMatchObject({ tier: 3, evidence: ['Q3', 'Q1'] });
    expect(r.recommendations[1].priority).toBeCloseTo(0.009375, 12);
  });

  test('B: showIf chains, N/A, hidden answers ignored, MULTI_CHOICE cap, NUMERIC bands, coverage', () => {
    const input: ScoringInput = {
      framework: fw(
        [{ code: 'D1', group: 'ELEMENTS', weight: 1 }],
        [
          q('Q1', 'BOOLEAN', [['D1', 1]], { allowNotApplicable: true }),
          q('Q2', 'LIKERT', [['D1', 1]], { scale: { min: 0, max: 10 }, showIf: { question: 'Q1', anyOf: [true] } }),
          q('Q3', 'MULTI_CHOICE', [['D1', 1]], {
            options: [
              { code: 'a', score: 60 },
              { code: 'b', score: 70 },
              { code: 'n', score: 0, exclusive: true },
            ],
            showIf: { question: 'Q2', anyOf: [7, 8, 9, 10] },
          }),
          q('Q4', 'NUMERIC', [['D1', 1]], {
            allowNotApplicable: true,
            numeric: {
              min: 0,
              max: 100,
              bands: [
                { upTo: 10, score: 20 },
                { upTo: 50, score: 60 },
                { upTo: null, score: 100 },
              ],
            },
          }),
          q('Q5', 'LIKERT', [['D1', 1]], { allowNotApplicable: true }),
          q('Q6', 'LIKERT', [['D1', 1]], { showIf: { question: 'Q1', anyOf: [false] } }),
          q('Q7', 'BOOLEAN', [['D1', 1]]),
        ],
      ),
      respondents: [
        {
          id: 'r1',
          role: 'FRONTLINE',
          answers: {
            Q1: { value: true },
            Q2: { value: 8 },
            Q3: { value: ['a', 'b'] },
            Q4: { value: 10 },
            Q5: { notApplicable: true },
            Q6: { value: 5 },
          },
        },
        {
          id: 'r2',
          role: 'FRONTLINE',
          answers: {
            Q1: { value: true },
            Q2: { value: 5 },
            Q3: { value: ['a'] },
            Q4: { value: 11 },
            Q5: { notApplicable: true },
            Q6: { value: 1 },
          },
        },
        {
          id: 'r3',
          role: 'FRONTLINE',
          answers: {
            Q1: { notApplicable: true },
            Q2: { value: 10 },
            Q3: { value: ['n'] },
            Q4: { value: 100 },
            Q5: { notApplicable: true },
          },
        },
      ],
      roleWeights: {},
    };
    const r = referenceScore(input);
    // Q1: 100, 100, N/A ⇒ 100
    // Q2: visible for r1, r2 (Q1 true); r3 hidden (Q1 N/A) ⇒ (80 + 50)/2 = 65
    // Q3: visible only for r1 (Q2 = 8 ∈ anyOf); r2 hidden (5), r3 hidden (chain) ⇒ min(100, 60+70) = 100
    // Q4: r1 10 ≤ 10 ⇒ 20, r2 11 ⇒ 60, r3 100 ⇒ 100 ⇒ 60
    // Q5: N/A for all ⇒ null, left out of coverage; Q6: hidden for all (shown only if Q1 false) ⇒ null, left out
    // Q7: unanswered by all ⇒ null, but stays in the coverage denominator
    expect(r.questionScores).toEqual({ Q1: 100, Q2: 65, Q3: 100, Q4: 60, Q5: null, Q6: null, Q7: null });
    // D1 = (100 + 65 + 100 + 60)/4 = 81.25; coverage = 4/5 = 0.8 ⇒ HIGH (boundary)
    expect(r.dimensions.D1.score).toBe(81.25);
    expect(r.dimensions.D1.level).toBe(5);
    expect(r.dimensions.D1.coverage).toBe(0.8);
    expect(r.dimensions.D1.confidence).toBe('HIGH');
    // R: r1 (100+80+100+20)/4 = 75, r2 (100+50+60)/3 = 70, r3 100/1 = 100 ⇒ σ = 13.1233; no EXECUTIVE ⇒ gap null
    expect(r.dimensions.D1.spread).toBeCloseTo(13.123346457, 6);
    expect(r.dimensions.D1.perceptionGap).toBeNull();
    expect(r.dimensions.D1.perceptionGapFlagged).toBe(false);
    expect(r.overall).toEqual({ score: 81.25, level: 5 });
  });

  test('C: knockouts, pyramid gating across a null layer, height, tiers and ordering', () => {
    const dims: DimensionDef[] = [
      { code: 'E1', group: 'ELEMENTS', weight: 1 },
      { code: 'E2', group: 'ELEMENTS', weight: 3 },
      { code: 'P1', group: 'PYRAMID', weight: 1, layer: 1 },
      { code: 'P2', group: 'PYRAMID', weight: 2, layer: 2 },
      { code: 'P3', group: 'PYRAMID', weight: 1, layer: 3 },
      { code: 'P4', group: 'PYRAMID', weight: 1, layer: 4 },
      { code: 'P5', group: 'PYRAMID', weight: 1, layer: 5 },
      { code: 'P6', group: 'PYRAMID', weight: 1, layer: 6 },
    ];
    const L = (code: string, links: Array<[string, number]>, extra: Partial<QuestionDef> = {}) =>
      q(code, 'LIKERT', links, { scale: PCT, ...extra });
    const input: ScoringInput = {
      framework: fw(
        dims,
        [
          L(
            'QA',
            [
              ['E1', 1],
              ['P1', 1],
            ],
            { critical: { threshold: 50 } },
          ),
          L(
            'QB',
            [
              ['E2', 1],
              ['P2', 1],
            ],
            { critical: { threshold: 50 } },
          ),
          L('QC', [['P3', 1]]),
          L('QD', [['P4', 1]]),
          L('QE', [['E1', 1]]),
          L('QF', [['P5', 1]]),
          L('QG', [['P6', 1]]),
          L('QH', [['P2', 1]]),
        ],
        {
          settings: { ...DEFAULT_SETTINGS, gateTolerance: 10 },
          recommendations: [
            { code: 'T_P3', dimension: 'P3', threshold: 97, impact: 2, effort: 1, horizon: 'YEAR_1' },
            { code: 'T_E1b', dimension: 'E1', threshold: 90, impact: 3, effort: 3, horizon: 'YEAR_1' },
            { code: 'T_E1a', dimension: 'E1', threshold: 90, impact: 3, effort: 3, horizon: 'YEAR_1' },
            { code: 'T_P1q', dimension: 'P1', question: 'QA', threshold: 80, impact: 5, effort: 5, horizon: 'DAYS_90' },
            { code: 'T_P2h', dimension: 'P2', question: 'QH', impact: 2, effort: 4, horizon: 'DAYS_90' },
            { code: 'T_P2q', dimension: 'P2', question: 'QB', impact: 1, effort: 1, horizon: 'QUICK_WIN' },
            { code: 'T_E2', dimension: 'E2', impact: 4, effort: 2, horizon: 'QUICK_WIN' },
            { code: 'T_P5', dimension: 'P5', impact: 5, effort: 1, horizon: 'QUICK_WIN' },
            { code: 'T_P6', dimension: 'P6', impact: 5, effort: 1, horizon: 'QUICK_WIN' },
          ],
        },
      ),
      respondents: [
        {
          id: 'r1',
          role: 'MANAGER',
          answers: {
            QA: { value: 70 },
            QB: { value: 40 },
            QC: { value: 95 },
            QD: { value: 90 },
            QE: { value: 90 },
            QG: { value: 100 },
            QH: { value: 40 },
          },
        },
      ],
      roleWeights: {},
    };
    const r = referenceScore(input);
    // S = answers; QB 40 < 50 ⇒ knocked out (QA 70 is not)
    // E1 = (70+90)/2 = 80 → 5; E2 = 40 → 3 capped to 2; P1 70 → 4; P2 (40+40)/2 = 40 → 3 capped 2
    expect(r.dimensions.E1).toMatchObject({ score: 80, level: 5, knockedOutQuestions: [] });
    expect(r.dimensions.E2).toMatchObject({ score: 40, level: 2, knockedOutQuestions: ['QB'] });
    expect(r.dimensions.P2).toMatchObject({ score: 40, level: 2, knockedOutQuestions: ['QB'] });
    expect(r.dimensions.P5).toMatchObject({ score: null, level: null, coverage: 0, confidence: 'LOW', spread: null });
    // O = (1·80 + 3·40)/4 = 50 → level 3, capped to 2 (a knockout exists)
    expect(r.overall).toEqual({ score: 50, level: 2 });
    // γ = 10: G1 = 70; G2 = min(40, 80) = 40; G3 = min(95, 50) = 50 (by 2); G4 = min(90, 60) = 60 (by 3);
    // G5 null; G6 = min(100, G4 + 10 = 70) = 70 (by 4, skipping null layer 5)
    // gated levels: 70→4, 40→3 capped 2, 50→3, 60→4, null, 70→4
    // H: P1 70 ≥ 60, P2 40 < 60 ⇒ H = 1, first weak layer 2
    expect(r.pyramid).toEqual({
      layers: [
        { dimension: 'P1', layer: 1, raw: 70, gated: 70, gatedLevel: 4, cappedByLayer: null },
        { dimension: 'P2', layer: 2, raw: 40, gated: 40, gatedLevel: 2, cappedByLayer: null },
        { dimension: 'P3', layer: 3, raw: 95, gated: 50, gatedLevel: 3, cappedByLayer: 2 },
        { dimension: 'P4', layer: 4, raw: 90, gated: 60, gatedLevel: 4, cappedByLayer: 3 },
        { dimension: 'P5', layer: 5, raw: null, gated: null, gatedLevel: null, cappedByLayer: null },
        { dimension: 'P6', layer: 6, raw: 100, gated: 70, gatedLevel: 4, cappedByLayer: 4 },
      ],
      height: 1,
      firstWeakLayer: 2,
    });
    // T_E2: 40 < 60, gap .2, w 3/3, P = .2·1·4/2 = .4, tier 1 (E2 has knocked-out QB), evidence [QB]
    // T_P2q: QB 40 < 60, gap .2, w 2/2, P = .2, tier 1 (QB knocked out), evidence [QB]
    // T_P2h: QH 40 < 60, gap .2, w 1, P = .2·2/4 = .1, tier 2 (P2 is the first weak layer), [QH]
    // T_P1q: QA 70 < 80, gap .1, w 1/2, P = .1·.5·5/5 = .05, tier 3, [QA]
    // T_E1a/T_E1b: 80 < 90, gap .1, w 1/3, P = .1/3·3/3 = .0333, tier 3, tie ⇒ by code; evidence
    //   shortfalls QA 30, QE 10 ⇒ [QA, QE]
    // T_P3: 95 < 97, gap .02, w 1/2, P = .02, tier 4 (layer 3 above first weak 2), [QC]
    // T_P5: D null ⇒ not fired; T_P6: 100 not < 60 ⇒ not fired
    expect(r.recommendations.map((x) => [x.code, x.tier])).toEqual([
      ['T_E2', 1],
      ['T_P2q', 1],
      ['T_P2h', 2],
      ['T_P1q', 3],
      ['T_E1a', 3],
      ['T_E1b', 3],
      ['T_P3', 4],
    ]);
    const P = Object.fromEntries(r.recommendations.map((x) => [x.code, x.priority]));
    expect(P.T_E2).toBeCloseTo(0.4, 12);
    expect(P.T_P2q).toBeCloseTo(0.2, 12);
    expect(P.T_P2h).toBeCloseTo(0.1, 12);
    expect(P.T_P1q).toBeCloseTo(0.05, 12);
    expect(P.T_E1a).toBeCloseTo(1 / 30, 12);
    expect(P.T_P3).toBeCloseTo(0.02, 12);
    const E = Object.fromEntries(r.recommendations.map((x) => [x.code, x.evidence]));
    expect(E).toEqual({
      T_E2: ['QB'],
      T_P2q: ['QB'],
      T_P2h: ['QH'],
      T_P1q: ['QA'],
      T_E1a: ['QA', 'QE'],
      T_E1b: ['QA', 'QE'],
      T_P3: ['QC'],
    });
  });

  test('D: zero role weight, Σρ = 0, evidence limit and ties, empty MULTI_CHOICE options', () => {
    const L = (code: string, w: number) => q(code, 'LIKERT', [['D1', w]], { scale: PCT });
    const input: ScoringInput = {
      framework: fw(
        [
          { code: 'D1', group: 'ELEMENTS', weight: 1 },
          { code: 'D2', group: 'ELEMENTS', weight: 1 },
        ],
        [
          L('Z3', 2),
          L('Z1', 1),
          L('Z2', 1),
          L('Z4', 1),
          L('Z5', 1),
          L('Z6', 1),
          q('Z7', 'MULTI_CHOICE', [['D2', 1]], { options: [{ code: 'a', score: 50 }] }),
        ],
        { recommendations: [{ code: 'T', dimension: 'D1', threshold: 70, impact: 1, effort: 1, horizon: 'YEAR_1' }] },
      ),
      respondents: [
        {
          id: 'r1',
          role: 'MANAGER',
          answers: {
            Z1: { value: 50 },
            Z2: { value: 50 },
            Z3: { value: 75 },
            Z4: { value: 60 },
            Z5: { value: 100 },
            Z7: { value: [] },
          },
        },
        { id: 'r2', role: 'EXECUTIVE', answers: { Z1: { value: 0 }, Z6: { value: 20 } } },
      ],
      roleWeights: { EXECUTIVE: 0 },
    };
    const r = referenceScore(input);
    // r2 weighs 0: S_Z1 = (1·50 + 0·0)/1 = 50; S_Z6 = 0·20/0 ⇒ Σρ = 0 ⇒ null
    expect(r.questionScores).toEqual({ Z1: 50, Z2: 50, Z3: 75, Z4: 60, Z5: 100, Z6: null, Z7: null });
    // D1 = (2·75 + 50 + 50 + 60 + 100)/6 = 410/6 = 68.333; coverage 6/7 (Z6 answered, so counted) ⇒ HIGH
    expect(r.dimensions.D1.score).toBeCloseTo(410 / 6, 9);
    expect(r.dimensions.D1.coverage).toBeCloseTo(6 / 7, 12);
    expect(r.dimensions.D1.confidence).toBe('HIGH');
    // literal reading: R_r2 is D over S_q from r2 alone, Σρ = 0 ⇒ null ⇒ only r1: σ = 0, no gap
    expect(r.dimensions.D1.spread).toBe(0);
    expect(r.dimensions.D1.perceptionGap).toBeNull();
    // D2: Z7 = [] ⇒ empty sum ⇒ unscored (default) ⇒ D2 null, coverage 0/1 = 0 ⇒ LOW
    expect(r.dimensions.D2).toMatchObject({ score: null, coverage: 0, confidence: 'LOW' });
    expect(r.overall.score).toBeCloseTo(410 / 6, 9);
    // T: 68.333 < 70; shortfalls Z1 50, Z2 50, Z3 2·25 = 50, Z4 40, Z5 0 ⇒ top 3 by code [Z1, Z2, Z3]
    // P = (70 − 68.333)/100 · 1 · 1/1 = 0.016667
    expect(r.recommendations).toHaveLength(1);
    expect(r.recommendations[0].evidence).toEqual(['Z1', 'Z2', 'Z3']);
    expect(r.recommendations[0].priority).toBeCloseTo((70 - 410 / 6) / 100, 12);

    // The alternative readings behind the options:
    // R_r2 unweighted = (0 + 20)/2 = 10 ⇒ σ = |68.333 − 10|/2 = 29.1667; gap = 10 − 68.333 = −58.333 (flagged)
    const alt = referenceScore(input, { zeroWeightRespondentScore: 'UNWEIGHTED', emptyMultiChoice: 'ZERO' });
    expect(alt.dimensions.D1.spread).toBeCloseTo(29.166666667, 6);
    expect(alt.dimensions.D1.perceptionGap).toBeCloseTo(-58.333333333, 6);
    expect(alt.dimensions.D1.perceptionGapFlagged).toBe(true);
    // Z7 = [] scored 0 ⇒ D2 = 0, coverage 1; O = (68.333 + 0)/2 = 34.1667 → level 2
    expect(alt.dimensions.D2).toMatchObject({ score: 0, coverage: 1, level: 1 });
    expect(alt.overall.score).toBeCloseTo(410 / 12, 9);
    expect(alt.overall.level).toBe(2);
    expect(() => referenceScore(input, { emptyMultiChoice: 'INVALID' })).toThrow(/Z7/);
  });

  test('E: boundaries are decided on exact decimal values, not on doubles', () => {
    const L = (code: string, dim: string, w: number) => q(code, 'LIKERT', [[dim, w]], { scale: PCT });
    const input: ScoringInput = {
      framework: fw(
        [
          { code: 'D1', group: 'ELEMENTS', weight: 1 },
          { code: 'D2', group: 'ELEMENTS', weight: 1 },
        ],
        [L('Q1', 'D1', 0.1), L('Q2', 'D1', 0.7), L('Q3', 'D1', 0.2), L('Q4', 'D2', 1)],
        { recommendations: [{ code: 'T', dimension: 'D2', question: 'Q4', impact: 1, effort: 1, horizon: 'YEAR_1' }] },
      ),
      respondents: [
        { id: 'r1', role: 'EXECUTIVE', answers: { Q1: { value: 100 }, Q2: { value: 100 }, Q4: { value: 30 } } },
        { id: 'r2', role: 'MANAGER', answers: { Q4: { value: 75 } } },
      ],
      roleWeights: { EXECUTIVE: 0.1, MANAGER: 0.2 },
    };
    const r = referenceScore(input);
    // coverage D1 = (0.1 + 0.7)/(0.1 + 0.7 + 0.2) = 0.8 exactly ⇒ HIGH (in doubles 0.1 + 0.7 = 0.7999999999999999)
    expect(r.dimensions.D1.coverage).toBe(0.8);
    expect(r.dimensions.D1.confidence).toBe('HIGH');
    // S_Q4 = (0.1·30 + 0.2·75)/(0.1 + 0.2) = 18/0.3 = 60 exactly ⇒ not below 60 ⇒ T does not fire
    expect(r.questionScores.Q4).toBe(60);
    expect(r.dimensions.D2.level).toBe(4);
    expect(r.recommendations).toEqual([]);
  });

  test('§7: percentile rank and percentile_cont', () => {
    const values = [40, 20, null, 10, 20];
    // N = 4; rank of 20 = 100·(1 + 0.5·2)/4 = 50
    expect(referencePercentileRank(values, 20)).toBe(50);
    expect(referencePercentileRank(values, 5)).toBe(0);
    expect(referencePercentileRank(values, 40)).toBe(87.5);
    // sorted 10, 20, 20, 40: p25 pos .75 ⇒ 10 + .75·10 = 17.5; median pos 1.5 ⇒ 20; p75 pos 2.25 ⇒ 20 + .25·20 = 25
    expect(referencePercentileCont(values, 0.25)).toBe(17.5);
    expect(referencePercentileCont(values, 0.5)).toBe(20);
    expect(referencePercentileCont(values, 0.75)).toBe(25);
    expect(referencePercentileCont([7], 0.25)).toBe(7);
    expect(referenceBenchmark(values, 20, 5)).toEqual({
      n: 4,
      withheld: 'INSUFFICIENT_COHORT',
      percentileRank: null,
      mean: null,
      p25: null,
      median: null,
      p75: null,
    });
    expect(referenceBenchmark(values, 20, 4)).toEqual({
      n: 4,
      withheld: null,
      percentileRank: 50,
      mean: 22.5,
      p25: 17.5,
      median: 20,
      p75: 25,
    });
  });
});

describe('reference scorer: smoke run over the random generator', () => {
  test('300 random cases score without error and satisfy basic invariants', () => {
    const stats = { fired: 0, tiers: [0, 0, 0, 0, 0], knockouts: 0, pyramids: 0, nullDims: 0, respondents: 0 };
    for (let seed = 1; seed <= 300; seed++) {
      const input = randomCase(seed);
      expect(randomCase(seed)).toEqual(input); // deterministic
      const r = referenceScore(input);
      stats.respondents += input.respondents.length;
      for (const v of Object.values(r.questionScores)) if (v !== null) expect(v >= 0 && v <= 100).toBe(true);
      for (const d of Object.values(r.dimensions)) {
        if (d.score === null) stats.nullDims++;
        else expect(d.score >= -1e-9 && d.score <= 100 + 1e-9).toBe(true);
        if (d.coverage !== null) expect(d.coverage >= 0 && d.coverage <= 1).toBe(true);
        stats.knockouts += d.knockedOutQuestions.length;
      }
      if (r.pyramid) {
        stats.pyramids++;
        for (const l of r.pyramid.layers) if (l.gated !== null) expect(l.gated <= (l.raw as number)).toBe(true);
      }
      for (let i = 1; i < r.recommendations.length; i++) {
        const a = r.recommendations[i - 1];
        const b = r.recommendations[i];
        expect(a.tier).toBeLessThanOrEqual(b.tier);
        if (a.tier === b.tier) expect(a.priority).toBeGreaterThanOrEqual(b.priority - 1e-12);
      }
      for (const rec of r.recommendations) {
        stats.fired++;
        stats.tiers[rec.tier]++;
        expect(rec.evidence.length).toBeLessThanOrEqual(3);
      }
    }
    // the generator must exercise every tier and knockouts
    expect(stats.tiers[1]).toBeGreaterThan(0);
    expect(stats.tiers[2]).toBeGreaterThan(0);
    expect(stats.tiers[3]).toBeGreaterThan(0);
    expect(stats.tiers[4]).toBeGreaterThan(0);
    expect(stats.knockouts).toBeGreaterThan(0);

    console.log('random smoke stats', stats);
  });
});
