/**
 * docs/scoring.md §4: level(x), knockouts and the overall score.
 */
import { describe, expect, it } from '@jest/globals';
import { levelOf } from './maturity-level';
import { scoreAssessment } from './score-assessment';
import { DEFAULT_LEVELS, framework, likert, respondent } from './testing/builders';

describe('level(x): the highest level whose lowerBound ≤ x', () => {
  it.each<[number | null, number | null]>([
    [0, 1],
    [19.99, 1],
    [20, 2], // exactly on a bound: that level
    [39.999999, 2],
    [40, 3],
    [59.99999999999999, 4], // floating noise within 1e-9 of a bound counts as the bound
    [60, 4],
    [79.9, 4],
    [80, 5],
    [100, 5],
    [null, null],
  ])('level(%p) = %p', (x, level) => {
    expect(levelOf(DEFAULT_LEVELS, x)?.level ?? null).toBe(level);
  });

  it('does not depend on the order the levels are listed in', () => {
    expect(levelOf([...DEFAULT_LEVELS].reverse(), 65)?.code).toBe('OWNERSHIP');
  });

  it('a score that is exactly a bound on paper lands on that bound', () => {
    // LIKERT 0..3 answers 1, 1, 1, 1, 2: s = 33.33…, 33.33…, 33.33…, 33.33…, 66.66…
    // S = (4·100/3 + 200/3)/5 = (600/3)/5 = 40 on paper; in floating point it may miss by 1e-14
    const fw = framework({ elements: ['A'], questions: [likert('Q', ['A'], { scale: { min: 0, max: 3 } })] });
    const result = scoreAssessment({
      framework: fw,
      roleWeights: {},
      respondents: [1, 1, 1, 1, 2].map((v, i) => respondent(`r${i}`, 'MANAGER', { Q: v })),
    });
    expect(result.dimensions[0].score).toBeCloseTo(40, 10);
    expect(result.dimensions[0].level).toBe(3);
  });
});

describe('knockouts', () => {
  // A: Q1 (critical 50) + Q2; B: Q3 (critical 30); C: Q4 not critical
  const fw = framework({
    elements: ['A', 'B', { code: 'C', weight: 2 }],
    questions: [
      likert('Q1', ['A'], { critical: { threshold: 50 } }),
      likert('Q2', ['A']),
      likert('Q3', ['B'], { critical: { threshold: 30 }, allowNotApplicable: true }),
      likert('Q4', ['C']),
    ],
    settings: { knockoutCapLevel: 2 },
  });
  const score = (answers: Record<string, number | 'NA'>) =>
    scoreAssessment({ framework: fw, roleWeights: {}, respondents: [respondent('r', 'MANAGER', answers)] });

  it('a critical question below its threshold caps its dimension and the overall level', () => {
    const r = score({ Q1: 2, Q2: 5, Q3: 5, Q4: 5 });
    // Q1 = 25 < 50: knocked out. A = (25 + 100)/2 = 62.5 → level 4, capped to 2
    const a = r.dimensions[0];
    expect(r.questions[0].knockedOut).toBe(true);
    expect(a.score).toBe(62.5);
    expect(a.uncappedLevel).toBe(4);
    expect(a.level).toBe(2);
    expect(a.levelCode).toBe('ALIGNMENT');
    expect(a.knockedOutQuestions).toEqual(['Q1']);
    expect(a.cappedBy).toEqual({ questions: ['Q1'], capLevel: 2 });
    // B = 100, C = 100: untouched
    expect(r.dimensions[1].level).toBe(5);
    expect(r.dimensions[1].cappedBy).toBeNull();
    // O = (1·62.5 + 1·100 + 2·100)/4 = 362.5/4 = 90.625 → level 5, capped to 2
    expect(r.overall.score).toBe(90.625);
    expect(r.overall.uncappedLevel).toBe(5);
    expect(r.overall.level).toBe(2);
    expect(r.overall.knockoutCapped).toBe(true);
    expect(r.overall.knockedOutQuestions).toEqual(['Q1']);
  });

  it.each<[string, Record<string, number | 'NA'>, boolean]>([
    ['exactly on the threshold is not knocked out', { Q1: 3, Q2: 5, Q3: 5, Q4: 5 }, false], // Q1 = 50, not < 50
    ['just below is', { Q1: 2, Q2: 5, Q3: 5, Q4: 5 }, true], // 25 < 50
    ['an unscored critical question is not knocked out', { Q2: 5, Q3: 5, Q4: 5 }, false], // S_Q1 null
  ])('%s', (_name, answers, knocked) => {
    expect(score(answers).questions[0].knockedOut).toBe(knocked);
  });

  it('the cap never raises a level and is reported only when it lowers one', () => {
    const r = score({ Q1: 1, Q2: 1, Q3: 5, Q4: 1 });
    // A = 0 → level 1; Q1 = 0 knocked out but level 1 ≤ 2: nothing lowered
    expect(r.dimensions[0].level).toBe(1);
    expect(r.dimensions[0].knockedOutQuestions).toEqual(['Q1']);
    expect(r.dimensions[0].cappedBy).toBeNull();
    // O = (0 + 100 + 2·0)/4 = 25 → level 2; capped at 2: unchanged
    expect(r.overall.score).toBe(25);
    expect(r.overall.level).toBe(2);
    expect(r.overall.knockoutCapped).toBe(false);
  });

  it('a knockout outside the primary group still caps the overall level', () => {
    const f = framework({
      elements: ['A'],
      pyramid: ['P1'],
      questions: [likert('QA', ['A']), likert('QP', ['P1'], { critical: { threshold: 60 } })],
    });
    const r = scoreAssessment({
      framework: f,
      roleWeights: {},
      respondents: [respondent('r', 'MANAGER', { QA: 5, QP: 3 })],
    });
    // QP = 50 < 60: knocked out. O over ELEMENTS only = 100 → level 5, capped to 2 (any question of the framework)
    expect(r.overall.score).toBe(100);
    expect(r.overall.level).toBe(2);
  });

  it('the overall score is the ω-weighted mean over primary dimensions with a score', () => {
    const r = score({ Q1: 5, Q2: 5, Q3: 'NA', Q4: 3 });
    // A = 100, B null (Q3 N/A), C = 50 with ω 2: O = (1·100 + 2·50)/(1+2) = 66.67 → level 4
    expect(r.overall.score).toBeCloseTo(200 / 3, 10);
    expect(r.overall.level).toBe(4);
  });

  it('a custom cap level', () => {
    const f = { ...fw, settings: { ...fw.settings, knockoutCapLevel: 3 } };
    const r = scoreAssessment({
      framework: f,
      roleWeights: {},
      respondents: [respondent('r', 'MANAGER', { Q1: 2, Q2: 5, Q3: 5, Q4: 5 })],
    });
    // A = 62.5 → level 4, capped to 3 (EXPERIENCE)
    expect(r.dimensions[0].level).toBe(3);
    expect(r.dimensions[0].levelCode).toBe('EXPERIENCE');
  });
});
