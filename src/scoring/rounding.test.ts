import { describe, expect, it } from '@jest/globals';
import { roundHalfAwayFromZero } from './rounding';

describe('roundHalfAwayFromZero', () => {
  it.each<[number, number | undefined, number]>([
    [62.45, undefined, 62.5], // half away from zero
    [-62.45, undefined, -62.5],
    [1.05, undefined, 1.1], // 1.05 is stored as 1.0499999…; rounding works on the decimal form
    [2.25, undefined, 2.3],
    [-2.25, undefined, -2.3],
    [0.04, undefined, 0],
    [-0.04, undefined, 0], // no −0
    [99.95, undefined, 100],
    [250 / 3, undefined, 83.3],
    [1.005, 2, 1.01],
    [12.5, 0, 13],
    [-12.5, 0, -13],
    [1e-7, 1, 0],
    [75, 1, 75],
  ])('%p to %p decimals → %p', (x, d, expected) => {
    const r = d === undefined ? roundHalfAwayFromZero(x) : roundHalfAwayFromZero(x, d);
    expect(r).toBe(expected);
    expect(Object.is(r, -0)).toBe(false);
  });

  it('passes null through', () => {
    expect(roundHalfAwayFromZero(null)).toBeNull();
  });
});
