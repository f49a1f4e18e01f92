/**
 * docs/scoring.md §3 (aggregation) and the engine's edge cases, table-driven. Every expected
 * number is worked out by hand in the comment beside it.
 */
import { describe, expect, it } from '@jest/globals';
import { scoreAssessment } from './score-assessment';
import { framework, likert, question, respondent } from './testing/builders';
import type { FrameworkDef, RespondentInput } from './types';

function run(fw: FrameworkDef, respondents: RespondentInput[], roleWeights: Record<string, number> = {}) {
  const result = scoreAssessment({ framework: fw, respondents, roleWeights });
  const q = (code: string) => result.questions.find((x) => x.question === code)!;
  const d = (code: string) => result.dimensions.find((x) => x.dimension === code)!;
  return { result, q, d };
}

describe('question score S_q (§3)', () => {
  const fw = framework({ elements: ['A'], questions: [likert('Q1', ['A'], { allowNotApplicable: true })] });
  it.each<[string, RespondentInput[], Record<string, number>, number | null, number, number]>([
    // name, respondents, roleWeights, S_q, scoredRespondents, weightSum
    ['one respondent', [respondent('r1', 'MANAGER', { Q1: 4 })], {}, 75, 1, 1], // (4-1)/4*100 = 75
    [
      'plain mean with default weights',
      [respondent('r1', 'MANAGER', { Q1: 5 }), respondent('r2', 'FRONTLINE', { Q1: 1 })],
      {},
      50, // (100 + 0) / 2 = 50
      2,
      2,
    ],
    [
      'role weights',
      [respondent('r1', 'EXECUTIVE', { Q1: 5 }), respondent('r2', 'FRONTLINE', { Q1: 1 })],
      { EXECUTIVE: 3, FRONTLINE: 1 },
      75, // (3*100 + 1*0) / (3+1) = 75
      2,
      4,
    ],
    [
      'a role missing from roleWeights weighs 1',
      [respondent('r1', 'EXECUTIVE', { Q1: 5 }), respondent('r2', 'AUDITOR', { Q1: 1 })],
      { EXECUTIVE: 3 },
      75, // AUDITOR ρ = 1: (3*100 + 1*0) / 4 = 75
      2,
      4,
    ],
    [
      'a role weight of 0 leaves the respondent out',
      [respondent('r1', 'EXECUTIVE', { Q1: 5 }), respondent('r2', 'FRONTLINE', { Q1: 1 })],
      { FRONTLINE: 0 },
      100, // (1*100 + 0*0) / (1+0) = 100
      2,
      1,
    ],
    [
      'Σρ = 0 makes S_q null',
      [respondent('r1', 'FRONTLINE', { Q1: 5 })],
      { FRONTLINE: 0 },
      null, // 0*100 / 0: null
      1,
      0,
    ],
    [
      'N/A and unanswered do not count',
      [
        respondent('r1', 'MANAGER', { Q1: 3 }),
        respondent('r2', 'MANAGER', { Q1: 'NA' }),
        respondent('r3', 'MANAGER', {}),
      ],
      {},
      50, // only r1: (3-1)/4*100 = 50
      1,
      1,
    ],
    [
      'all N/A: null',
      [respondent('r1', 'MANAGER', { Q1: 'NA' }), respondent('r2', 'MANAGER', { Q1: 'NA' })],
      {},
      null,
      0,
      0,
    ],
    ['no respondents: null', [], {}, null, 0, 0],
  ])('%s', (_name, respondents, weights, score, scored, weightSum) => {
    const { q } = run(fw, respondents, weights);
    expect(q('Q1').score).toBe(score);
    expect(q('Q1').scoredRespondents).toBe(scored);
    expect(q('Q1').weightSum).toBe(weightSum);
  });

  it.each<[string, unknown]>([
    ['negative', -1],
    ['NaN', NaN],
    ['infinite', Infinity],
    ['a string', '2'],
  ])('rejects a role weight that is %s, even for a role nobody has', (_name, w) => {
    expect(() => run(fw, [respondent('r1', 'MANAGER', { Q1: 3 })], { AUDITOR: w as number })).toThrow(RangeError);
  });

  it('a role weight listed as null weighs 1', () => {
    const r = run(fw, [respondent('r1', 'EXECUTIVE', { Q1: 5 }), respondent('r2', 'MANAGER', { Q1: 1 })], {
      EXECUTIVE: 3,
      MANAGER: null as unknown as number,
    });
    expect(r.q('Q1').score).toBe(75); // (3·100 + 1·0)/4 = 75
  });
});

describe('dimension score D_d (§3)', () => {
  const fw = framework({
    elements: ['A', 'B'],
    questions: [
      likert('Q1', [['A', 1]]),
      likert(
        'Q2',
        [
          ['A', 3],
          ['B', 1],
        ],
        { allowNotApplicable: true },
      ),
      question('Q3', { type: 'BOOLEAN', links: [{ dimension: 'B', weight: 2 }], reverse: true }),
      question('T', { type: 'TEXT', links: [] }),
    ],
  });
  it.each<[string, RespondentInput[], number | null, number | null]>([
    [
      'weighted mean of linked question scores',
      [respondent('r1', 'MANAGER', { Q1: 5, Q2: 3, Q3: false, T: 'notes' })],
      // Q1 = 100, Q2 = 50, Q3 = reverse(0) = 100
      // A = (1*100 + 3*50) / (1+3) = 250/4 = 62.5
      62.5,
      // B = (1*50 + 2*100) / (1+2) = 250/3 = 83.333…
      250 / 3,
    ],
    [
      'questions without a score drop out of numerator and denominator',
      [respondent('r1', 'MANAGER', { Q1: 2, Q2: 'NA' })],
      // A = (1*25) / 1 = 25 (Q2 N/A), B: Q2 N/A and Q3 unanswered: null
      25,
      null,
    ],
    ['no respondents: every dimension null', [], null, null],
  ])('%s', (_name, respondents, a, b) => {
    const { d } = run(fw, respondents);
    if (a === null) expect(d('A').score).toBeNull();
    else expect(d('A').score).toBeCloseTo(a, 10);
    if (b === null) expect(d('B').score).toBeNull();
    else expect(d('B').score).toBeCloseTo(b, 10);
  });
});

describe('coverage C_d and confidence (§3)', () => {
  // Five questions of weight 1 on A (Q5 weight 2). Q1 answered, Q2..Q5 vary per case.
  const fw = framework({
    elements: ['A'],
    questions: [
      likert('Q1', ['A']),
      likert('Q2', ['A'], { allowNotApplicable: true }),
      likert('Q3', ['A'], { allowNotApplicable: true }),
      question('G', { type: 'BOOLEAN', links: [] }),
      likert('Q4', ['A'], { showIf: { question: 'G', anyOf: [true] } }),
      likert('Q5', [['A', 2]], { allowNotApplicable: true }),
    ],
  });
  it.each<[string, RespondentInput[], number | null, string]>([
    [
      'everything answered',
      [respondent('r1', 'MANAGER', { Q1: 3, Q2: 3, Q3: 3, G: true, Q4: 3, Q5: 3 })],
      1, // (1+1+1+1+2) / (1+1+1+1+2) = 1
      'HIGH',
    ],
    [
      'unanswered questions stay in the denominator',
      [respondent('r1', 'MANAGER', { Q1: 3, Q2: 3, G: true, Q4: 3 })],
      0.5, // scored Q1,Q2,Q4 = 3; denominator Q1..Q5 = 1+1+1+1+2 = 6 → 3/6 = 0.5
      'MEDIUM',
    ],
    [
      'N/A for everybody leaves the question out; hidden for everybody too',
      [
        respondent('r1', 'MANAGER', { Q1: 3, Q2: 'NA', Q3: 3, G: false, Q4: 5 }),
        respondent('r2', 'MANAGER', { Q1: 3, Q2: 'NA', G: false }),
      ],
      // Q2 N/A for all, Q4 hidden for all: denominator Q1 + Q3 + Q5 = 1+1+2 = 4; scored Q1 + Q3 = 2 → 0.5
      0.5,
      'MEDIUM',
    ],
    [
      'N/A for some respondents only keeps the question in',
      [
        respondent('r1', 'MANAGER', { Q1: 3, Q2: 'NA', G: false }),
        respondent('r2', 'MANAGER', { Q1: 3, Q2: 3, G: false }),
      ],
      // denominator Q1, Q2, Q3, Q5 = 5 (Q4 hidden for all); scored Q1, Q2 = 2 → 0.4
      0.4,
      'LOW',
    ],
    [
      'a heavy question N/A for everybody leaves the denominator',
      [
        respondent('r1', 'MANAGER', { Q1: 3, Q2: 3, Q3: 3, G: true, Q4: 3, Q5: 'NA' }),
        respondent('r2', 'MANAGER', { Q5: 'NA' }),
      ],
      // Q5 N/A for all: denominator 4, scored 4 → 1
      1,
      'HIGH',
    ],
    [
      'all N/A: coverage null, LOW',
      [respondent('r1', 'MANAGER', { Q2: 'NA', Q3: 'NA', Q5: 'NA', G: false })],
      // Q1 unanswered but visible: denominator 1 (Q1), scored 0 → 0
      0,
      'LOW',
    ],
    ['no respondents: every question left out, coverage null, LOW', [], null, 'LOW'],
  ])('%s', (_name, respondents, coverage, confidence) => {
    const { d } = run(fw, respondents);
    if (coverage === null) expect(d('A').coverage).toBeNull();
    else expect(d('A').coverage).toBeCloseTo(coverage, 12);
    expect(d('A').confidence).toBe(confidence);
  });

  it.each<[number, number, string]>([
    // scored weight, total weight → coverage, confidence
    [4, 5, 'HIGH'], // 4/5 = 0.8 ≥ 0.8
    [3, 4, 'MEDIUM'], // 0.75
    [1, 2, 'MEDIUM'], // 0.5 ≥ 0.5
    [2, 5, 'LOW'], // 0.4
  ])('thresholds: %d of %d → %s', (scored, total, confidence) => {
    const qs = Array.from({ length: total }, (_, i) => likert(`Q${i}`, ['A']));
    const answers: Record<string, number> = {};
    for (let i = 0; i < scored; i++) answers[`Q${i}`] = 3;
    const { d } = run(framework({ elements: ['A'], questions: qs }), [respondent('r1', 'MANAGER', answers)]);
    expect(d('A').coverage).toBeCloseTo(scored / total, 12);
    expect(d('A').confidence).toBe(confidence);
  });

  it('all answers N/A: every score null, coverage null, confidence LOW', () => {
    const { result } = run(fw, [respondent('r1', 'MANAGER', { Q2: 'NA', Q3: 'NA', Q5: 'NA' })]);
    // Q1 and G unanswered: G unanswered hides Q4. Q1 is visible and unanswered, so it stays in.
    expect(result.dimensions[0].score).toBeNull();
    expect(result.dimensions[0].level).toBeNull();
    expect(result.overall.score).toBeNull();
    expect(result.overall.level).toBeNull();
    const allNa = run(framework({ elements: ['A'], questions: [likert('Q', ['A'], { allowNotApplicable: true })] }), [
      respondent('r1', 'MANAGER', { Q: 'NA' }),
    ]);
    expect(allNa.d('A').coverage).toBeNull(); // 0 / 0
    expect(allNa.d('A').confidence).toBe('LOW');
    expect(allNa.q('Q').excludedFromCoverage).toBe(true);
  });
});

describe('spread σ_d and perception gap g_d (§3)', () => {
  const fw = framework({
    elements: ['A'],
    questions: [likert('Q1', ['A']), likert('Q2', [['A', 3]])],
    settings: { perceptionGapThreshold: 20 },
  });
  it.each<[string, RespondentInput[], Record<string, number>, number | null, number | null, boolean]>([
    ['one respondent: spread 0, no gap', [respondent('r1', 'EXECUTIVE', { Q1: 5, Q2: 1 })], {}, 0, null, false],
    [
      'executive vs others',
      [
        respondent('e', 'EXECUTIVE', { Q1: 5, Q2: 5 }), // R = 100
        respondent('m', 'MANAGER', { Q1: 1, Q2: 3 }), // R = (0 + 3*50)/4 = 37.5
        respondent('f', 'FRONTLINE', { Q1: 3 }), // R = 50 (Q2 unanswered)
      ],
      {},
      // mean = (100 + 37.5 + 50)/3 = 62.5; deviations 37.5, -25, -12.5
      // σ = sqrt((1406.25 + 625 + 156.25)/3) = sqrt(729.1667) = 27.0030862
      Math.sqrt((37.5 ** 2 + 25 ** 2 + 12.5 ** 2) / 3),
      // g = 100 − (37.5 + 50)/2 = 100 − 43.75 = 56.25
      56.25,
      true,
    ],
    [
      'role weights do not weight the spread or gap (only ρ = 0 removes a respondent)',
      [
        respondent('e', 'EXECUTIVE', { Q1: 5, Q2: 5 }), // R = 100
        respondent('m', 'MANAGER', { Q1: 5, Q2: 4 }), // R = (100 + 3*75)/4 = 81.25
        respondent('f', 'FRONTLINE', { Q1: 1, Q2: 1 }), // ρ = 0: R null
      ],
      { EXECUTIVE: 5, FRONTLINE: 0 },
      // over e, m: mean 90.625, σ = |100 − 81.25|/2 = 9.375
      9.375,
      // g = 100 − 81.25 = 18.75 < 20: not flagged
      18.75,
      false,
    ],
    [
      'gap exactly at the threshold is flagged',
      [
        respondent('e', 'EXECUTIVE', { Q1: 3, Q2: 3 }),
        respondent('m', 'MANAGER', { Q1: 5, Q2: 5 }),
        respondent('x', 'MANAGER', { Q1: 3, Q2: 4 }),
      ],
      // e = 50; m = 100; x = (50 + 3*75)/4 = 68.75; others mean = 84.375 → g = -34.375
      {},
      // mean = 218.75/3 = 72.9166…; σ = sqrt(((50-m)^2+(100-m)^2+(68.75-m)^2)/3)
      Math.sqrt(((50 - 218.75 / 3) ** 2 + (100 - 218.75 / 3) ** 2 + (68.75 - 218.75 / 3) ** 2) / 3),
      -34.375,
      true,
    ],
    [
      'no executive: no gap',
      [respondent('m', 'MANAGER', { Q1: 3 }), respondent('f', 'FRONTLINE', { Q1: 5 })],
      {},
      25,
      null,
      false,
    ], // R 50, 100: σ = 25
    ['no respondents: spread null', [], {}, null, null, false],
  ])('%s', (_name, respondents, weights, spread, gap, flagged) => {
    const { d } = run(fw, respondents, weights);
    if (spread === null) expect(d('A').spread).toBeNull();
    else expect(d('A').spread).toBeCloseTo(spread, 10);
    if (gap === null) expect(d('A').perceptionGap).toBeNull();
    else expect(d('A').perceptionGap).toBeCloseTo(gap, 10);
    expect(d('A').perceptionGapFlagged).toBe(flagged);
  });

  it('a gap of exactly the threshold is flagged, just under is not', () => {
    const t = framework({ elements: ['A'], questions: [likert('Q', ['A'], { scale: { min: 0, max: 100 } })] });
    // LIKERT 0..100: s = v. g = 70 − 50 = 20 ≥ 20: flagged; 69 − 50 = 19: not flagged
    expect(
      run(t, [respondent('e', 'EXECUTIVE', { Q: 70 }), respondent('m', 'MANAGER', { Q: 50 })]).d('A')
        .perceptionGapFlagged,
    ).toBe(true);
    expect(
      run(t, [respondent('e', 'EXECUTIVE', { Q: 69 }), respondent('m', 'MANAGER', { Q: 50 })]).d('A')
        .perceptionGapFlagged,
    ).toBe(false);
    // and a negative gap: 30 − 50 = −20, |−20| ≥ 20
    expect(
      run(t, [respondent('e', 'EXECUTIVE', { Q: 30 }), respondent('m', 'MANAGER', { Q: 50 })]).d('A')
        .perceptionGapFlagged,
    ).toBe(true);
  });
});

describe('invalid stored answers', () => {
  it('count as unanswered and are listed', () => {
    const fw = framework({ elements: ['A'], questions: [likert('Q1', ['A']), likert('Q2', ['A'])] });
    const { result, d } = run(fw, [
      { id: 'r1', role: 'MANAGER', answers: { Q1: { value: 9 }, Q2: { value: 5 } } },
      { id: 'r2', role: 'MANAGER', answers: { Q1: { notApplicable: true } } },
    ]);
    expect(d('A').score).toBe(100); // only Q2 = 100 counts
    // Q1 is visible and not validly N/A for both, so it stays in the coverage denominator: 1/2
    expect(d('A').coverage).toBe(0.5);
    expect(result.ignoredAnswers).toEqual([
      { respondent: 'r1', question: 'Q1', code: 'OUT_OF_RANGE' },
      { respondent: 'r2', question: 'Q1', code: 'NOT_APPLICABLE_NOT_ALLOWED' },
    ]);
  });

  it('an empty MULTI_CHOICE set counts as unanswered', () => {
    const fw = framework({
      elements: ['A'],
      questions: [
        question('M', {
          type: 'MULTI_CHOICE',
          options: [{ code: 'X', score: 50 }],
          links: [{ dimension: 'A', weight: 1 }],
        }),
      ],
    });
    const { result, q } = run(fw, [respondent('r1', 'MANAGER', { M: [] })]);
    expect(q('M').score).toBeNull();
    expect(q('M').excludedFromCoverage).toBe(false);
    expect(result.ignoredAnswers.map((a) => a.code)).toEqual(['EMPTY_SELECTION']);
  });

  it('answers to unknown questions and inherited keys are ignored', () => {
    const fw = framework({ elements: ['A'], questions: [likert('constructor', ['A'])] });
    const { q } = run(fw, [{ id: 'r1', role: 'MANAGER', answers: { other: { value: 3 } } }]);
    expect(q('constructor').score).toBeNull();
  });
});

describe('result shape', () => {
  it('reports the respondent count and the method version', () => {
    const fw = framework({ elements: ['A'], questions: [likert('Q1', ['A'])] });
    const { result } = run(fw, [respondent('a', 'MANAGER', { Q1: 1 }), respondent('b', 'MANAGER', {})]);
    expect(result.respondentCount).toBe(2);
    expect(result.methodVersion).toBe(1);
    expect(result.pyramid).toBeNull();
  });

  it('two links of one question to one dimension act as one link with the summed weight', () => {
    const fw = framework({
      elements: ['A'],
      questions: [
        likert('Q1', [
          ['A', 1],
          ['A', 2],
        ]),
        likert('Q2', [['A', 1]]),
      ],
    });
    // Q1 = 100 with weight 1+2 = 3, Q2 = 0 with weight 1: (300 + 0)/4 = 75
    expect(run(fw, [respondent('a', 'MANAGER', { Q1: 5, Q2: 1 })]).d('A').score).toBe(75);
  });
});
