import { arrayElement } from './events.repository';

describe('arrayElement (Postgres array literal syntax)', () => {
  it('uses plain values as they are', () => {
    expect(arrayElement('plain')).toBe('plain');
    expect(arrayElement('/blog/post-1?x=1')).toBe('/blog/post-1?x=1');
    expect(arrayElement('日本語😀')).toBe('日本語😀');
  });

  it('quotes values holding separators, braces, quotes, backslashes or spaces, escaping only backslash and quote', () => {
    expect(arrayElement('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
    expect(arrayElement('{x,y}')).toBe('"{x,y}"');
    expect(arrayElement('Mobile Safari')).toBe('"Mobile Safari"');
    expect(arrayElement(' padded\t')).toBe('" padded\t"');
    expect(arrayElement('')).toBe('""');
  });

  it('writes NULL for null and undefined, and quotes the text NULL in any case', () => {
    expect(arrayElement(null)).toBe('NULL');
    expect(arrayElement(undefined)).toBe('NULL');
    expect(arrayElement('NULL')).toBe('"NULL"');
    expect(arrayElement('null')).toBe('"null"');
  });

  it('writes the text form of dates, booleans, numbers and objects', () => {
    expect(arrayElement(new Date('2026-11-24T10:00:00.123Z'))).toBe('2026-11-24T10:00:00.123Z');
    expect(arrayElement(true)).toBe('true');
    expect(arrayElement(1920)).toBe('1920');
    expect(arrayElement({ plan: 'pro "x"' })).toBe('"{\\"plan\\":\\"pro \\\\\\"x\\\\\\"\\"}"');
  });
});
