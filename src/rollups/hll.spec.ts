import { createHash } from 'node:crypto';
import { estimateFromRegisters, HLL_REGISTERS, HLL_STANDARD_ERROR, VisitorSketch } from './hll';

/** A deterministic stream of 32-bit values: SHA-256 of a seed and a counter. */
function prng(seed: number): () => number {
  let i = 0;
  return () => createHash('sha256').update(`${seed}:${i++}`).digest().readUInt32BE(0);
}

/** Packs distinct random "visitors" as footfall_hll_entry/footfall_hll_pack would. */
function packed(n: number, seed: number): Uint8Array {
  const next = prng(seed);
  const words = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const reg = next() & (HLL_REGISTERS - 1);
    const bits = next() & 0x3fff; // the 14-bit rank word
    const rank = bits === 0 ? 15 : 15 - (32 - Math.clz32(bits));
    words.set(reg, Math.max(words.get(reg) ?? 0, rank));
  }
  const out = new Uint8Array(words.size * 2);
  [...words.entries()].sort((a, b) => a[0] - b[0]).forEach(([reg, rank], i) => {
    const w = (reg << 4) | rank;
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 255;
  });
  return out;
}

describe('VisitorSketch', () => {
  it('estimates nothing for an empty sketch', () => {
    expect(new VisitorSketch().estimate()).toBe(0);
    expect(new VisitorSketch().addPacked(new Uint8Array(0)).estimate()).toBe(0);
  });

  it('counts small sets exactly', () => {
    for (const n of [1, 2, 5, 17, 60]) expect(new VisitorSketch().addPacked(packed(n, n)).estimate()).toBe(n);
  });

  it.each([1_000, 10_000, 100_000, 1_000_000])('stays within three standard errors at %i visitors', (n) => {
    const estimate = new VisitorSketch().addPacked(packed(n, 7 + n)).estimate();
    expect(Math.abs(estimate - n) / n).toBeLessThan(3 * HLL_STANDARD_ERROR);
  });

  it('merges sketches as the union of their visitors', () => {
    const a = packed(20_000, 1);
    const b = packed(20_000, 2);
    const union = new VisitorSketch().addPacked(a).merge(new VisitorSketch().addPacked(b)).estimate();
    expect(Math.abs(union - 40_000) / 40_000).toBeLessThan(3 * HLL_STANDARD_ERROR);
    // The same visitors twice are counted once.
    const twice = new VisitorSketch().addPacked(a).addPacked(a).estimate();
    expect(twice).toBe(new VisitorSketch().addPacked(a).estimate());
  });

  it('keeps the higher rank of a register', () => {
    const s = new VisitorSketch().addPacked(Uint8Array.from([0x00, 0x13, 0x00, 0x12]));
    expect(s.registers[1]).toBe(3);
    expect(estimateFromRegisters(s.registers)).toBeGreaterThan(0);
  });
});
