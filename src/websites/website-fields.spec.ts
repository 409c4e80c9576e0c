import { isValidTimeZone, newWebsiteId, normalizeDomain } from './website-fields';

describe('website fields', () => {
  it('makes url-safe ids of 12 characters that differ', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newWebsiteId()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{12}$/);
  });

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
