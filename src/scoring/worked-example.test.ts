/**
 * The worked example of docs/scoring.md: every figure the document computes by hand must be
 * what the engine returns. If this test changes, the document must change with it.
 */
import { describe, expect, it } from '@jest/globals';
import { roundHalfAwayFromZero } from './rounding';
import { scoreAssessment } from './score-assessment';
import { WORKED_EXAMPLE } from './testing/worked-example';

const result = scoreAssessment(WORKED_EXAMPLE);
const r1 = (x: number | null) => roundHalfAwayFromZero(x, 2);

describe('docs/scoring.md worked example', () => {
  it('step 2–3: question scores', () => {
    // S1 = (2·75 + 1·25 + 1·0)/4 = 43.75; S2 = (2·100 + 0 + 100)/4 = 75
    // S3 = (2·100 + 50 + 0)/4 = 62.5; S4 = (2·75)/2 = 75 (Boris hidden, Chen N/A)
    expect(result.questions.map((q) => [q.question, q.score, q.scoredRespondents, q.knockedOut])).toEqual([
      ['Q1', 43.75, 3, false],
      ['Q2', 75, 3, false],
      ['Q3', 62.5, 3, true], // critical 65: 62.5 < 65
      ['Q4', 75, 1, false],
    ]);
    expect(result.ignoredAnswers).toEqual([]); // Boris's Q4 is hidden, not invalid
  });

  it('step 4: dimension scores, coverage, levels', () => {
    expect(
      result.dimensions.map((d) => [
        d.dimension,
        r1(d.score),
        d.coverage,
        d.confidence,
        d.uncappedLevel,
        d.level,
        d.knockedOutQuestions,
      ]),
    ).toEqual([
      ['LEAD', 64.58, 1, 'HIGH', 4, 4, []], // (1·43.75 + 2·75)/3 = 193.75/3
      ['RULES', 68.75, 1, 'HIGH', 4, 2, ['Q3']], // (62.5 + 75)/2, capped by Q3
      ['BASE', 43.75, 1, 'HIGH', 3, 3, []], // Q1 alone
      ['RISKS', 70.83, 1, 'HIGH', 4, 2, ['Q3']], // (1·62.5 + 2·75)/3 = 212.5/3, capped by Q3
    ]);
  });

  it('step 5: spread and perception gap', () => {
    expect(
      result.dimensions.map((d) => [
        d.dimension,
        r1(d.spread),
        r1(d.executiveMean),
        r1(d.othersMean),
        r1(d.perceptionGap),
        d.perceptionGapFlagged,
      ]),
    ).toEqual([
      ['LEAD', 34.92, 91.67, 37.5, 54.17, true], // R = 91.67, 8.33, 66.67
      ['RULES', 35.84, 87.5, 25, 62.5, true], // R = 87.5, 50, 0
      ['BASE', 31.18, 75, 12.5, 62.5, true], // R = 75, 25, 0
      ['RISKS', 34.25, 83.33, 25, 58.33, true], // R = 83.33, 50, 0
    ]);
  });

  it('step 6: overall', () => {
    // O = (2·64.5833 + 1·68.75)/3 = 197.9167/3 = 65.97 → OWNERSHIP, capped to ALIGNMENT by Q3
    expect(r1(result.overall.score)).toBe(65.97);
    expect(result.overall.uncappedLevelCode).toBe('OWNERSHIP');
    expect(result.overall.levelCode).toBe('ALIGNMENT');
    expect(result.overall.knockoutCapped).toBe(true);
  });

  it('step 7: pyramid', () => {
    const p = result.pyramid!;
    // G_BASE = 43.75; G_RISKS = min(70.83, 43.75 + 20) = 63.75, held down by layer 1
    expect(p.layers.map((l) => [l.dimension, r1(l.rawScore), l.gatedScore, l.gatedLevelCode, l.cappedByLayer])).toEqual(
      [
        ['BASE', 43.75, 43.75, 'EXPERIENCE', null],
        ['RISKS', 70.83, 63.75, 'ALIGNMENT', 1], // level(63.75) = OWNERSHIP, capped by Q3
      ],
    );
    expect(p.height).toBe(0); // 43.75 < 60
    expect(p.firstWeakLayer).toBe(1);
  });

  it('step 8: recommendations', () => {
    expect(
      result.recommendations.map((r) => [
        r.code,
        r.tierName,
        r1(r.gap * 100),
        r.weight,
        r1(r.priority * 1000),
        r.evidence.map((e) => [e.question, e.shortfall]),
      ]),
    ).toEqual([
      ['T_Q3', 'CRITICAL', 17.5, 0.5, 218.75, [['Q3', 37.5]]], // (80−62.5)/100 · 0.5 · 5/2 = 0.21875
      [
        'T_RISKS',
        'CRITICAL',
        4.17,
        1,
        41.67,
        [
          ['Q4', 50],
          ['Q3', 37.5],
        ],
      ], // (75−70.83)/100 · 1 · 2/2
      ['T_BASE', 'FOUNDATION', 16.25, 1, 487.5, [['Q1', 56.25]]], // (60−43.75)/100 · 1 · 3/1
      [
        'T_LEAD',
        'IMPROVEMENT',
        5.42,
        1,
        108.33,
        [
          ['Q1', 56.25],
          ['Q2', 50],
        ],
      ], // (70−64.58)/100 · 1 · 4/2
      ['T_Q4', 'DEFERRED', 5, 1, 50, [['Q4', 50]]], // (80−75)/100 · 1 · 1/1
    ]);
  });
});
