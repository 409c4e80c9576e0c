/**
 * HyperLogLog sketches of visitor ids, as built in SQL by footfall_hll_entry/footfall_hll_pack
 * (migration 0005): 2^12 registers, ranks 1..15 (a 14-bit rank word), serialised as big-endian
 * 16-bit words (register << 4 | rank). Sketches merge by taking each register's maximum, so the
 * visitors of any set of days is the estimate of their merged sketch.
 */

export const HLL_PRECISION = 12;
export const HLL_REGISTERS = 1 << HLL_PRECISION;
/** Width of the rank word: a register holds 0 (empty) .. Q + 1. */
const Q = 14;
/** Relative standard error of one estimate: 1.04 / sqrt(m). */
export const HLL_STANDARD_ERROR = 1.04 / Math.sqrt(HLL_REGISTERS);

export class VisitorSketch {
  readonly registers = new Uint8Array(HLL_REGISTERS);

  /** Adds a packed sketch (the bytea of a rollup row). */
  addPacked(packed: Uint8Array): this {
    const r = this.registers;
    for (let i = 0; i + 1 < packed.length; i += 2) {
      const word = (packed[i] << 8) | packed[i + 1];
      const reg = word >> 4;
      const rank = word & 15;
      if (rank > r[reg]) r[reg] = rank;
    }
    return this;
  }

  merge(other: VisitorSketch): this {
    const r = this.registers;
    const o = other.registers;
    for (let i = 0; i < HLL_REGISTERS; i++) if (o[i] > r[i]) r[i] = o[i];
    return this;
  }

  /** The estimated number of distinct visitors, rounded. */
  estimate(): number {
    return Math.round(estimateFromRegisters(this.registers));
  }
}

/**
 * Ertl's improved raw estimator ("New cardinality estimation algorithms for HyperLogLog
 * sketches", 2017): unbiased from empty to saturated sketches without empirical correction
 * tables, and exact in practice while few registers are taken.
 */
export function estimateFromRegisters(registers: Uint8Array): number {
  const m = registers.length;
  const counts = new Array<number>(Q + 2).fill(0);
  for (let i = 0; i < m; i++) counts[Math.min(registers[i], Q + 1)]++;
  if (counts[0] === m) return 0;
  let z = m * tau(1 - counts[Q + 1] / m);
  for (let k = Q; k >= 1; k--) z = 0.5 * (z + counts[k]);
  z += m * sigma(counts[0] / m);
  return (m * m) / (2 * Math.LN2 * z);
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  for (;;) {
    x *= x;
    const before = z;
    z += x * y;
    y += y;
    if (z === before) return z;
  }
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  for (;;) {
    x = Math.sqrt(x);
    const before = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
    if (z === before) return z / 3;
  }
}
