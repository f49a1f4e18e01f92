/**
 * Threshold comparisons with a tolerance.
 *
 * Scores are averages of fractions such as 100/6, so a score that is exactly 60 on paper
 * may come out as 59.99999999999999 in floating point. Every comparison against a bound
 * (levels, knockouts, confidence, height, firing, flags) treats values within `EPSILON` of
 * the bound as equal to it, so the engine agrees with the arithmetic a consultant does by hand.
 */

/** Values closer than this are equal for every threshold comparison. */
export const EPSILON = 1e-9;

/** x ≥ bound, tolerating floating-point noise. */
export function atLeast(x: number, bound: number): boolean {
  return x >= bound - EPSILON;
}

/** x < bound, tolerating floating-point noise (the negation of `atLeast`). */
export function below(x: number, bound: number): boolean {
  return x < bound - EPSILON;
}
