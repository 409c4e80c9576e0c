import { compile, Params } from './sql';

describe('named SQL parameters', () => {
  it('numbers placeholders by first appearance and reuses a repeated one', () => {
    const p = new Params();
    const site = p.add('website_id', 'w1');
    const from = p.add('from', new Date(0));
    expect(compile(p.sql(`SELECT 1 WHERE a = ${site} AND b >= ${from} AND c = ${site}`))).toEqual({
      text: 'SELECT 1 WHERE a = $1 AND b >= $2 AND c = $1',
      values: ['w1', new Date(0)],
    });
  });

  it('gives a second value under the same name a numbered twin, and an equal value the same placeholder', () => {
    const p = new Params();
    expect([p.add('page', '/a'), p.add('page', '/b'), p.add('page', '/a'), p.add('page', '/b')]).toEqual([':page', ':page_2', ':page', ':page_2']);
  });

  it('leaves casts, string literals and quoted identifiers alone', () => {
    const p = new Params();
    const tz = p.add('tz', 'UTC');
    const { text, values } = compile(p.sql(`SELECT to_char(now() AT TIME ZONE ${tz}, 'YYYY-MM-DD"T"HH24:MI:SS'), 1::float8, ":x" FROM t`));
    expect(text).toBe(`SELECT to_char(now() AT TIME ZONE $1, 'YYYY-MM-DD"T"HH24:MI:SS'), 1::float8, ":x" FROM t`);
    expect(values).toEqual(['UTC']);
  });

  it('refuses a placeholder without a value and a name that is not an identifier', () => {
    expect(() => compile({ text: 'SELECT :nope', params: {} })).toThrow(/:nope/);
    expect(() => new Params().add('a b', 1)).toThrow();
  });
});
