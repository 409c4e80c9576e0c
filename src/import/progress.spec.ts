import { formatDuration, formatSummary, ProgressBar, ProgressState } from './progress';

const state = (over: Partial<ProgressState>): ProgressState => ({ phase: 'importing', bytesDone: 0, bytesTotal: 1000, line: 0, imported: 0, bad: 0, ...over });

describe('progress', () => {
  it('formats durations', () => {
    expect(formatDuration(61_000)).toBe('01:01');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(NaN)).toBe('--:--');
  });

  it('redraws a bar in place on a terminal, at most every interval, with rate and ETA', () => {
    let t = 0;
    const out = { isTTY: true, columns: 200, text: '', write(s: string) { this.text += s; } };
    const bar = new ProgressBar(out, { ttyIntervalMs: 250, now: () => t });
    bar.update(state({}));
    t = 1000;
    bar.update(state({ bytesDone: 250, line: 500, imported: 500 }));
    t = 1100;
    bar.update(state({ bytesDone: 260, line: 520, imported: 520 })); // too soon: not drawn
    expect(out.text.split('\r').filter(Boolean)).toHaveLength(2);
    expect(out.text).toContain('25.0%');
    expect(out.text).toContain('500 events/s');
    expect(out.text).toContain('ETA 00:03');
    bar.done();
    expect(out.text.endsWith('\n')).toBe(true);
  });

  it('counts duplicates (a re-run) in the rate', () => {
    let t = 0;
    const out = { isTTY: false, text: '', write(s: string) { this.text += s; } };
    const bar = new ProgressBar(out, { plainIntervalMs: 1000, now: () => t });
    bar.update(state({}));
    t = 2000;
    bar.update(state({ bytesDone: 500, line: 2000, duplicates: 2000 }));
    expect(out.text).toContain('duplicates 2,000 | bad 0 | 1,000 events/s');
  });

  it('prints plain lines every few seconds when not a terminal', () => {
    let t = 0;
    const out = { isTTY: false, text: '', write(s: string) { this.text += s; } };
    const bar = new ProgressBar(out, { plainIntervalMs: 5000, now: () => t });
    for (t = 0; t <= 12_000; t += 500) bar.update(state({ bytesDone: t / 20, line: t }));
    expect(out.text.trim().split('\n')).toHaveLength(3);
    expect(out.text).not.toContain('\r');
  });

  it('summarizes', () => {
    const text = formatSummary({ status: 'completed', imported: 1500, duplicates: 2, badLines: 3, bad: [{ line: 4, reason: 'invalid JSON' }], elapsedMs: 2000, eventsPerSecond: 750, resumedAfterLine: 0, lines: 10 });
    expect(text).toContain('line 4: invalid JSON');
    expect(text).toContain('... and 2 more');
    expect(text).toContain('completed: imported 1,500, duplicates 2, bad lines 3, elapsed 00:02 (2.0 s), 750 events/s');
  });

  it('says how many events the shields dropped, when any', () => {
    const r = { status: 'completed', imported: 10, duplicates: 0, badLines: 0, bad: [], elapsedMs: 1000, eventsPerSecond: 10, resumedAfterLine: 0, lines: 1012 };
    expect(formatSummary({ ...r, dropped: 1002 })).toContain('completed: imported 10, duplicates 0, dropped by shields 1,002, bad lines 0,');
    expect(formatSummary({ ...r, dropped: 0 })).toContain('completed: imported 10, duplicates 0, bad lines 0,');
  });
});
