import {
  csvRecordComplete,
  csvRecordToEvent,
  detectFormat,
  importEventId,
  parseCsvHeader,
  parseNdjsonLine,
  splitCsvRecord,
  validateEvent,
} from './lines';

const now = new Date('2026-03-01T12:00:00Z');

describe('import line parsing', () => {
  it('detects the format from --format or the extension', () => {
    expect(detectFormat('a.ndjson')).toBe('ndjson');
    expect(detectFormat('a.CSV')).toBe('csv');
    expect(detectFormat('a.txt', 'csv')).toBe('csv');
    expect(() => detectFormat('a', 'xml')).toThrow(/Unknown format/);
  });

  it('derives a stable event id from website and raw line', () => {
    const a = importEventId('site1', '{"url":"https://x.test/"}');
    expect(a).toMatch(/^import:[0-9a-f]{40}$/);
    expect(importEventId('site1', '{"url":"https://x.test/"}')).toBe(a);
    expect(importEventId('site2', '{"url":"https://x.test/"}')).not.toBe(a);
  });

  it('parses NDJSON objects and names JSON errors', () => {
    expect(parseNdjsonLine('{"url":"https://x.test/"}')).toEqual({ ok: true, value: { url: 'https://x.test/' } });
    const bad = parseNdjsonLine('{"url":');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/^invalid JSON/);
    expect(parseNdjsonLine('[1]')).toEqual({ ok: false, reason: 'a line must hold one JSON object' });
    expect(parseNdjsonLine('null').ok).toBe(false);
  });

  it('splits CSV records with quotes, escaped quotes and embedded commas and newlines', () => {
    expect(splitCsvRecord('a,"b,c","say ""hi""",,"x\ny"')).toEqual({ ok: true, value: ['a', 'b,c', 'say "hi"', '', 'x\ny'] });
    expect(splitCsvRecord('a,"b"c').ok).toBe(false);
    expect(splitCsvRecord('a,b"c').ok).toBe(false);
    expect(csvRecordComplete('a,"b')).toBe(false);
    expect(csvRecordComplete('a,"b\nc"')).toBe(true);
    expect(csvRecordComplete('a,"say ""hi"""')).toBe(true);
  });

  it('reads a CSV header of native fields only', () => {
    expect(parseCsvHeader('\uFEFFtype, url ,props')).toEqual({ ok: true, value: ['type', 'url', 'props'] });
    expect(parseCsvHeader('type,path').ok).toBe(false);
    expect(parseCsvHeader('url,url').ok).toBe(false);
  });

  it('turns a CSV record into an event: empty cells absent, props JSON, sizes integers', () => {
    const cols = ['type', 'name', 'url', 'props', 'screen_width', 'title'];
    expect(csvRecordToEvent(cols, 'custom,signup,https://x.test/,"{""plan"":""pro""}",1920,')).toEqual({
      ok: true,
      value: { type: 'custom', name: 'signup', url: 'https://x.test/', props: { plan: 'pro' }, screen_width: 1920 },
    });
    expect(csvRecordToEvent(cols, 'pageview,,https://x.test/,{bad,,')).toEqual({ ok: false, reason: 'props: not valid JSON' });
    expect(csvRecordToEvent(cols, 'pageview').ok).toBe(false);
  });

  it('validates with the native dialect and fills website_id and a deterministic event_id', () => {
    const raw = '{"url":"https://x.test/a"}';
    const ok = validateEvent({ url: 'https://x.test/a' }, 'site1', raw, now);
    expect(ok.ok && ok.value).toMatchObject({ websiteId: 'site1', kind: 'pageview', url: 'https://x.test/a', eventId: importEventId('site1', raw) });
    const own = validateEvent({ url: 'https://x.test/a', event_id: 'e-1' }, 'site1', raw, now);
    expect(own.ok && own.value.eventId).toBe('e-1');
    expect(validateEvent({ website_id: 'site1', url: 'https://x.test/' }, 'site1', '', now).ok).toBe(true);
  });

  it('reports why an event is refused', () => {
    const reason = (e: Record<string, unknown>) => {
      const r = validateEvent(e, 'site1', JSON.stringify(e), now);
      return r.ok ? null : r.reason;
    };
    expect(reason({ type: 'custom', url: 'https://x.test/' })).toMatch(/name/);
    expect(reason({ url: 'https://x.test/', timestamp: '2026-03-01T13:00:00Z' })).toMatch(/future/);
    expect(reason({ url: 'https://x.test/', screen_width: 'wide' })).toMatch(/screen_width/);
    expect(reason({ website_id: 'other', url: 'https://x.test/' })).toMatch(/not the imported website/);
    expect(reason({ events: [] })).toMatch(/one event/);
  });
});
