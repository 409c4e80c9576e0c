import { normalizeIp } from './ip-address';

describe('normalizeIp', () => {
  it.each([
    ['81.2.69.142', '81.2.69.142'],
    [' 81.2.69.142 ', '81.2.69.142'],
    ['::ffff:81.2.69.142', '81.2.69.142'],
    ['::FFFF:81.2.69.142', '81.2.69.142'],
    ['2001:DB8::1', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
  ])('normalises %p to %p', (input, out) => expect(normalizeIp(input)).toBe(out));

  it.each([null, undefined, '', 'localhost', '1.2.3', '256.1.1.1', '1.2.3.4:80', 42, 'x'.repeat(100)])('rejects %p', (input) => {
    expect(normalizeIp(input)).toBeNull();
  });
});
