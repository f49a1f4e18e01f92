/**
 * Display rounding (docs/scoring.md §0.2: one decimal, half away from zero).
 */

/**
 * Rounds half away from zero on the number's shortest decimal form, so 1.05 → 1.1 and
 * −2.25 → −2.3 even though 1.05 is stored as 1.04999….
 *
 * @param x the value (null passes through)
 * @param decimals digits after the point, default 1
 */
export function roundHalfAwayFromZero(x: number, decimals?: number): number;
export function roundHalfAwayFromZero(x: number | null, decimals?: number): number | null;
export function roundHalfAwayFromZero(x: number | null, decimals = 1): number | null {
  if (x === null || !Number.isFinite(x)) return x;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) {
    throw new RangeError(`decimals must be an integer in 0..15, got ${decimals}`);
  }
  const abs = Math.abs(x);
  // Shifting the decimal exponent in text avoids the binary error of abs * 10^decimals.
  const [mantissa, exponent] = abs.toExponential().split('e');
  const shifted = Number(`${mantissa}e${Number(exponent) + decimals}`);
  if (!Number.isFinite(shifted) || shifted >= 1e21) return x;
  const rounded = Math.round(shifted);
  const back = Number(`${rounded}e-${decimals}`);
  if (back === 0) return 0;
  return x < 0 ? -back : back;
}
