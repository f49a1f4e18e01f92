/**
 * Exact rational arithmetic on BigInt, used by the reference scorer so that every comparison
 * the spec makes (S_q < threshold, D_k ≥ τ, C_d ≥ 0.8, ties in priority or shortfall, …) is
 * decided on the mathematical value, never on floating-point noise.
 *
 * Every input number is read as the decimal it prints as (see `Q.of`), so the reference is the
 * exact mathematical result for the decimals in the framework and answers.
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

  /**
   * The decimal a finite JS number stands for: its shortest round-trip decimal form
   * (`String(x)`), read exactly. So 0.1 is exactly 1/10 and 0.7 + 0.1 is exactly 0.8 — the
   * values a framework author typed, not their nearest binary doubles.
   */
  static of(x: number): Q {
    if (!Number.isFinite(x)) throw new Error(`Q.of: not a finite number: ${x}`);
    if (Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER) return new Q(BigInt(x), 1n);
    const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(x));
    if (!m) throw new Error(`Q.of: cannot read ${String(x)}`);
    const [, sign, intPart, fracPart = '', expPart = '0'] = m;
    let n = BigInt(intPart + fracPart);
    let d = 10n ** BigInt(fracPart.length);
    const e = Number(expPart);
    if (e >= 0) n *= 10n ** BigInt(e);
    else d *= 10n ** BigInt(-e);
    return new Q(sign === '-' ? -n : n, d);
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
