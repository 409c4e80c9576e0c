/** What the importer reports while it runs. */
export interface ProgressState {
  phase: 'validating' | 'importing';
  /** Bytes read so far in this phase, and the bytes this phase has to read. */
  bytesDone: number;
  bytesTotal: number;
  /** Last line number read. */
  line: number;
  imported: number;
  /** Events the database already held (a re-run): processed, not stored again. */
  duplicates?: number;
  bad: number;
}

export interface ProgressSink {
  update(state: ProgressState): void;
  /** Clears the bar (before the summary is printed). */
  done(): void;
}

interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const BAR_WIDTH = 24;

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '--:--';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${two(m)}:${two(s % 60)}` : `${two(m)}:${two(s % 60)}`;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/**
 * A progress line on stderr: a bar redrawn in place at most `ttyIntervalMs` apart on a terminal,
 * or a plain line every `plainIntervalMs` when stderr is a file or pipe. Rate and ETA come from
 * bytes read against the file size (the line count is not known in advance).
 */
export class ProgressBar implements ProgressSink {
  private phaseStarted = Date.now();
  private phase: ProgressState['phase'] | null = null;
  private phaseStartLine = 0;
  private phaseStartImported = 0;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly out: Writable = process.stderr,
    private readonly opts: { ttyIntervalMs?: number; plainIntervalMs?: number; now?: () => number } = {},
  ) {}

  private get now(): number {
    return (this.opts.now ?? Date.now)();
  }

  update(s: ProgressState): void {
    const now = this.now;
    if (s.phase !== this.phase) {
      if (this.drawn && this.out.isTTY) this.out.write('\n');
      this.phase = s.phase;
      this.phaseStarted = now;
      this.phaseStartLine = s.line;
      this.phaseStartImported = s.imported + (s.duplicates ?? 0);
      this.lastDraw = -Infinity;
      this.drawn = false;
    }
    const interval = this.out.isTTY ? (this.opts.ttyIntervalMs ?? 250) : (this.opts.plainIntervalMs ?? 5000);
    const finished = s.bytesDone >= s.bytesTotal;
    if (!finished && now - this.lastDraw < interval) return;
    if (finished && !this.out.isTTY) return; // the summary follows
    this.lastDraw = now;
    this.draw(s, now);
  }

  done(): void {
    if (this.drawn && this.out.isTTY) this.out.write('\n');
    this.drawn = false;
  }

  private draw(s: ProgressState, now: number): void {
    const elapsed = Math.max(1, now - this.phaseStarted);
    const fraction = s.bytesTotal > 0 ? Math.min(1, s.bytesDone / s.bytesTotal) : 1;
    const eta = fraction > 0 && fraction < 1 ? (elapsed / fraction) * (1 - fraction) : fraction >= 1 ? 0 : NaN;
    const perSecond = s.phase === 'importing' ? ((s.imported + (s.duplicates ?? 0) - this.phaseStartImported) * 1000) / elapsed : ((s.line - this.phaseStartLine) * 1000) / elapsed;
    const unit = s.phase === 'importing' ? 'events/s' : 'lines/s';
    const stats =
      `${(fraction * 100).toFixed(1).padStart(5)}% ${formatBytes(s.bytesDone)}/${formatBytes(s.bytesTotal)} | line ${s.line.toLocaleString('en-US')}` +
      ` | ${s.phase === 'importing' ? `imported ${s.imported.toLocaleString('en-US')}${s.duplicates ? ` | duplicates ${s.duplicates.toLocaleString('en-US')}` : ''} | ` : ''}bad ${s.bad}` +
      ` | ${Math.round(perSecond).toLocaleString('en-US')} ${unit} | ETA ${formatDuration(eta)}`;
    if (this.out.isTTY) {
      const filled = Math.round(fraction * BAR_WIDTH);
      const line = `${s.phase} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${stats}`;
      const width = this.out.columns ?? 120;
      this.out.write(`\r${line.slice(0, Math.max(20, width - 1))}\x1b[K`);
    } else {
      this.out.write(`${s.phase}: ${stats}\n`);
    }
    this.drawn = true;
  }
}

/** The closing lines: counts, elapsed time, rate, and the bad lines (first ones). */
export function formatSummary(r: {
  status: string;
  imported: number;
  duplicates: number;
  dropped?: number;
  badLines: number;
  bad: { line: number; reason: string }[];
  elapsedMs: number;
  eventsPerSecond: number;
  resumedAfterLine: number;
  lines: number;
}, opts: { listBad?: number } = {}): string {
  const out: string[] = [];
  const listed = r.bad.slice(0, opts.listBad ?? 100);
  if (listed.length) {
    out.push(`bad lines${r.status === 'aborted' ? ' (nothing imported)' : ' (skipped)'}:`);
    for (const b of listed) out.push(`  line ${b.line}: ${b.reason}`);
    const more = r.badLines - listed.length;
    if (more > 0) out.push(`  ... and ${more} more`);
  }
  const fmt = (n: number) => n.toLocaleString('en-US');
  out.push(
    `${r.status}: imported ${fmt(r.imported)}, duplicates ${fmt(r.duplicates)}${r.dropped ? `, dropped by shields ${fmt(r.dropped)}` : ''}, bad lines ${fmt(r.badLines)}` +
      `${r.resumedAfterLine ? ` (resumed after line ${fmt(r.resumedAfterLine)})` : ''}, elapsed ${formatDuration(r.elapsedMs)} (${(r.elapsedMs / 1000).toFixed(1)} s), ${fmt(r.eventsPerSecond)} events/s`,
  );
  return out.join('\n') + '\n';
}
