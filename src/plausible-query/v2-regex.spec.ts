import { regexProblem } from './v2-regex';

describe('regexProblem', () => {
  it.each([
    '^/user/\\d+$',
    '^/(blog|news)/[a-z0-9-]+/?$',
    '(?i)^/Blog',
    'a{1,255}',
    'a{3}b{2,}',
    '(a*)*',
    '(?:ab)+c',
    '(?:a|b){2,3}',
    '(?=x)y',
    '(?<=a)b',
    '(?<!a)b',
    '[[:alpha:]]+',
    '[]a]',
    '[^]a]+',
    '[a\\]]+',
    'a*?',
    'a{2,3}?',
    'a{',
    'a{x}',
    '\\my\\M',
    '',
  ])('accepts %s', (pattern) => {
    expect(regexProblem(pattern)).toBeNull();
  });

  it.each([
    ['a{1,256}', /exceed 255/],
    ['a{300}', /exceed 255/],
    ['a{99999999999999999999}', /exceed 255/],
    ['a{3,2}', /counts down/],
    ['a{1,2', /malformed/],
    ['(a{1,200}){1,200}', /repeated group/],
    ['(a{2})*', /repeated group/],
    ['((x|a{2}))+', /repeated group/],
    ['(a*){2,3}', /repeated group/],
    ['(?:(a+)b){1,5}', /repeated group/],
    ['^/(a+)\\1$', /back-references/],
    ['(x)\\9', /back-references/],
    ['*a', /nothing to repeat/],
    ['a**', /nothing to repeat/],
    ['(|*)', /nothing to repeat/],
    ['\\y*', /nothing to repeat/],
    ['x(?i)y', /not supported/],
    ['(?P<name>a)', /not supported/],
    ['(abc', /never closed/],
    ['abc)', /no matching/],
    ['[abc', /never closed/],
    ['[[:alpha:]', /never closed/],
    ['abc\\', /lone backslash/],
  ])('refuses %s', (pattern, why) => {
    expect(regexProblem(pattern)).toMatch(why);
  });

  it('is fast on the longest pattern allowed', () => {
    const pattern = '(a|b)*'.repeat(83);
    const started = process.hrtime.bigint();
    expect(regexProblem(pattern)).toBeNull();
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(50);
  });
});
