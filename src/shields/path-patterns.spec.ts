import { pagePathPattern } from '../analytics/goal-pattern';
import { MAX_PATH_PATTERN_LENGTH, normalizePathPattern, PathPatternSet } from './path-patterns';

const matches = (pattern: string, path: string) => new PathPatternSet([pattern]).has(path);

describe('normalizePathPattern', () => {
  it.each([
    ['/admin', '/admin'],
    ['  /admin/**  ', '/admin/**'],
    ['/a/***', '/a/**'],
    ['**/wp-login.php', '**/wp-login.php'],
    ['*.php', '*.php'],
    ['/**/admin/**', '/**/admin/**'],
    ['/**', '/**'],
    ['/' + 'a'.repeat(MAX_PATH_PATTERN_LENGTH - 1), '/' + 'a'.repeat(MAX_PATH_PATTERN_LENGTH - 1)],
  ])('%j is %j', (given, expected) => {
    expect(normalizePathPattern(given)).toEqual({ pattern: expected });
  });

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['admin', 'must start with / or *'],
    ['https://example.com/admin', 'must start with / or *'],
    ['/' + 'a'.repeat(MAX_PATH_PATTERN_LENGTH), `must be at most ${MAX_PATH_PATTERN_LENGTH} characters`],
    ['/**/a*/**', 'cannot have a * between two **'],
  ])('refuses %j: %s', (given, error) => {
    expect(normalizePathPattern(given)).toEqual({ error });
  });
});

describe('PathPatternSet', () => {
  it.each([
    ['/admin', ['/admin'], ['/admin/', '/admin/x', '/Admin', '/administrator']],
    ['/admin/**', ['/admin/', '/admin/users', '/admin/users/7/edit'], ['/admin', '/administrator', '/x/admin/users']],
    ['/admin/*', ['/admin/', '/admin/users'], ['/admin', '/admin/users/7', '/x/admin/users']],
    ['/admin**', ['/admin', '/admin/', '/administrator', '/admin/a/b'], ['/x/admin']],
    ['/post/*/edit', ['/post/1/edit', '/post//edit'], ['/post/1/2/edit', '/post/1/edit/x', '/post/edit']],
    ['**/wp-login.php', ['/wp-login.php', '/blog/wp-login.php', '/a/b/wp-login.php'], ['/wp-login.php5', '/wp-login']],
    ['/**/admin/**', ['/x/admin/', '/a/b/admin/c'], ['/admin/', '/x/administrator/']],
    ['/*', ['/', '/pricing'], ['/pricing/', '/a/b']],
    ['/*.php', ['/index.php', '/.php'], ['/a/index.php', '/index.php/x']],
    ['**', ['/', '/anything/at/all'], []],
    ['/a.b+(c)?[d]\\e{2}|^$', ['/a.b+(c)?[d]\\e{2}|^$'], ['/axb+(c)?[d]\\e{2}|^$']],
    ['/docs/*-draft/**', ['/docs/a-draft/', '/docs/a-draft/b/c'], ['/docs/a/b-draft/c', '/docs/a-draft']],
  ])('%s', (pattern, matching, notMatching) => {
    for (const path of matching) expect([path, matches(pattern, path)]).toEqual([path, true]);
    for (const path of notMatching) expect([path, matches(pattern, path)]).toEqual([path, false]);
  });

  it('matches nothing for an absent path', () => {
    expect(new PathPatternSet(['**']).has(null)).toBe(false);
  });

  it('matches as any of its patterns does', () => {
    const s = new PathPatternSet(['/a', '/b/**', '**.php']);
    expect(['/a', '/b/c', '/x/y.php', '/c'].map((p) => s.has(p))).toEqual([true, true, true, false]);
  });

  it('answers as page goals do (their Postgres pattern, run as a JavaScript one) for every small pattern and path', () => {
    // Every pattern and path up to a few characters over a, b, / and *: wildcards next to one
    // another, at either end, and slashes inside the literal parts.
    const words = (tokens: string[], max: number): string[] => {
      let last = [''];
      const all = [''];
      for (let n = 0; n < max; n++) {
        last = last.flatMap((w) => tokens.map((t) => w + t));
        all.push(...last);
      }
      return all;
    };
    const paths = words(['a', 'b', '/'], 5).map((w) => '/' + w);
    const patterns = words(['a', '/', '*', '**'], 5)
      .map((w) => '/' + w)
      .map((p) => normalizePathPattern(p))
      .flatMap((r) => ('pattern' in r ? [r.pattern] : []));
    expect(patterns.length).toBeGreaterThan(500);
    const mismatches: string[] = [];
    for (const pattern of new Set(patterns)) {
      const reference = new RegExp(pagePathPattern(pattern), 's');
      const set = new PathPatternSet([pattern]);
      for (const path of paths) if (set.has(path) !== reference.test(path)) mismatches.push(`${pattern} ${path}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('stays linear on patterns and paths made to backtrack', () => {
    // A backtracking matcher (or one regular expression) takes seconds here; every piece is
    // looked for once, so this is a few milliseconds.
    const pattern = `${'/*a'.repeat(40)}**b${'*a'.repeat(100)}`;
    expect(normalizePathPattern(pattern)).toEqual({ pattern });
    const s = new PathPatternSet(Array.from({ length: 1000 }, () => pattern));
    const path = '/a'.repeat(40) + 'a'.repeat(1920);
    const started = process.hrtime.bigint();
    expect(s.has(path)).toBe(false);
    expect(s.has(path.slice(0, -1) + 'b' + 'a'.repeat(100))).toBe(true);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(250);
  });
});
