import { arrayElement } from './events.repository';

describe('arrayElement (Postgres array literal syntax)', () => {
  it('quotes every value, escaping only backslash and double quote', () => {
    expect(arrayElement('plain')).toBe('"plain"');
    expect(arrayElement('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
    expect(arrayElement('{x,y} NULL ')).toBe('"{x,y} NULL "');
    expect(arrayElement('')).toBe('""');
    expect(arrayElement('日本語 😀')).toBe('"日本語 😀"');
  });

  it('writes NULL for null and undefined, and the text form of other values', () => {
    expect(arrayElement(null)).toBe('NULL');
    expect(arrayElement(undefined)).toBe('NULL');
    expect(arrayElement('NULL')).toBe('"NULL"');
    expect(arrayElement(new Date('2026-11-24T10:00:00.123Z'))).toBe('"2026-11-24T10:00:00.123Z"');
    expect(arrayElement(true)).toBe('"true"');
    expect(arrayElement(1920)).toBe('"1920"');
    expect(arrayElement({ plan: 'pro "x"' })).toBe('"{\\"plan\\":\\"pro \\\\\\"x\\\\\\"\\"}"');
  });
});
