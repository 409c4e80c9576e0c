import { cleanText } from './text';

describe('cleanText', () => {
  it('trims, and gives null for empty or non-string values', () => {
    expect(cleanText('  Pricing  ', 100)).toBe('Pricing');
    expect(cleanText('   ', 100)).toBeNull();
    expect(cleanText(42, 100)).toBeNull();
  });

  it('removes NUL and replaces a lone surrogate half with U+FFFD, keeping whole pairs', () => {
    expect(cleanText('a\u0000b', 100)).toBe('ab');
    expect(cleanText('x\ud800y', 100)).toBe('x\ufffdy');
    expect(cleanText('\udc00', 100)).toBe('\ufffd');
    expect(cleanText('emoji \ud83d\ude00', 100)).toBe('emoji \ud83d\ude00');
  });

  it('cuts at the limit without leaving half of a pair', () => {
    expect(cleanText('ab\ud83d\ude00', 3)).toBe('ab');
    expect(cleanText('abcdef', 3)).toBe('abc');
  });
});
