import { MAX_PATH_PATTERN_LENGTH } from './path-patterns';
import { normalizeShields, NO_SHIELDS, ShieldedEvent, ShieldRules, Shields } from './shield-rules';

const shields = (s: Partial<Shields>): Shields => ({ ...NO_SHIELDS, ...s });
const rules = (s: Partial<Shields>) => {
  const n = normalizeShields(shields(s));
  if (!('shields' in n)) throw new Error(n.errors.join('; '));
  return ShieldRules.compile(n.shields)!;
};
const event = (e: Partial<ShieldedEvent>): ShieldedEvent => ({ ip: '192.0.2.1', country: 'FR', hostname: 'example.com', path: '/', ...e });

describe('normalizeShields', () => {
  it('gives every entry its one spelling, drops duplicates and keeps the order', () => {
    const n = normalizeShields({
      ip_addresses: [' 198.51.100.7/24', '::ffff:203.0.113.7', '203.0.113.7', '2001:DB8::/32', '198.51.100.0/24'],
      countries: ['de', ' GB ', 'DE'],
      paths: [' /admin/** ', '/a/***', '/admin/**'],
      allowed_hostnames: ['Example.com', '*.Example.com', 'example.com.'],
    });
    expect(n).toEqual({
      shields: {
        ip_addresses: ['198.51.100.0/24', '203.0.113.7', '2001:db8::/32'],
        countries: ['DE', 'GB'],
        paths: ['/admin/**', '/a/**'],
        allowed_hostnames: ['example.com', '*.example.com'],
      },
    });
  });

  it('names the field, index and value of every bad entry', () => {
    const n = normalizeShields({
      ip_addresses: ['203.0.113.7', '203.0.113.300', '10.0.0.0/33'],
      countries: ['DE', 'XX', 'DEU', 'UK'],
      paths: ['admin', '/' + 'a'.repeat(MAX_PATH_PATTERN_LENGTH)],
      allowed_hostnames: ['shop.*.example.com'],
    });
    expect('errors' in n && n.errors).toEqual([
      'ip_addresses[1] ("203.0.113.300"): is not an IP address or CIDR range (such as 203.0.113.7, 198.51.100.0/24 or 2001:db8::/32)',
      'ip_addresses[2] ("10.0.0.0/33"): is not an IP address or CIDR range (such as 203.0.113.7, 198.51.100.0/24 or 2001:db8::/32)',
      'countries[1] ("XX"): is not an ISO 3166-1 alpha-2 country code (such as DE or GB)',
      'countries[2] ("DEU"): is not an ISO 3166-1 alpha-2 country code (such as DE or GB)',
      'countries[3] ("UK"): is not an ISO 3166-1 alpha-2 country code (such as DE or GB)',
      'paths[0] ("admin"): must start with / or *',
      `paths[1] ("/${'a'.repeat(MAX_PATH_PATTERN_LENGTH)}"): must be at most ${MAX_PATH_PATTERN_LENGTH} characters`,
      'allowed_hostnames[0] ("shop.*.example.com"): may hold * only as its first label, as in *.example.com',
    ]);
  });
});

describe('ShieldRules', () => {
  it('has no rules to run for empty shields', () => {
    expect(ShieldRules.compile(NO_SHIELDS)).toBeNull();
  });

  it('drops by address and range, IPv4-mapped addresses included', () => {
    const r = rules({ ip_addresses: ['203.0.113.7', '198.51.100.0/24', '2001:db8::/32'] });
    expect(r.dropReason(event({ ip: '203.0.113.7' }))).toBe('ip');
    expect(r.dropReason(event({ ip: '::ffff:198.51.100.200' }))).toBe('ip');
    expect(r.dropReason(event({ ip: '2001:db8:1::5' }))).toBe('ip');
    expect(r.dropReason(event({ ip: '203.0.113.8' }))).toBeNull();
    expect(r.dropReason(event({ ip: null }))).toBeNull();
  });

  it('drops by country', () => {
    const r = rules({ countries: ['gb'] });
    expect(r.dropReason(event({ country: 'GB' }))).toBe('country');
    expect(r.dropReason(event({ country: 'DE' }))).toBeNull();
    expect(r.dropReason(event({ country: null }))).toBeNull();
  });

  it('drops by path', () => {
    const r = rules({ paths: ['/admin/**', '/preview'] });
    expect(r.dropReason(event({ path: '/admin/users' }))).toBe('path');
    expect(r.dropReason(event({ path: '/preview' }))).toBe('path');
    expect(r.dropReason(event({ path: '/pricing' }))).toBeNull();
    expect(r.dropReason(event({ path: null }))).toBeNull();
  });

  it('drops hostnames not allowed, and judges no event that names none', () => {
    const r = rules({ allowed_hostnames: ['example.com', '*.example.com'] });
    expect(r.dropReason(event({ hostname: 'Example.COM' }))).toBeNull();
    expect(r.dropReason(event({ hostname: 'shop.example.com' }))).toBeNull();
    expect(r.dropReason(event({ hostname: 'localhost' }))).toBe('hostname');
    expect(r.dropReason(event({ hostname: 'example.com.evil.test' }))).toBe('hostname');
    expect(r.dropReason(event({ hostname: null }))).toBeNull();
  });

  it('lets everything through when only other lists are set', () => {
    const r = rules({ countries: ['GB'] });
    expect(r.dropReason(event({ hostname: 'anything.test', path: '/admin', ip: '203.0.113.7' }))).toBeNull();
  });

  it('names the first rule that applies: ip, country, hostname, then path', () => {
    const r = rules({ ip_addresses: ['203.0.113.7'], countries: ['GB'], allowed_hostnames: ['example.com'], paths: ['/admin/**'] });
    const all = { ip: '203.0.113.7', country: 'GB', hostname: 'other.test', path: '/admin/x' };
    expect(r.dropReason(event(all))).toBe('ip');
    expect(r.dropReason(event({ ...all, ip: null }))).toBe('country');
    expect(r.dropReason(event({ ...all, ip: null, country: null }))).toBe('hostname');
    expect(r.dropReason(event({ ...all, ip: null, country: null, hostname: 'example.com' }))).toBe('path');
  });
});
