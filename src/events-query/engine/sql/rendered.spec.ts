import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { compile } from '../../../analytics/sql';
import { renderQuery, REPRESENTATIVE_QUERIES } from './representative-queries';

describe('the committed SQL of the query builder', () => {
  it.each(Object.keys(REPRESENTATIVE_QUERIES))('%s.sql is what the builder produces (run `npm run queries` after changing it)', (name) => {
    const committed = readFileSync(path.join(__dirname, `${name}.sql`), 'utf8');
    expect(committed).toBe(renderQuery(name, REPRESENTATIVE_QUERIES[name]));
  });

  it('has no file the builder no longer produces', () => {
    const files = readdirSync(__dirname).filter((f) => f.endsWith('.sql')).map((f) => f.slice(0, -4));
    expect(files.sort()).toEqual(Object.keys(REPRESENTATIVE_QUERIES).sort());
  });

  it.each(Object.keys(REPRESENTATIVE_QUERIES))('%s: request values travel only as parameters, every placeholder has one', (name) => {
    const sql = REPRESENTATIVE_QUERIES[name];
    expect(() => compile(sql)).not.toThrow();
    for (const v of Object.values(sql.params)) if (typeof v === 'string' && v.length > 3) expect(sql.text).not.toContain(v);
  });
});
