/**
 * docs/scoring.md §7: percentile rank, percentile_cont statistics, withholding, histogram.
 */
import { describe, expect, it } from '@jest/globals';
import { benchmarkFigures, cohortStatistics, percentileCont, percentileRank, scoreHistogram } from './benchmark-stats';

describe('percentileRank = 100 · (count(v < x) + 0.5 · count(v = x)) / N', () => {
  it.each<[Array<number | null>, number | null, number | null]>([
    [[10, 20, 30, 40], 25, 50], // 100·(2 + 0)/4 = 50
    [[10, 20, 30, 40], 30, 62.5], // 100·(2 + 0.5·1)/4 = 62.5
    [[10, 20, 20, 40], 20, 50], // 100·(1 + 0.5·2)/4 = 50
    [[10, 20, 30, 40], 5, 0], // 100·0/4
    [[10, 20, 30, 40], 50, 100], // 100·4/4
    [[10, null, 30], 30, 75], // null left out: N = 2, 100·(1 + 0.5)/2 = 75
    [[], 30, null], // no values
    [[10], null, null], // no subject score
  ])('%p, x = %p → %p', (values, x, rank) => {
    expect(percentileRank(values, x)).toBe(rank);
  });
});

describe('percentileCont (PostgreSQL percentile_cont)', () => {
  it.each<[number[], number, number | null]>([
    [[10, 20, 30, 40], 0.5, 25], // pos 0.5·3 = 1.5 → 20 + 0.5·10 = 25
    [[10, 20, 30, 40], 0.25, 17.5], // pos 0.75 → 10 + 0.75·10 = 17.5
    [[10, 20, 30, 40], 0.75, 32.5], // pos 2.25 → 30 + 0.25·10 = 32.5
    [[10, 20, 30, 40, 50], 0.25, 20], // pos 1 exactly → 20
    [[7], 0.75, 7], // a single value
    [[], 0.5, null],
    [[0, 100], 1, 100],
  ])('%p at %p → %p', (sorted, p, value) => {
    expect(percentileCont(sorted, p)).toBe(value);
  });
});

describe('cohortStatistics', () => {
  it('computes mean and quartiles over the non-null values', () => {
    // sorted 10, 20, 30, 40, 100: mean 200/5 = 40; p25 pos 1 → 20; median pos 2 → 30; p75 pos 3 → 40
    expect(cohortStatistics([40, null, 10, 100, 30, 20], 5)).toEqual({
      n: 5,
      withheld: false,
      mean: 40,
      p25: 20,
      median: 30,
      p75: 40,
    });
  });

  it('withholds every figure below the minimum cohort, showing N', () => {
    expect(cohortStatistics([10, 20, 30, 40, null, null], 5)).toEqual({
      n: 4,
      withheld: true,
      reason: 'INSUFFICIENT_COHORT',
      mean: null,
      p25: null,
      median: null,
      p75: null,
    });
  });

  it('exactly k values are enough', () => {
    expect(cohortStatistics([1, 2, 3], 3).withheld).toBe(false);
  });
});

describe('scoreHistogram', () => {
  it('bucket i holds [10i, 10i + 10); 100 falls in the last bucket', () => {
    const h = scoreHistogram([0, 9.99, 10, 55, 89.999, 90, 100, null]);
    expect(h.map((b) => b.count)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 1, 2]);
    expect(h[0]).toEqual({ from: 0, to: 10, count: 2 });
    expect(h[9]).toEqual({ from: 90, to: 100, count: 2 });
  });

  it('rejects a value that is not a score', () => {
    expect(() => scoreHistogram([101])).toThrow(RangeError);
  });
});

describe('benchmarkFigures', () => {
  it('combines the figures and withholds them together', () => {
    const open = benchmarkFigures([10, 20, 30, 40, 50], 30, 5);
    expect(open.percentileRank).toBe(50); // 100·(2 + 0.5)/5 = 50
    expect(open.median).toBe(30);
    expect(open.histogram!.map((b) => b.count)).toEqual([0, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
    const closed = benchmarkFigures([10, 20, 30, 40], 30, 5);
    expect(closed).toMatchObject({
      n: 4,
      withheld: true,
      reason: 'INSUFFICIENT_COHORT',
      percentileRank: null,
      histogram: null,
    });
  });
});
