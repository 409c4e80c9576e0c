import { formatIpRange, IpRangeSet, parseAddress, parseIpRange } from './ip-ranges';

const normalized = (text: string) => {
  const range = parseIpRange(text);
  return range && formatIpRange(range);
};
const set = (...entries: string[]) => new IpRangeSet(entries.map((e) => parseIpRange(e)!));

describe('parseIpRange and formatIpRange: one spelling per range', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['203.0.113.7/32', '203.0.113.7'],
    ['198.51.100.0/24', '198.51.100.0/24'],
    ['198.51.100.77/24', '198.51.100.0/24'],
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['255.255.255.255/31', '255.255.255.254/31'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['2001:db8:ffff::1/32', '2001:db8::/32'],
    ['2001:db8::1/128', '2001:db8::1'],
    ['::', '::'],
    ['::/0', '::/0'],
    ['::1', '::1'],
    ['fe80::/10', 'fe80::/10'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:cb00:7107', '203.0.113.7'],
    ['::ffff:198.51.100.0/120', '198.51.100.0/24'],
    ['::ffff:0:0/96', '0.0.0.0/0'],
    ['::ffff:0:0/95', '::fffe:0:0/95'],
    ['64:ff9b::203.0.113.7', '64:ff9b::cb00:7107'],
  ])('%s is %s', (given, expected) => {
    expect(normalized(given)).toBe(expected);
  });

  it.each([
    '', 'localhost', '203.0.113', '203.0.113.256', '01.2.3.4', '203.0.113.7/33', '203.0.113.7/-1', '203.0.113.7/',
    '203.0.113.7/8/8', '203.0.113.7/ 8', '2001:db8::/129', '2001:db8:::1', 'fe80::1%eth0', 'fe80::1%eth0/64', '1.2.3.4/08x',
  ])('refuses %j', (given) => {
    expect(parseIpRange(given)).toBeNull();
  });

  it('puts an IPv4 address and its IPv4-mapped IPv6 form at one number', () => {
    expect(parseAddress('203.0.113.7')).toBe(parseAddress('::ffff:203.0.113.7'));
    expect(parseAddress('203.0.113.7')).not.toBe(parseAddress('::203.0.113.7'));
  });
});

describe('IpRangeSet', () => {
  it('holds single addresses, and nothing beside them', () => {
    const s = set('203.0.113.7', '2001:db8::1');
    expect(s.has('203.0.113.7')).toBe(true);
    expect(s.has('203.0.113.8')).toBe(false);
    expect(s.has('2001:db8::1')).toBe(true);
    expect(s.has('2001:DB8:0::0001')).toBe(true);
    expect(s.has('2001:db8::2')).toBe(false);
  });

  it('holds IPv4 ranges up to their edges', () => {
    const s = set('198.51.100.0/24', '10.0.0.0/8', '192.0.2.128/25');
    for (const ip of ['198.51.100.0', '198.51.100.255', '10.0.0.0', '10.255.255.255', '192.0.2.128', '192.0.2.255']) expect([ip, s.has(ip)]).toEqual([ip, true]);
    for (const ip of ['198.51.99.255', '198.51.101.0', '9.255.255.255', '11.0.0.0', '192.0.2.127']) expect([ip, s.has(ip)]).toEqual([ip, false]);
  });

  it('holds IPv6 ranges up to their edges', () => {
    const s = set('2001:db8::/32', 'fe80::/10');
    expect(s.has('2001:db8::')).toBe(true);
    expect(s.has('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(s.has('2001:db9::')).toBe(false);
    expect(s.has('2001:db7:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(false);
    expect(s.has('febf:ffff::1')).toBe(true);
    expect(s.has('fec0::')).toBe(false);
  });

  it('takes IPv4-mapped addresses as IPv4, on either side', () => {
    expect(set('203.0.113.0/24').has('::ffff:203.0.113.9')).toBe(true);
    expect(set('::ffff:203.0.113.0/120').has('203.0.113.9')).toBe(true);
    expect(set('::ffff:203.0.113.9').has('203.0.113.9')).toBe(true);
    expect(set('203.0.113.0/24').has('::ffff:203.0.114.9')).toBe(false);
  });

  it('does not mix IPv4 with other IPv6 addresses', () => {
    expect(set('2001:db8::/32').has('32.1.13.184')).toBe(false);
    expect(set('0.0.0.0/0').has('2001:db8::1')).toBe(false);
    expect(set('0.0.0.0/0').has('203.0.113.7')).toBe(true);
    // The whole address space holds the IPv4-mapped part too.
    expect(set('::/0').has('203.0.113.7')).toBe(true);
  });

  it('never holds an absent, invalid or zoned address beyond its zone', () => {
    const s = set('0.0.0.0/0', 'fe80::/10');
    expect(s.has(null)).toBe(false);
    expect(s.has('')).toBe(false);
    expect(s.has('not an ip')).toBe(false);
    expect(s.has('fe80::1%eth0')).toBe(true);
    expect(s.has(' 203.0.113.7 ')).toBe(true);
  });

  it('holds a thousand entries of many prefix lengths', () => {
    const entries = Array.from({ length: 1000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/${16 + (i % 17)}`);
    const s = set(...entries);
    expect(s.has('10.3.231.0')).toBe(true);
    expect(s.has('11.0.0.1')).toBe(false);
  });
});
