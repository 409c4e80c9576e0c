import { EXPORT_COLUMNS, exportLine } from './event-export';

describe('exportLine', () => {
  const row = { id: '7', occurred_at: new Date('2026-03-01T10:00:00Z'), kind: 'custom', name: 'say "hi", then\nleave', props: { plan: 'pro' }, is_bot: false };

  it('writes NDJSON, one object per line', () => {
    expect(JSON.parse(exportLine(row, 'ndjson'))).toMatchObject({ id: '7', name: 'say "hi", then\nleave', props: { plan: 'pro' } });
    expect(exportLine(row, 'ndjson').endsWith('\n')).toBe(true);
  });

  it('writes CSV in the column order, quoting commas, quotes and newlines', () => {
    const fields = exportLine(row, 'csv');
    expect(fields.endsWith('\r\n')).toBe(true);
    expect(fields.startsWith('7,2026-03-01T10:00:00.000Z,custom,"say ""hi"", then\nleave",')).toBe(true);
    expect(fields).toContain('"{""plan"":""pro""}"');
    expect(fields.split(',').length).toBeGreaterThanOrEqual(EXPORT_COLUMNS.length);
  });

  const plain = { id: '8', kind: 'pageview', path: '/' };

  it.each(['=HYPERLINK("https://evil.test","x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])('neutralises a CSV cell starting like a formula: %j', (text) => {
    const fields = exportLine({ ...plain, title: text }, 'csv');
    const cell = fields.split(',').slice(EXPORT_COLUMNS.indexOf('title')).join(',');
    const quoted = `'${text}`;
    expect(cell.startsWith(/[",\r\n]/.test(quoted) ? `"${quoted.replace(/"/g, '""')}"` : quoted)).toBe(true);
    expect(exportLine({ ...row, title: text }, 'ndjson')).toContain(JSON.stringify(text));
  });

  it('leaves numbers and ordinary text alone', () => {
    const fields = exportLine({ ...plain, title: 'Home - Shop', screen_width: -1 }, 'csv').split(',');
    expect(fields[EXPORT_COLUMNS.indexOf('title')]).toBe('Home - Shop');
    expect(fields).toContain('-1');
  });
});
