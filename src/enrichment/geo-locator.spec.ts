import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Reader as GeoIp2Reader } from '@maxmind/geoip2-node';
import { DBIP_ATTRIBUTION, defaultGeoDatabasePath, GeoLocator, geoFromRecord } from './geo-locator';

// MaxMind's public test databases live in the shared test data beside the repository, not in it.
const TESTDATA = path.resolve(__dirname, '../../../shared/testdata');
const MAXMIND_TEST_DATABASES = ['GeoIP2-City-Test.mmdb', 'GeoLite2-City-Test.mmdb'];
const NO_GEO = { country: null, region: null, city: null };

function quietLogger() {
  return { warn: jest.fn(), log: jest.fn() };
}

describe.each(MAXMIND_TEST_DATABASES)('GeoLocator with MaxMind %s', (file) => {
  const dbPath = path.join(TESTDATA, file);
  const present = existsSync(dbPath);
  if (!present) {
    it.skip(`needs ${dbPath} (MaxMind test database, absent here)`, () => undefined);
    return;
  }
  const logger = quietLogger();
  const geo = GeoLocator.open(dbPath, logger);

  it('opens without warnings', () => {
    expect(logger.warn).not.toHaveBeenCalled();
    expect(geo.enabled).toBe(true);
    expect(geo.databaseType).toMatch(/City/);
    expect(geo.attribution).toBeNull();
  });

  it('places 81.2.69.142 in London, England, GB', () => {
    expect(geo.lookup('81.2.69.142')).toEqual({ country: 'GB', region: 'England', city: 'London' });
    expect(geo.lookup('::ffff:81.2.69.142')).toEqual({ country: 'GB', region: 'England', city: 'London' });
  });

  it('agrees with the official geoip2-node reader', () => {
    const official = GeoIp2Reader.openBuffer(readFileSync(dbPath));
    for (const ip of ['81.2.69.142', '216.160.83.56', '2.125.160.216', '89.160.20.112', '2001:218::1']) {
      const city = official.city(ip);
      expect(geo.lookup(ip)).toEqual({
        country: city.country?.isoCode ?? null,
        region: city.subdivisions?.[0]?.names.en ?? null,
        city: city.city?.names.en ?? null,
      });
    }
  });

  it.each(['10.0.0.1', '127.0.0.1', '192.168.1.1', '::1', 'fe80::1', '1.1.1.1', 'not an ip', '', '999.1.1.1', null, undefined])(
    'answers all-null for %p',
    (ip) => {
      expect(geo.lookup(ip)).toEqual(NO_GEO);
    },
  );
});

describe('GeoLocator with the bundled default database', () => {
  const logger = quietLogger();
  const geo = GeoLocator.open(undefined, logger);

  it('is installed and opens', () => {
    expect(defaultGeoDatabasePath()).not.toBeNull();
    expect(logger.warn).not.toHaveBeenCalled();
    expect(geo.enabled).toBe(true);
    expect(geo.attribution).toBe(DBIP_ATTRIBUTION);
  });

  it('places 81.2.69.142 in GB, IPv4 and IPv6 alike', () => {
    expect(geo.lookup('81.2.69.142').country).toBe('GB');
    expect(geo.lookup('::ffff:81.2.69.142').country).toBe('GB');
    expect(geo.lookup('2a00:1450:4009:81f::200e').country).toMatch(/^[A-Z]{2}$/);
  });

  it('answers all-null for private and invalid addresses', () => {
    for (const ip of ['10.1.2.3', '127.0.0.1', '::1', 'garbage']) expect(geo.lookup(ip)).toEqual(NO_GEO);
  });

  it('treats an empty path like an unset one', () => {
    expect(GeoLocator.open('  ', quietLogger()).enabled).toBe(true);
  });
});

describe('GeoLocator when the database cannot be used', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'geo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('warns once for a missing file and then answers all-null without complaint', () => {
    const logger = quietLogger();
    const geo = GeoLocator.open(path.join(dir, 'missing.mmdb'), logger);
    expect(geo.enabled).toBe(false);
    for (let i = 0; i < 3; i++) expect(geo.lookup('81.2.69.142')).toEqual(NO_GEO);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(/GeoIP disabled/);
  });

  it('warns once for a file that is not a database', () => {
    const file = path.join(dir, 'junk.mmdb');
    writeFileSync(file, 'not a maxmind database');
    const logger = quietLogger();
    expect(GeoLocator.open(file, logger).enabled).toBe(false);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('is silent when turned off on purpose', () => {
    const logger = quietLogger();
    expect(GeoLocator.open('off', logger).enabled).toBe(false);
    expect(logger.warn).not.toHaveBeenCalled();
  });
});

describe('geoFromRecord', () => {
  it('reads the flat DB-IP City Lite record of ip-location-db', () => {
    const record = { city: 'London', country_code: 'GB', latitude: 51.5, longitude: -0.09, postcode: '', state1: 'England', state2: '', timezone: '' };
    expect(geoFromRecord(record)).toEqual({ country: 'GB', region: 'England', city: 'London' });
  });

  it('reads a country-only record and drops unknown codes', () => {
    expect(geoFromRecord({ country_code: 'de' })).toEqual({ country: 'DE', region: null, city: null });
    expect(geoFromRecord({ country_code: 'ZZ' })).toEqual(NO_GEO);
  });

  it('reads the GeoIP2 record shape', () => {
    const record = {
      country: { iso_code: 'US', names: { en: 'United States' } },
      subdivisions: [{ iso_code: 'WA', names: { en: 'Washington' } }],
      city: { names: { en: 'Milton' } },
    };
    expect(geoFromRecord(record)).toEqual({ country: 'US', region: 'Washington', city: 'Milton' });
  });

  it.each([null, undefined, 42, 'GB', [], { country: 'GB' }, { subdivisions: 'x' }])('answers all-null for %p', (record) => {
    expect(geoFromRecord(record)).toEqual(NO_GEO);
  });
});
