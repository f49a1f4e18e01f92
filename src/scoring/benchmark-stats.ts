/**
 * Benchmark statistics over a cohort's values (docs/scoring.md §7). The cohort itself is
 * chosen by the API; these functions only see the numbers.
 */

/** Statistics of one benchmarked value, or why they are withheld. */
export interface CohortStatistics {
  /** Cohort organisations with the value not null (may be shown even when withheld). */
  n: number;
  withheld: boolean;
  reason?: 'INSUFFICIENT_COHORT';
  mean: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
}

/** One bucket of a 0–100 histogram: [from, to), the last one [90, 100]. */
export interface HistogramBucket {
  from: number;
  to: number;
  count: number;
}

function present(values: ReadonlyArray<number | null | undefined>): number[] {
  const out: number[] = [];
  for (const v of values) if (v !== null && v !== undefined && !Number.isNaN(v)) out.push(v);
  return out;
}

/**
 * Percentile rank of x in values: 100 · (count(v < x) + 0.5 · count(v = x)) / N.
 * Null values are left out of N.
 *
 * @returns null when x is null or no value is present
 */
export function percentileRank(values: ReadonlyArray<number | null | undefined>, x: number | null): number | null {
  if (x === null || Number.isNaN(x)) return null;
  const v = present(values);
  if (v.length === 0) return null;
  let less = 0;
  let equal = 0;
  for (const y of v) {
    if (y < x) less++;
    else if (y === x) equal++;
  }
  return (100 * (less + 0.5 * equal)) / v.length;
}

/**
 * PostgreSQL `percentile_cont(p)`: linear interpolation between the closest ranks, at
 * position p · (N − 1) of the ascending values.
 *
 * @param sorted values in ascending order
 * @returns null for an empty list
 */
export function percentileCont(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  if (p < 0 || p > 1) throw new RangeError(`percentile must be in [0, 1], got ${p}`);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Mean, p25, median and p75 of a cohort's values; every figure is withheld (null, reason
 * INSUFFICIENT_COHORT) when fewer than k values are present. Null values are left out.
 *
 * @param k benchmarkMinCohort
 */
export function cohortStatistics(values: ReadonlyArray<number | null | undefined>, k: number): CohortStatistics {
  const v = present(values);
  const n = v.length;
  if (n < k)
    return { n, withheld: true, reason: 'INSUFFICIENT_COHORT', mean: null, p25: null, median: null, p75: null };
  if (n === 0) return { n, withheld: false, mean: null, p25: null, median: null, p75: null };
  const sorted = [...v].sort((a, b) => a - b);
  let sum = 0;
  for (const y of sorted) sum += y;
  return {
    n,
    withheld: false,
    mean: sum / n,
    p25: percentileCont(sorted, 0.25),
    median: percentileCont(sorted, 0.5),
    p75: percentileCont(sorted, 0.75),
  };
}

/** The histogram bucket of a 0–100 score: floor(v / 10), with 100 in the last of the ten. */
export function histogramBucket(score: number): number {
  return Math.min(9, Math.floor(score / 10));
}

/**
 * A 10-bucket histogram of 0–100 scores: bucket i holds [10i, 10i + 10), and 100 falls in
 * the last bucket. Null values are left out.
 *
 * @throws RangeError for a value outside [0, 100]
 */
export function scoreHistogram(values: ReadonlyArray<number | null | undefined>): HistogramBucket[] {
  const buckets: HistogramBucket[] = [];
  for (let i = 0; i < 10; i++) buckets.push({ from: 10 * i, to: 10 * i + 10, count: 0 });
  for (const v of present(values)) {
    if (v < 0 || v > 100) throw new RangeError(`a score must be in [0, 100], got ${v}`);
    buckets[histogramBucket(v)].count++;
  }
  return buckets;
}

/** A benchmarked value: cohort statistics, the subject's percentile rank and a histogram. */
export interface BenchmarkFigures extends CohortStatistics {
  /** The subject's percentile rank in the cohort (null when withheld or the subject has no score). */
  percentileRank: number | null;
  /** Null when withheld. */
  histogram: HistogramBucket[] | null;
}

/**
 * Everything the benchmark screen shows for one value, with the §7 withholding rule
 * applied to every figure.
 *
 * @param cohort the cohort's values (the subject organisation excluded)
 * @param subject the subject's own value
 * @param k benchmarkMinCohort
 */
export function benchmarkFigures(
  cohort: ReadonlyArray<number | null | undefined>,
  subject: number | null,
  k: number,
): BenchmarkFigures {
  const stats = cohortStatistics(cohort, k);
  if (stats.withheld) return { ...stats, percentileRank: null, histogram: null };
  return { ...stats, percentileRank: percentileRank(cohort, subject), histogram: scoreHistogram(cohort) };
}
