import { isValidTimeZone, normalizeDomain } from './website-fields';

describe('website fields', () => {
  it.each([
    ['example.com', 'example.com'],
    ['https://www.Example.com/pricing?x=1', 'www.example.com'],
    ['shop.example.co.uk.', 'shop.example.co.uk'],
    ['localhost:8080', 'localhost'],
  ])('normalises %s to %s', (input, out) => expect(normalizeDomain(input)).toBe(out));

  it.each(['', 'not a domain', 'exa mple.com', '-bad.com', 'http://'])('rejects %p', (input) => {
    expect(normalizeDomain(input)).toBeNull();
  });

  it('validates IANA time zones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
