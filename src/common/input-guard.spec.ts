import { jsonDepthExceeds, unsafeInput } from './input-guard';

const nested = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

describe('unsafeInput', () => {
  it.each([
    ['NUL in a value', { a: 'x\u0000' }, /NUL/],
    ['NUL in a key', { ['k\u0000']: 1 }, /NUL/],
    ['a lone high surrogate', ['ok', ['\ud800']], /surrogates/],
    ['a lone low surrogate', { a: 'x\udc00y' }, /surrogates/],
    ['65 levels', nested(65), /more than 64 levels/],
  ])('refuses %s', (_, value, message) => {
    expect(unsafeInput(value, 'The body')).toMatch(message);
  });

  it.each([
    ['null', null],
    ['a string', 'plain'],
    ['a surrogate pair', { emoji: '\ud83d\ude00', n: 1, b: false }],
    ['64 levels', nested(64)],
  ])('accepts %s', (_, value) => {
    expect(unsafeInput(value, 'The body')).toBeNull();
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unsafeInput(deep, 'The body', Infinity)).toMatch(/NUL/);
  });
});

describe('jsonDepthExceeds', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(jsonDepthExceeds(nested(3), 3)).toBe(false);
    expect(jsonDepthExceeds(nested(4), 3)).toBe(true);
    expect(jsonDepthExceeds({ a: { b: 'deep string' } }, 2)).toBe(false);
  });
});
