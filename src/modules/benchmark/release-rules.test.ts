import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CohortAggregate } from './benchmark.service';
import {
  BenchmarkWithheldReason,
  coarseRank,
  mergeSmallBars,
  othersSufficient,
  poolFigures,
  rankStep,
  releaseDue,
  smallDifference,
  toFigures,
} from './release-rules';

const K = 5;

/** Bars as [from, to, count] triples, to keep the tables short. */
const triples = (counts: number[], k = K) => mergeSmallBars(counts, k).map((b) => [b.from, b.to, b.count]);

function aggregate(overrides: Partial<CohortAggregate> = {}): CohortAggregate {
  return {
    dimensionCode: 'OVERALL',
    n: 10,
    mean: 52.46,
    p25: 40.5,
    median: 51,
    p75: 63.25,
    subjectScore: 71.5,
    below: 7,
    equal: 0,
    percentileRank: 70,
    histogram: [0, 0, 1, 2, 2, 1, 2, 1, 1, 0],
    ...overrides,
  };
}

describe('R1 othersSufficient', () => {
  it.each([
    [5, 5, true], // 5 ≥ 5
    [4, 5, false], // 4 < 5
    [0, 1, false], // nobody is never enough
    [1, 1, true],
    [12, 5, true],
  ])('nOther %i with k %i → %s', (nOther, k, want) => {
    expect(othersSufficient(nOther, k)).toBe(want);
  });
});

describe('R2 releaseDue (entries and exits counted apart)', () => {
  it.each([
    [{ entered: 0, left: 1, rescored: 0 }, false], // one change
    [{ entered: 0, left: 1, rescored: 4 }, false], // 5 changes, but 1 in or out: the difference is ≈ that one
    [{ entered: 0, left: 0, rescored: 5 }, true], // 5 re-closes: the sum moves by 5 changes
    [{ entered: 2, left: 3, rescored: 0 }, true], // 2 + 3 = 5 in or out
    [{ entered: 1, left: 4, rescored: 7 }, true], // 5 in or out
    [{ entered: 4, left: 0, rescored: 9 }, false], // 4 in: hold until k
    [{ entered: 0, left: 0, rescored: 4 }, false], // 4 < k
  ])('%j → %s', (changes, want) => {
    expect(releaseDue(changes, K)).toBe(want);
  });
});

describe('R3 smallDifference', () => {
  it.each([
    [10, [], false], // no filter, no broader cohort
    [10, [10], false], // 10 − 10 = 0: the same organisations
    [10, [11], true], // 11 − 10 = 1: one organisation apart
    [10, [14], true], // 14 − 10 = 4 = k − 1
    [10, [15], false], // 15 − 10 = 5 = k: a difference of k is a cohort of k
    [10, [30, 12], true], // 12 − 10 = 2, whatever the other parent
    [10, [30, 10, 20], false], // differences 20, 0, 10
  ])('this %i, parents %j → %s', (nThis, parents, want) => {
    expect(smallDifference(nThis, parents, K)).toBe(want);
  });
});

describe('R4 mergeSmallBars', () => {
  it.each<[string, number[], number[][]]>([
    [
      'every bucket already 0 or ≥ k: unchanged',
      [5, 0, 0, 6, 0, 0, 0, 0, 0, 7],
      [
        [0, 10, 5],
        [10, 20, 0],
        [20, 30, 0],
        [30, 40, 6],
        [40, 50, 0],
        [50, 60, 0],
        [60, 70, 0],
        [70, 80, 0],
        [80, 90, 0],
        [90, 100, 7],
      ],
    ],
    [
      // 1 + 2 + 2 = 5 → [20, 50); 1 + 2 + 1 + 1 = 5 → [50, 90); then the empty last bucket.
      'runs merged until they reach k',
      [0, 0, 1, 2, 2, 1, 2, 1, 1, 0],
      [
        [0, 10, 0],
        [10, 20, 0],
        [20, 50, 5],
        [50, 90, 5],
        [90, 100, 0],
      ],
    ],
    [
      // 2 + 0 + 3 = 5 → [0, 30): an empty bucket inside a run is merged with it.
      'empty buckets inside a run',
      [2, 0, 3, 0, 0, 0, 0, 0, 0, 0],
      [
        [0, 30, 5],
        [30, 40, 0],
        [40, 50, 0],
        [50, 60, 0],
        [60, 70, 0],
        [70, 80, 0],
        [80, 90, 0],
        [90, 100, 0],
      ],
    ],
    [
      // [0, 10) 5; empty bars 10–90; the lone 1 in 90–100 never reaches k: 5 + 1 = 6 over [0, 100].
      'a trailing remainder joins the last non-empty bar, with the empty bars between',
      [5, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      [[0, 100, 6]],
    ],
    [
      // 3 + 2 = 5 → [20, 40); 4 + 1 = 5 → [40, 60); 2 + 0 + 0 + 1 = 3 < 5 left over → joins [40, 60): [40, 100] 5 + 3 = 8.
      'the victim alone at the top is hidden in a bar of at least k',
      [0, 0, 3, 2, 4, 1, 2, 0, 0, 1],
      [
        [0, 10, 0],
        [10, 20, 0],
        [20, 40, 5],
        [40, 100, 8],
      ],
    ],
    ['fewer than k in all (withheld anyway): one bar 0–100', [0, 1, 0, 2, 0, 0, 0, 0, 0, 1], [[0, 100, 4]]],
    [
      'nobody: ten empty bars',
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => [10 * i, 10 * i + 10, 0]),
    ],
  ])('%s', (_, counts, want) => {
    expect(triples(counts)).toEqual(want);
  });

  it('k = 1 leaves the ten buckets as they are', () => {
    const counts = [1, 0, 3, 1, 0, 2, 0, 0, 1, 1];
    expect(triples(counts, 1)).toEqual(counts.map((c, i) => [10 * i, 10 * i + 10, c]));
  });

  const countsArb = fc.array(fc.nat({ max: 12 }), { minLength: 10, maxLength: 10 });
  const kArb = fc.integer({ min: 1, max: 12 });

  it('property: bars are contiguous over 0–100, keep the total, and each holds 0 or ≥ k (when the total is ≥ k)', () => {
    fc.assert(
      fc.property(countsArb, kArb, (counts, k) => {
        const bars = mergeSmallBars(counts, k);
        const total = counts.reduce((s, c) => s + c, 0);
        expect(bars[0].from).toBe(0);
        expect(bars[bars.length - 1].to).toBe(100);
        for (let i = 1; i < bars.length; i++) expect(bars[i].from).toBe(bars[i - 1].to);
        for (const b of bars) expect(b.to).toBeGreaterThan(b.from);
        expect(bars.reduce((s, b) => s + b.count, 0)).toBe(total);
        if (total >= k) for (const b of bars) expect(b.count === 0 || b.count >= k).toBe(true);
        else if (total > 0) expect(bars).toEqual([{ from: 0, to: 100, count: total }]);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: every bar is a whole run of buckets, and its count is theirs', () => {
    fc.assert(
      fc.property(countsArb, kArb, (counts, k) => {
        for (const b of mergeSmallBars(counts, k)) {
          expect(b.from % 10).toBe(0);
          expect(b.to % 10).toBe(0);
          expect(b.count).toBe(counts.slice(b.from / 10, b.to / 10).reduce((s, c) => s + c, 0));
        }
      }),
    );
  });

  it('property: no bar spans more than it must — a bar of ≥ k ends at the bucket that reached k, or runs to 100', () => {
    fc.assert(
      fc.property(countsArb, kArb, (counts, k) => {
        for (const b of mergeSmallBars(counts, k)) {
          if (b.count === 0 || b.to === 100) continue;
          const withoutLast = counts.slice(b.from / 10, b.to / 10 - 1).reduce((s, c) => s + c, 0);
          expect(withoutLast).toBeLessThan(k);
        }
      }),
    );
  });
});

describe('R5 coarseRank', () => {
  it.each<[number | null, number, number, number | null]>([
    // [rank, n, k, released]
    [null, 10, 5, null],
    [50, 0, 5, null], // no cohort, no rank
    [70, 10, 5, 50], // s = ⌈500 / 10⌉ = 50; 70 / 50 = 1.4 → 1 → 50
    [75, 10, 5, 100], // 75 / 50 = 1.5 → 2 (half away from zero) → 100
    [24.9, 10, 5, 0], // 0.498 → 0
    [25, 10, 5, 50], // 0.5 → 1 → 50
    [90, 5, 5, 100], // s = 100; 0.9 → 1 → 100
    [40, 5, 5, 0], // 0.4 → 0
    [100, 7, 5, 72], // s = ⌈500 / 7⌉ = 72; 100 / 72 = 1.39 → 1 → 72
    [95, 12, 5, 84], // s = ⌈500 / 12⌉ = 42; 95 / 42 = 2.26 → 2 → 84
    [100, 12, 5, 84], // 100 / 42 = 2.38 → 2 → 84
    [66.5, 100, 5, 65], // s = 5; 13.3 → 13 → 65
    [67.5, 100, 5, 70], // 13.5 → 14 → 70
    [63.27, 500, 5, 63], // s = 1 once n ≥ 100 · k: whole points
    [63.5, 600, 5, 64], // 63.5 → 64
    [100, 6, 5, 84], // s = ⌈500 / 6⌉ = 84; 100 / 84 = 1.19 → 1 → 84
  ])('rank %p, n %i, k %i → %p', (rank, n, k, want) => {
    expect(coarseRank(rank, n, k)).toBe(want);
  });

  it('clamps to 100 when the nearest step lies beyond it', () => {
    // n = 8: s = ⌈500 / 8⌉ = 63; 100 / 63 = 1.59 → 2 → 126, clamped to 100.
    expect(coarseRank(100, 8, 5)).toBe(100);
  });

  it('treats a half computed with binary noise as a half', () => {
    // 2.5 cohort organisations out of 10 below: 100 · 2.5 / 10 = 25 exactly on paper.
    expect(coarseRank(24.999999999999996, 10, 5)).toBe(50);
  });

  it('property: the released rank is a multiple of s (or 100), within s / 2 of the true rank, in [0, 100]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 20 }),
        fc.nat(),
        fc.nat(),
        (n, k, b, e) => {
          const below = b % (n + 1);
          const equal = e % (n - below + 1);
          const rank = (100 * (below + 0.5 * equal)) / n;
          const s = rankStep(n, k);
          const released = coarseRank(rank, n, k)!;
          expect(released).toBeGreaterThanOrEqual(0);
          expect(released).toBeLessThanOrEqual(100);
          expect(released === 100 || released % s === 0).toBe(true);
          expect(Math.abs(released - rank)).toBeLessThanOrEqual(s / 2 + 1e-9);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: one step of s points spans at least k organisations (s · n / 100 ≥ k), and s = 1 once n ≥ 100 · k', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 20 }), (n, k) => {
        expect((rankStep(n, k) * n) / 100).toBeGreaterThanOrEqual(k);
        if (n >= 100 * k) expect(rankStep(n, k)).toBe(1);
      }),
    );
  });
});

describe('poolFigures', () => {
  const plain = toFigures(aggregate(), K);

  it('shows the plain figures but a merged histogram and a coarse rank when every rule holds', () => {
    const got = poolFigures(aggregate(), K, { nOther: 10, parentNOther: [10, 20] });
    expect(got).toEqual({
      ...plain,
      // s = ⌈500 / 10⌉ = 50; 70 / 50 = 1.4 → 50
      percentileRank: 50,
      // 1 + 2 + 2 = 5 → [20, 50); 1 + 2 + 1 + 1 = 5 → [50, 90)
      histogram: [
        { from: 0, to: 10, count: 0 },
        { from: 10, to: 20, count: 0 },
        { from: 20, to: 50, count: 5 },
        { from: 50, to: 90, count: 5 },
        { from: 90, to: 100, count: 0 },
      ],
    });
    // The mean and quartiles are the plain, rounded ones: 52.46 → 52, 40.5 → 41, 63.25 → 63.
    expect([got.mean, got.p25, got.median, got.p75]).toEqual([52, 41, 51, 63]);
  });

  it('R1: fewer than k organisations of other firms withholds every figure, n is the whole count', () => {
    // 10 organisations, 6 of them the asking firm's own: 4 others < 5.
    expect(poolFigures(aggregate(), K, { nOther: 4, parentNOther: [] })).toEqual({
      n: 10,
      withheld: true,
      reason: BenchmarkWithheldReason.INSUFFICIENT_COHORT,
      subjectScore: 72, // 71.5 → 72, the subject's own score stays
      percentileRank: null,
      mean: null,
      p25: null,
      median: null,
      p75: null,
      histogram: null,
    });
  });

  it('R3: a broader cohort 1 to k − 1 organisations of other firms larger withholds as SMALL_DIFFERENCE', () => {
    // 11 − 10 = 1: the country filter leaves out one organisation.
    const got = poolFigures(aggregate(), K, { nOther: 10, parentNOther: [11, 30] });
    expect(got).toMatchObject({ n: 10, withheld: true, reason: 'SMALL_DIFFERENCE', subjectScore: 72, mean: null });
    expect(got.histogram).toBeNull();
  });

  it('R1 comes before R3, and n < k stays INSUFFICIENT_COHORT', () => {
    expect(poolFigures(aggregate(), K, { nOther: 3, parentNOther: [4] }).reason).toBe('INSUFFICIENT_COHORT');
    const small = aggregate({ n: 4, histogram: [0, 0, 1, 1, 1, 1, 0, 0, 0, 0] });
    expect(poolFigures(small, K, { nOther: 4, parentNOther: [] })).toEqual(toFigures(small, K));
    expect(poolFigures(undefined, K, { nOther: 0, parentNOther: [] })).toEqual(toFigures(undefined, K));
  });

  it('keeps a subject without a score rankless', () => {
    const got = poolFigures(aggregate({ subjectScore: null, below: null, equal: null, percentileRank: null }), K, {
      nOther: 10,
      parentNOther: [],
    });
    expect(got).toMatchObject({ withheld: false, subjectScore: null, percentileRank: null });
  });
});

describe('the module stays pure', () => {
  it('imports only types and the rounding of the scoring engine at run time', () => {
    const source = readFileSync(join(__dirname, 'release-rules.ts'), 'utf8');
    const runtime = [...source.matchAll(/^import (?!type )[^;]*from '([^']+)';$/gm)].map((m) => m[1]);
    expect(runtime).toEqual(['../../scoring/rounding']);
  });
});

describe('toFigures (OWN_FIRM) is unchanged', () => {
  it('shows ten buckets and the whole-point rank', () => {
    expect(toFigures(aggregate(), K)).toEqual({
      n: 10,
      withheld: false,
      reason: null,
      subjectScore: 72,
      percentileRank: 70,
      mean: 52,
      p25: 41,
      median: 51,
      p75: 63,
      histogram: [0, 0, 1, 2, 2, 1, 2, 1, 1, 0].map((count, i) => ({ from: 10 * i, to: 10 * i + 10, count })),
    });
  });
});
