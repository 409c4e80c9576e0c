import { countryName } from '../plausible-query/v2-countries';
import { HostnameAllowList, normalizeHostnameEntry } from './hostnames';
import { formatIpRange, IpRangeSet, parseIpRange } from './ip-ranges';
import { normalizePathPattern, PathPatternSet } from './path-patterns';

/** A website's shields: the traffic its owner does not want counted (the API's shape). */
export interface Shields {
  ip_addresses: string[];
  countries: string[];
  paths: string[];
  allowed_hostnames: string[];
}

/** Which rule dropped an event; checked in this order, the first that applies counts. */
export const DROP_REASONS = ['ip', 'country', 'hostname', 'path'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Entries per list. */
export const MAX_SHIELD_ENTRIES = 1000;

export const NO_SHIELDS: Shields = Object.freeze({ ip_addresses: [], countries: [], paths: [], allowed_hostnames: [] }) as Shields;

/** What the rules look at: known once the event is enriched, with its sender's address still in memory. */
export interface ShieldedEvent {
  ip: string | null;
  /** ISO 3166-1 alpha-2, as geolocation gives it. */
  country: string | null;
  hostname: string | null;
  path: string | null;
}

type Entry = { value: string } | { error: string };
type Field = keyof Shields;

/** IPv4 or IPv6 addresses and CIDR ranges, in their one spelling (IPv4-mapped IPv6 as IPv4). */
function ipEntry(text: string): Entry {
  const range = parseIpRange(text.trim());
  return range ? { value: formatIpRange(range) } : { error: 'is not an IP address or CIDR range (such as 203.0.113.7, 198.51.100.0/24 or 2001:db8::/32)' };
}

function countryEntry(text: string): Entry {
  const code = text.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(code) && countryName(code) !== code ? { value: code } : { error: 'is not an ISO 3166-1 alpha-2 country code (such as DE or GB)' };
}

const ENTRIES: Record<Field, (text: string) => Entry> = {
  ip_addresses: ipEntry,
  countries: countryEntry,
  paths: (text) => {
    const p = normalizePathPattern(text);
    return 'pattern' in p ? { value: p.pattern } : p;
  },
  allowed_hostnames: (text) => {
    const h = normalizeHostnameEntry(text);
    return 'hostname' in h ? { value: h.hostname } : h;
  },
};

/**
 * Every entry in its one spelling, duplicates (after normalising) dropped, the order kept; or
 * one message per bad entry, naming the field and index: `paths[2] ("admin"): must start with / or *`.
 */
export function normalizeShields(input: Shields): { shields: Shields } | { errors: string[] } {
  const errors: string[] = [];
  const shields = { ...NO_SHIELDS };
  for (const field of Object.keys(ENTRIES) as Field[]) {
    const values = new Set<string>();
    input[field].forEach((text, i) => {
      const entry = ENTRIES[field](text);
      if ('error' in entry) errors.push(`${field}[${i}] (${JSON.stringify(text)}): ${entry.error}`);
      else values.add(entry.value);
    });
    shields[field] = [...values];
  }
  return errors.length ? { errors } : { shields };
}

/** A website's shields compiled for the ingestion path: a few lookups per event. */
export class ShieldRules {
  private readonly ips: IpRangeSet;
  private readonly countries: Set<string>;
  private readonly paths: PathPatternSet;
  private readonly hostnames: HostnameAllowList | null;

  private constructor(s: Shields) {
    this.ips = new IpRangeSet(s.ip_addresses.map(parseIpRange).filter((r) => r !== null));
    this.countries = new Set(s.countries);
    this.paths = new PathPatternSet(s.paths);
    this.hostnames = s.allowed_hostnames.length ? new HostnameAllowList(s.allowed_hostnames) : null;
  }

  /** The rules of normalised shields; null when they drop nothing. */
  static compile(s: Shields): ShieldRules | null {
    const empty = !s.ip_addresses.length && !s.countries.length && !s.paths.length && !s.allowed_hostnames.length;
    return empty ? null : new ShieldRules(s);
  }

  /**
   * Why the event is not to be counted, or null. An event without an address, country, hostname
   * or path passes the rule about it: a server-side event that names no page is not judged by
   * the hostname allow-list.
   */
  dropReason(e: ShieldedEvent): DropReason | null {
    if (this.ips.has(e.ip)) return 'ip';
    if (e.country !== null && this.countries.has(e.country)) return 'country';
    if (this.hostnames !== null && e.hostname !== null && !this.hostnames.allows(e.hostname)) return 'hostname';
    if (this.paths.has(e.path)) return 'path';
    return null;
  }
}
