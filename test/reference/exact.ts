/**
 * Exact rational arithmetic on BigInt, used by the reference scorer so that every comparison
 * the spec makes (S_q < threshold, D_k ≥ τ, C_d ≥ 0.8, ties in priority or shortfall, …) is
 * decided on the mathematical value, never on floating-point noise.
 *
 * Every finite JS number is converted exactly (a double is m · 2^e), so the reference is the
 * exact mathematical result for the very doubles the production engine receives.
 */
export class Q {
  /** numerator; the denominator is always > 0 and gcd(n, d) = 1 */
  readonly n: bigint;
  readonly d: bigint;

  private constructor(n: bigint, d: bigint) {
    if (d === 0n) throw new Error('Q: division by zero');
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    const g = gcd(n < 0n ? -n : n, d);
    this.n = n / g;
    this.d = d / g;
  }

  static readonly ZERO = new Q(0n, 1n);
  static readonly ONE = new Q(1n, 1n);
  static readonly HUNDRED = new Q(100n, 1n);

  /** An exact fraction p / q of integers (used for decimal constants like 0.8 = 4/5). */
  static frac(p: number | bigint, q: number | bigint): Q {
    return new Q(BigInt(p), BigInt(q));
  }

  /** The exact value of a finite double. */
  static of(x: number): Q {
    if (!Number.isFinite(x)) throw new Error(`Q.of: not a finite number: ${x}`);
    if (Number.isInteger(x)) return new Q(BigInt(x), 1n);
    // Multiplying a double by 2 is exact (no rounding) for these magnitudes.
    let k = 0;
    let y = x;
    while (!Number.isInteger(y)) {
      y *= 2;
      k += 1;
    }
    return new Q(BigInt(y), 2n ** BigInt(k));
  }

  add(o: Q): Q {
    return new Q(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o: Q): Q {
    return new Q(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  mul(o: Q): Q {
    return new Q(this.n * o.n, this.d * o.d);
  }
  div(o: Q): Q {
    if (o.n === 0n) throw new Error('Q: division by zero');
    return new Q(this.n * o.d, this.d * o.n);
  }
  cmp(o: Q): number {
    const l = this.n * o.d;
    const r = o.n * this.d;
    return l < r ? -1 : l > r ? 1 : 0;
  }
  lt(o: Q): boolean {
    return this.cmp(o) < 0;
  }
  le(o: Q): boolean {
    return this.cmp(o) <= 0;
  }
  gt(o: Q): boolean {
    return this.cmp(o) > 0;
  }
  ge(o: Q): boolean {
    return this.cmp(o) >= 0;
  }
  eq(o: Q): boolean {
    return this.cmp(o) === 0;
  }
  isZero(): boolean {
    return this.n === 0n;
  }
  abs(): Q {
    return this.n < 0n ? new Q(-this.n, this.d) : this;
  }

  /** Nearest double (to within an ulp or two), safe for huge numerators/denominators. */
  toNumber(): number {
    if (this.n === 0n) return 0;
    const neg = this.n < 0n;
    const n = neg ? -this.n : this.n;
    const d = this.d;
    // Scale so that the integer quotient carries about 64 significant bits.
    const shift = 64 - (bitLength(n) - bitLength(d));
    const q = shift >= 0 ? (n << BigInt(shift)) / d : n / (d << BigInt(-shift));
    const v = Number(q) * Math.pow(2, -shift);
    return neg ? -v : v;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a === 0n ? 1n : a;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

export function qmin(a: Q, b: Q): Q {
  return a.le(b) ? a : b;
}

export function qsum(xs: Q[]): Q {
  return xs.reduce((acc, x) => acc.add(x), Q.ZERO);
}
