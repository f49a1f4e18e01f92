/**
 * The release rules of benchmark figures (docs/benchmarking.md, "Differencing: the attacks
 * and the defence"): the §7 withholding rule and whole-point rounding for every scope, and
 * for the shared pool the rules that keep a firm from recovering one organisation's score by
 * differencing — k counts other firms (R1), no narrow differences between nested cohorts
 * (R3), no small histogram bars (R4) and a coarse percentile rank (R5). Stepped releases (R2)
 * decide which aggregates these functions see; they live in the cohort engine.
 *
 * Pure: no database, no GraphQL. The engine computes the aggregates and the counts.
 */
import { roundHalfAwayFromZero } from '../../scoring/rounding';
import type { CohortAggregate } from './cohort-engine';
import type { BenchmarkFigures, BenchmarkHistogramBucket } from './benchmark.types';

/**
 * Why the figures of a value are not shown. Declared here so that the rules stay free of
 * GraphQL; benchmark.types.ts registers it as the GraphQL enum `BenchmarkWithheldReason`.
 */
export enum BenchmarkWithheldReason {
  INSUFFICIENT_COHORT = 'INSUFFICIENT_COHORT',
  SMALL_DIFFERENCE = 'SMALL_DIFFERENCE',
}

/** One released histogram bar: [from, to), the last one up to 100 included. */
export type HistogramBar = Pick<BenchmarkHistogramBucket, 'from' | 'to' | 'count'>;

/** What the shared pool's rules need besides the aggregate of a value. */
export interface PoolExtras {
  /** Cohort organisations with the value that belong to firms other than the asking firm. */
  nOther: number;
  /**
   * The same count in each broader cohort of the same release point: the cohort with one
   * filter (or more) dropped.
   */
  parentNOther: number[];
}

const whole = (x: number | null): number | null => (x === null ? null : roundHalfAwayFromZero(x, 0));

function withheldFigures(n: number, reason: BenchmarkWithheldReason, subjectScore: number | null): BenchmarkFigures {
  return {
    n,
    withheld: true,
    reason,
    subjectScore,
    percentileRank: null,
    mean: null,
    p25: null,
    median: null,
    p75: null,
    histogram: null,
  };
}

/**
 * Applies the §7 withholding rule (n < k → every cohort figure withheld, n still shown) and
 * rounds to whole points. The subject's own score is shown either way: it is not a cohort
 * figure. These are the figures of OWN_FIRM; {@link poolFigures} adds the pool's rules.
 */
export function toFigures(aggregate: CohortAggregate | undefined, k: number): BenchmarkFigures {
  const n = aggregate?.n ?? 0;
  const subjectScore = whole(aggregate?.subjectScore ?? null);
  if (!aggregate || n < k || n === 0) {
    return withheldFigures(n, BenchmarkWithheldReason.INSUFFICIENT_COHORT, subjectScore);
  }
  return {
    n,
    withheld: false,
    reason: null,
    subjectScore,
    percentileRank: whole(aggregate.percentileRank),
    mean: whole(aggregate.mean),
    p25: whole(aggregate.p25),
    median: whole(aggregate.median),
    p75: whole(aggregate.p75),
    histogram: aggregate.histogram.map((count, i) => ({ from: 10 * i, to: 10 * i + 10, count })),
  };
}

/** Organisations of other firms with a net change in a cohort shape since its last release. */
export interface ShapeChanges {
  /** Entered the shape (a first close, re-classified into it, unexcluded, their firm joined the pool). */
  entered: number;
  /** Left it (excluded, archived, re-classified out of it, their firm left the pool). */
  left: number;
  /** Still in it, with another score (a new close). */
  rescored: number;
}

/**
 * R2's trigger, with entries and exits counted apart: a new release of a shape is due when
 * at least k organisations of other firms have changed and the number that entered or left
 * is 0 or at least k. A score change only moves a sum by the change: k − 1 small re-closes
 * beside one organisation leaving would otherwise release a difference that is nearly that
 * organisation's score.
 */
export function releaseDue(changes: ShapeChanges, k: number): boolean {
  const moved = changes.entered + changes.left;
  return moved + changes.rescored >= k && (moved === 0 || moved >= k);
}

/**
 * R1 "k counts other firms": a pool value is shown only when at least k of its cohort
 * organisations belong to other firms than the asking one (a firm knows its own clients'
 * scores and could subtract them).
 *
 * @param nOther cohort organisations with the value, of firms other than the asking firm
 */
export function othersSufficient(nOther: number, k: number): boolean {
  return nOther > 0 && nOther >= k;
}

/**
 * R3 "no narrow differences": true when some broader cohort (filters dropped, same release
 * point) holds between 1 and k − 1 more other-firm organisations with the value than this
 * one — the difference of the two would describe fewer than k organisations.
 *
 * @param nOtherThis other-firm organisations with the value in this cohort
 * @param nOtherParents the same count in each broader cohort
 */
export function smallDifference(nOtherThis: number, nOtherParents: readonly number[], k: number): boolean {
  return nOtherParents.some((parent) => parent - nOtherThis >= 1 && parent - nOtherThis <= k - 1);
}

/**
 * R4 "no small bars": merges adjacent histogram buckets so that every bar holds 0 or at
 * least k organisations. Left to right, a bucket with no organisation stays a bar of its
 * own; otherwise a run of buckets is merged until it holds k or more. A trailing run that
 * never reaches k is merged into the last non-empty bar before it (with the empty bars in
 * between). When all the buckets together hold fewer than k (the value is withheld anyway)
 * they become one bar 0–100.
 *
 * @param counts the counts of equal-width buckets over 0–100 (ten: 0–10 … 90–100)
 * @returns contiguous bars from 0 to 100; counts sum to the buckets' total
 */
export function mergeSmallBars(counts: readonly number[], k: number): HistogramBar[] {
  const width = 100 / counts.length;
  const at = (i: number) => roundHalfAwayFromZero(i * width, 9);
  const total = counts.reduce((sum, c) => sum + c, 0);
  if (total > 0 && total < k) return [{ from: 0, to: 100, count: total }];
  const bars: HistogramBar[] = [];
  let i = 0;
  while (i < counts.length) {
    if (counts[i] === 0) {
      bars.push({ from: at(i), to: at(i + 1), count: 0 });
      i++;
      continue;
    }
    const start = i;
    let count = 0;
    while (i < counts.length && count < k) count += counts[i++];
    if (count >= k) {
      bars.push({ from: at(start), to: at(i), count });
      continue;
    }
    // A trailing remainder below k: total ≥ k, so a non-empty bar precedes it.
    let last = bars.length - 1;
    while (bars[last].count === 0) last--;
    const merged = { from: bars[last].from, to: 100, count: bars[last].count + count };
    bars.splice(last, bars.length - last, merged);
  }
  return bars;
}

/**
 * The step of {@link coarseRank}: s = ⌈100 · k / n⌉ points, so that one step spans about k
 * cohort organisations (1 once n ≥ 100 · k).
 */
export function rankStep(n: number, k: number): number {
  return Math.max(1, Math.ceil((100 * k) / n));
}

/**
 * R5 "coarse rank": the subject's percentile rank rounded to a multiple of
 * s = ⌈100 · k / n⌉ (half away from zero), clamped to [0, 100], so that a rank never places
 * the subject among fewer than about k cohort organisations.
 *
 * @param rank the exact percentile rank, 100 · (below + ½ · equal) / n
 * @param n the value's cohort count
 * @returns null for a null rank or an empty cohort
 */
export function coarseRank(rank: number | null, n: number, k: number): number | null {
  if (rank === null || !Number.isFinite(rank) || n <= 0) return null;
  const s = rankStep(n, k);
  let steps = rank / s;
  // Ranks are quotients of counts: a half computed as 2.4999999999999996 is still a half.
  const half = Math.round(steps * 2) / 2;
  if (Math.abs(steps - half) < 1e-9) steps = half;
  const rounded = roundHalfAwayFromZero(steps, 0) * s;
  return Math.min(100, Math.max(0, rounded));
}

/**
 * The figures of a value in the shared pool: {@link toFigures}, then R1 (fewer than k
 * other-firm organisations → withheld, INSUFFICIENT_COHORT), R3 (a broader cohort 1 to k − 1
 * other-firm organisations larger → withheld, SMALL_DIFFERENCE), and for a value that is
 * shown R4 (merged histogram bars) and R5 (coarse rank). `n` is always the whole count.
 *
 * @param aggregate the value's aggregate as of the firm's release of the cohort shape
 * @param extras other-firm counts of this cohort and of its broader cohorts
 */
export function poolFigures(aggregate: CohortAggregate | undefined, k: number, extras: PoolExtras): BenchmarkFigures {
  const plain = toFigures(aggregate, k);
  if (plain.withheld || !aggregate) return plain;
  if (!othersSufficient(extras.nOther, k)) {
    return withheldFigures(plain.n, BenchmarkWithheldReason.INSUFFICIENT_COHORT, plain.subjectScore);
  }
  if (smallDifference(extras.nOther, extras.parentNOther, k)) {
    return withheldFigures(plain.n, BenchmarkWithheldReason.SMALL_DIFFERENCE, plain.subjectScore);
  }
  return {
    ...plain,
    percentileRank: coarseRank(aggregate.percentileRank, aggregate.n, k),
    histogram: mergeSmallBars(aggregate.histogram, k),
  };
}
