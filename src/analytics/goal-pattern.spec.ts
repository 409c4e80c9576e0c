import { pagePathPattern } from './goal-pattern';

// Postgres ARE and JavaScript agree on everything these patterns use (anchors, `.*`, a negated
// class, backslash before punctuation), so JavaScript can check what they match.
const matches = (pagePath: string, path: string): boolean => new RegExp(pagePathPattern(pagePath)).test(path);

describe('pagePathPattern', () => {
  it.each([
    ['/', '^/$'],
    ['/pricing', '^/pricing$'],
    ['/blog/**', '^/blog/.*$'],
    ['/post/*/edit', '^/post/[^/]*/edit$'],
    ['/**/edit', '^/.*/edit$'],
    ['/a*b', '^/a[^/]*b$'],
    ['/x/***', '^/x/.*[^/]*$'],
  ])('turns %s into %s', (pagePath, pattern) => expect(pagePathPattern(pagePath)).toBe(pattern));

  it('lets ** cross path segments and * stay within one', () => {
    expect(matches('/blog/**', '/blog/2024/05/hello')).toBe(true);
    expect(matches('/blog/**', '/blog/')).toBe(true);
    expect(matches('/blog/**', '/blog')).toBe(false);
    expect(matches('/blog/**', '/about/blog/x')).toBe(false);
    expect(matches('/post/*/edit', '/post/42/edit')).toBe(true);
    expect(matches('/post/*/edit', '/post//edit')).toBe(true);
    expect(matches('/post/*/edit', '/post/42/43/edit')).toBe(false);
    expect(matches('/post/*/edit', '/post/42/edit/more')).toBe(false);
  });

  it('anchors both ends: a plain path matches only itself', () => {
    expect(matches('/pricing', '/pricing')).toBe(true);
    expect(matches('/pricing', '/pricing/team')).toBe(false);
    expect(matches('/pricing', '/en/pricing')).toBe(false);
  });

  it.each([
    ['/a.b', '^/a\\.b$', '/a.b', '/axb'],
    ['/c++', '^/c\\+\\+$', '/c++', '/cc'],
    ['/f(x)', '^/f\\(x\\)$', '/f(x)', '/fx'],
    ['/what?', '^/what\\?$', '/what?', '/wha'],
    ['/[draft]', '^/\\[draft\\]$', '/[draft]', '/d'],
    ['/back\\slash', '^/back\\\\slash$', '/back\\slash', '/backslash'],
    ['/a{2}', '^/a\\{2\\}$', '/a{2}', '/aa'],
    ['/a|b', '^/a\\|b$', '/a|b', '/a'],
    ['/^$', '^/\\^\\$$', '/^$', '/'],
  ])('reads %s literally', (pagePath, pattern, literal, notLiteral) => {
    expect(pagePathPattern(pagePath)).toBe(pattern);
    expect(matches(pagePath, literal)).toBe(true);
    expect(matches(pagePath, notLiteral)).toBe(false);
  });

  it('keeps wildcards working next to escaped characters', () => {
    expect(pagePathPattern('/v1.*/docs/**')).toBe('^/v1\\.[^/]*/docs/.*$');
    expect(matches('/v1.*/docs/**', '/v1.2/docs/a/b')).toBe(true);
    expect(matches('/v1.*/docs/**', '/v102/docs/a')).toBe(false);
  });
});
