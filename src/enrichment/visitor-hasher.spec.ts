import { hashVisitor, VisitorHasher } from './visitor-hasher';

const BASE = {
  salt: 'salt-of-the-day',
  websiteId: 'site1',
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/125.0',
};

describe('visitor hash', () => {
  it('is 16 lower-case hex characters and deterministic', () => {
    const id = hashVisitor(BASE);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(hashVisitor({ ...BASE })).toBe(id);
  });

  it.each(['salt', 'websiteId', 'ip', 'userAgent'] as const)('changes with the %s', (part) => {
    expect(hashVisitor({ ...BASE, [part]: `${BASE[part]}x` })).not.toBe(hashVisitor(BASE));
  });

  it('cannot be fooled by moving text between parts', () => {
    expect(hashVisitor({ ...BASE, websiteId: 'ab', ip: 'c' })).not.toBe(hashVisitor({ ...BASE, websiteId: 'a', ip: 'bc' }));
    expect(hashVisitor({ ...BASE, ip: null, userAgent: 'x' })).not.toBe(hashVisitor({ ...BASE, ip: 'x', userAgent: null }));
  });

  it('handles absent IP and user agent', () => {
    expect(hashVisitor({ ...BASE, ip: null, userAgent: null })).toMatch(/^[0-9a-f]{16}$/);
  });

  it('lets a client-supplied visitor id through unchanged', () => {
    const hasher = new VisitorHasher();
    expect(hasher.visitorId('client-visitor-42', BASE)).toBe('client-visitor-42');
    expect(hasher.visitorId(null, BASE)).toBe(hashVisitor(BASE));
  });
});
