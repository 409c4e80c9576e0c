import { isIP } from 'node:net';
import { normalizeIp } from '../enrichment/ip-address';

/**
 * An address range in the 128-bit IPv6 space, where IPv4 lives as its IPv4-mapped form
 * (::ffff:a.b.c.d), so that 203.0.113.7 and ::ffff:203.0.113.7 are one address.
 */
export interface IpRange {
  network: bigint;
  /** Leading bits that count, 0 to 128 (an IPv4 /24 is 120). */
  prefix: number;
}

const V4_MAPPED = 0xffffn; // the top 96 bits of ::ffff:0:0/96
const V4_OFFSET = 96;
const BITS = 128;

/** An IPv4 or IPv6 address (no zone) as its 128-bit number, or null. */
export function parseAddress(text: string): bigint | null {
  // A zone (fe80::1%eth0) names an interface of one host: no address to compare.
  const kind = text.includes('%') ? 0 : isIP(text);
  if (kind === 4) return (V4_MAPPED << 32n) | ipv4Bits(text);
  if (kind !== 6) return null;
  let groups = text.toLowerCase();
  const dotted = groups.lastIndexOf(':');
  if (groups.includes('.')) {
    const v4 = ipv4Bits(groups.slice(dotted + 1));
    groups = `${groups.slice(0, dotted + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = groups.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const hextets = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return hextets.reduce((n, h) => (n << 16n) | BigInt(parseInt(h, 16)), 0n);
}

function ipv4Bits(text: string): bigint {
  return text.split('.').reduce((n, octet) => (n << 8n) | BigInt(Number(octet)), 0n);
}

/** `address` or `address/prefix` (IPv4 prefixes 0-32, IPv6 0-128), with the host bits cleared; else null. */
export function parseIpRange(text: string): IpRange | null {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const bits = parseAddress(address);
  if (bits === null) return null;
  const v4 = isIP(address) === 4;
  let prefix = BITS;
  if (slash !== -1) {
    const given = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(given) || Number(given) > (v4 ? 32 : BITS)) return null;
    prefix = Number(given) + (v4 ? V4_OFFSET : 0);
  }
  return { network: bits & mask(prefix), prefix };
}

const mask = (prefix: number): bigint => ((1n << BigInt(prefix)) - 1n) << BigInt(BITS - prefix);

/**
 * The one spelling of a range: IPv4 (also for IPv4-mapped IPv6) in dotted quads, IPv6 as RFC 5952
 * writes it (lower case, the longest run of zero groups as ::); a single address without /32 or /128.
 */
export function formatIpRange(range: IpRange): string {
  const { network, prefix } = range;
  if (prefix >= V4_OFFSET && network >> 32n === V4_MAPPED) {
    const quad = [24n, 16n, 8n, 0n].map((shift) => String((network >> shift) & 0xffn)).join('.');
    return prefix === BITS ? quad : `${quad}/${prefix - V4_OFFSET}`;
  }
  const text = formatIpv6(network);
  return prefix === BITS ? text : `${text}/${prefix}`;
}

function formatIpv6(bits: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((bits >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero groups (the first of equal ones) becomes "::".
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start === -1) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/**
 * A set of ranges answering membership with one hash lookup per distinct prefix length, so a
 * thousand single addresses and ranges cost a handful of lookups per event, not a thousand.
 */
export class IpRangeSet {
  private readonly byPrefix: { shift: bigint; networks: Set<bigint> }[];

  constructor(ranges: IpRange[]) {
    const byPrefix = new Map<number, Set<bigint>>();
    for (const r of ranges) {
      const networks = byPrefix.get(r.prefix) ?? byPrefix.set(r.prefix, new Set()).get(r.prefix)!;
      networks.add(r.network >> BigInt(BITS - r.prefix));
    }
    this.byPrefix = [...byPrefix].map(([prefix, networks]) => ({ shift: BigInt(BITS - prefix), networks }));
  }

  /** Whether the address (any spelling; an invalid or absent one never is) lies in a range. */
  has(ip: string | null): boolean {
    const normalized = normalizeIp(ip);
    const bits = normalized === null ? null : parseAddress(normalized);
    if (bits === null) return false;
    return this.byPrefix.some(({ shift, networks }) => networks.has(bits >> shift));
  }
}
