import { promises as fs } from 'node:fs';
import { CanonicalEvent, IngestResult } from '../collect/canonical-event';
import { IngestFailure } from '../collect/ingest-error';
import { IngestionService, IngestSender, NO_CLIENT } from '../collect/ingestion.service';
import { WebsiteLookup } from '../collect/website-lookup';
import { DROPPED_EVENT_ID } from '../shields/shield-filter';
import { FileLine, readLines } from './line-reader';
import { csvRecordComplete, csvRecordToEvent, detectFormat, ImportFormat, isBlank, LineOutcome, parseCsvHeader, parseNdjsonLine, validateEvent } from './lines';
import { ProgressSink } from './progress';

export type OnError = 'skip' | 'abort';

export interface ImportOptions {
  websiteId: string;
  file: string;
  /** ndjson or csv; by default csv for *.csv files, else ndjson. */
  format?: ImportFormat | string | null;
  onError?: OnError;
  /** Continue after the line the checkpoint file names. */
  resume?: boolean;
  /** Events per IngestionService call. */
  batchSize?: number;
  /** Batches handed to the service before the oldest must have committed. */
  inflight?: number;
  progress?: ProgressSink | null;
  /** Stops reading; committed batches are checkpointed and the result says "interrupted". */
  signal?: AbortSignal;
  /** Bad lines kept in the result (all are counted). */
  maxBadLinesListed?: number;
  now?: () => Date;
}

export interface BadLine {
  line: number;
  reason: string;
}

export interface ImportResult {
  status: 'completed' | 'aborted' | 'interrupted';
  format: ImportFormat;
  /** Last line read (in this run). */
  lines: number;
  /** Line the run started after (the checkpoint's, with --resume; else 0). */
  resumedAfterLine: number;
  imported: number;
  duplicates: number;
  /** Events the website's shields dropped (not stored). */
  dropped: number;
  badLines: number;
  /** The bad lines found in this run, in line order, at most maxBadLinesListed of them. */
  bad: BadLine[];
  elapsedMs: number;
  eventsPerSecond: number;
  checkpointFile: string;
}

/** <file>.footfall-import.json, rewritten after every committed batch. */
export interface Checkpoint {
  version: 1;
  websiteId: string;
  format: ImportFormat;
  fileSize: number;
  /** Every line up to and including this one is committed (or was bad). */
  line: number;
  /** Byte offset just past that line. */
  offset: number;
  /** CSV column names, so a resumed run need not re-read the header. */
  columns: string[] | null;
  imported: number;
  duplicates: number;
  /** Absent in checkpoints written before shields: none dropped. */
  dropped?: number;
  badLines: number;
  done: boolean;
  updatedAt: string;
}

/** The website named by --website does not exist. */
export class UnknownWebsiteError extends Error {
  constructor(readonly websiteId: string) {
    super(`Website not found: ${websiteId}`);
    this.name = 'UnknownWebsiteError';
  }
}

/** The file or its options cannot be imported at all (bad header, checkpoint of another import). */
export class ImportSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportSetupError';
  }
}

export interface ImporterDeps {
  websites: WebsiteLookup;
  ingestion: IngestionService;
}

interface Batch {
  events: CanonicalEvent[];
  lines: number[];
  lastLine: number;
  end: number;
  badSoFar: number;
}

interface Tally {
  imported: number;
  duplicates: number;
  dropped: number;
  bad: BadLine[];
}

interface Written {
  batch: Batch;
  outcome: Promise<Tally>;
}

export const checkpointPath = (file: string) => `${file}.footfall-import.json`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The import command runs with the server's own rights: any website, no credential. */
const OPERATOR: IngestSender = { kind: 'operator' };

/**
 * Bulk import of native events from an NDJSON or CSV file into one website. Every line is checked
 * by the native dialect's parse, and each batch goes through the IngestionService: the same path
 * as POST /api/v1/events (enrichment, visitor salts, the website's shields, monthly quota, writer), minus HTTP,
 * credentials and rate limits.
 */
export class Importer {
  constructor(private readonly deps: ImporterDeps) {}

  async run(opts: ImportOptions): Promise<ImportResult> {
    const started = Date.now();
    const now = opts.now ?? (() => new Date());
    if (!(await this.deps.websites.find(opts.websiteId))) throw new UnknownWebsiteError(opts.websiteId);
    const format = detectFormat(opts.file, opts.format);
    const fileSize = (await fs.stat(opts.file)).size;
    const cpFile = checkpointPath(opts.file);
    const maxListed = opts.maxBadLinesListed ?? 1000;

    const checkpoint = opts.resume ? await readCheckpoint(cpFile) : null;
    if (checkpoint) {
      if (checkpoint.websiteId !== opts.websiteId) throw new ImportSetupError(`The checkpoint ${cpFile} is of an import into website ${checkpoint.websiteId}`);
      if (checkpoint.format !== format) throw new ImportSetupError(`The checkpoint ${cpFile} is of a ${checkpoint.format} import`);
      if (checkpoint.offset > fileSize) throw new ImportSetupError(`The checkpoint ${cpFile} is past the end of the file: was the file replaced?`);
    }
    const start = { line: checkpoint?.line ?? 0, offset: checkpoint?.offset ?? 0, columns: checkpoint?.columns ?? null };
    const totals = { imported: checkpoint?.imported ?? 0, duplicates: checkpoint?.duplicates ?? 0, dropped: checkpoint?.dropped ?? 0, bad: checkpoint?.badLines ?? 0 };
    const bad: BadLine[] = [];
    let badThisRun = 0;
    const noteBad = (b: BadLine) => {
      badThisRun++;
      if (bad.length < maxListed) bad.push(b);
    };
    const result = (status: ImportResult['status'], lines: number, imported: number, duplicates: number): ImportResult => {
      const elapsedMs = Date.now() - started;
      bad.sort((a, b) => a.line - b.line);
      return {
        status,
        format,
        lines,
        resumedAfterLine: start.line,
        imported,
        duplicates,
        dropped: totals.dropped,
        badLines: totals.bad + badThisRun,
        bad,
        elapsedMs,
        // Events stored or found already stored, per second of this run.
        eventsPerSecond: elapsedMs > 0 ? Math.round(((imported + duplicates - (checkpoint?.imported ?? 0) - (checkpoint?.duplicates ?? 0)) * 1000) / elapsedMs) : 0,
        checkpointFile: cpFile,
      };
    };

    if (checkpoint?.done) return result('completed', checkpoint.line, totals.imported, totals.duplicates);

    // abort mode: a full validation pass first; one bad line and nothing is written.
    if ((opts.onError ?? 'skip') === 'abort') {
      let last = start.line;
      for await (const rec of this.records(opts.file, format, opts.websiteId, start, now)) {
        last = rec.line;
        if (!rec.parsed.ok) noteBad({ line: rec.line, reason: rec.parsed.reason });
        if (rec.line % 1000 === 0) opts.progress?.update({ phase: 'validating', bytesDone: rec.end - start.offset, bytesTotal: fileSize - start.offset, line: rec.line, imported: 0, bad: badThisRun });
        if (opts.signal?.aborted) return result('interrupted', last, totals.imported, totals.duplicates);
      }
      opts.progress?.update({ phase: 'validating', bytesDone: fileSize - start.offset, bytesTotal: fileSize - start.offset, line: last, imported: 0, bad: badThisRun });
      if (badThisRun > 0) {
        opts.progress?.done();
        return result('aborted', last, totals.imported, totals.duplicates);
      }
    }

    const batchSize = Math.max(1, opts.batchSize ?? 1000);
    const window = Math.max(1, opts.inflight ?? 2);
    const queue: Written[] = [];
    let columns = start.columns;
    // Bad lines found by parsing (this run) and by the database (rows it refused).
    let parseBad = 0;
    let writeBad = 0;
    let batch: Batch = { events: [], lines: [], lastLine: start.line, end: start.offset, badSoFar: 0 };
    const checkpointAt = (at: { lastLine: number; end: number }, badLines: number, done: boolean) =>
      writeCheckpoint(cpFile, {
        version: 1, websiteId: opts.websiteId, format, fileSize, line: at.lastLine, offset: at.end, columns,
        imported: totals.imported, duplicates: totals.duplicates, dropped: totals.dropped, badLines, done, updatedAt: new Date().toISOString(),
      });
    const commitOldest = async () => {
      const w = queue.shift()!;
      const o = await w.outcome.catch(async (err: unknown) => {
        // The batches still in flight end before the failure is reported: none is left unhandled.
        await Promise.allSettled(queue.map((q) => q.outcome));
        throw err;
      });
      totals.imported += o.imported;
      totals.duplicates += o.duplicates;
      totals.dropped += o.dropped;
      writeBad += o.bad.length;
      o.bad.forEach(noteBad);
      await checkpointAt(w.batch, totals.bad + w.batch.badSoFar + writeBad, false);
    };

    let interrupted = false;
    for await (const rec of this.records(opts.file, format, opts.websiteId, start, now, (c) => (columns = c))) {
      if (rec.parsed.ok) {
        batch.events.push(rec.parsed.value);
        batch.lines.push(rec.line);
      } else {
        parseBad++;
        noteBad({ line: rec.line, reason: rec.parsed.reason });
      }
      batch.lastLine = rec.line;
      batch.end = rec.end;
      batch.badSoFar = parseBad;
      if (batch.events.length >= batchSize) {
        const full = batch;
        batch = { events: [], lines: [], lastLine: full.lastLine, end: full.end, badSoFar: parseBad };
        queue.push(this.started(full));
        if (queue.length >= window) await commitOldest();
      }
      if (rec.line % 1000 === 0) {
        opts.progress?.update({ phase: 'importing', bytesDone: rec.end - start.offset, bytesTotal: fileSize - start.offset, line: rec.line, imported: totals.imported, duplicates: totals.duplicates, bad: totals.bad + parseBad + writeBad });
      }
      if (opts.signal?.aborted) {
        interrupted = true;
        break;
      }
    }
    if (batch.events.length) queue.push(this.started(batch));
    while (queue.length) await commitOldest();
    // The last lines may all have been bad: the checkpoint still moves past them.
    await checkpointAt(batch, totals.bad + parseBad + writeBad, !interrupted);
    const lastLine = batch.lastLine;
    opts.progress?.update({ phase: 'importing', bytesDone: fileSize - start.offset, bytesTotal: fileSize - start.offset, line: lastLine, imported: totals.imported, duplicates: totals.duplicates, bad: totals.bad + parseBad + writeBad });
    opts.progress?.done();
    return result(interrupted ? 'interrupted' : 'completed', lastLine, totals.imported, totals.duplicates);
  }

  /** Lines (or CSV records) after the start point, each parsed and validated. */
  private async *records(
    file: string,
    format: ImportFormat,
    websiteId: string,
    start: { line: number; offset: number; columns: string[] | null },
    now: () => Date,
    onColumns?: (columns: string[]) => void,
  ): AsyncGenerator<{ line: number; end: number; parsed: LineOutcome<CanonicalEvent> }> {
    let columns = start.columns;
    let pending: FileLine | null = null;
    let pendingText = '';
    const clock = { at: now(), n: 0 };
    const current = () => (++clock.n % 1000 === 0 ? (clock.at = now()) : clock.at);
    for await (const l of readLines(file, { start: start.offset, firstLineNumber: start.line + 1 })) {
      const text = l.number === 1 ? l.text.replace(/^\uFEFF/, '') : l.text;
      if (format === 'ndjson') {
        if (isBlank(text)) continue;
        const json = parseNdjsonLine(text);
        yield { line: l.number, end: l.end, parsed: json.ok ? validateEvent(json.value, websiteId, text, current()) : json };
        continue;
      }
      // CSV: a quoted field may span lines; the record is numbered by its first line.
      if (pending) {
        pendingText += '\n' + text;
      } else {
        if (isBlank(text)) continue;
        pending = l;
        pendingText = text;
      }
      if (!csvRecordComplete(pendingText)) continue;
      const first = pending;
      const record = pendingText;
      pending = null;
      pendingText = '';
      if (!columns) {
        const header = parseCsvHeader(record);
        if (!header.ok) throw new ImportSetupError(`line ${first.number}: ${header.reason}`);
        columns = header.value;
        onColumns?.(columns);
        continue;
      }
      const event = csvRecordToEvent(columns, record);
      yield { line: first.number, end: l.end, parsed: event.ok ? validateEvent(event.value, websiteId, record, current()) : event };
    }
    if (pending) yield { line: pending.number, end: pending.end, parsed: { ok: false, reason: 'CSV: unterminated quoted field at end of file' } };
  }

  /** A batch handed to the service; its failure is handled when its turn to commit comes (not unhandled before). */
  private started(batch: Batch): Written {
    const outcome = this.store(batch);
    outcome.catch(() => undefined);
    return { batch, outcome };
  }

  /**
   * Ingests one batch; a batch the database refuses is retried event by event to find the bad ones.
   * Events the website's shields drop come back with the dropped event id.
   */
  private async store(batch: Batch): Promise<Tally> {
    const tally: Tally = { imported: 0, duplicates: 0, dropped: 0, bad: [] };
    if (!batch.events.length) return tally;
    try {
      const r = await this.ingest(batch.events);
      r.eventIds.forEach((id, i) => {
        if (id === DROPPED_EVENT_ID) tally.dropped++;
        else if (r.duplicate![i]) tally.duplicates++;
        else tally.imported++;
      });
      return tally;
    } catch (err) {
      if (!(err instanceof IngestFailure) || err.error.code !== 'validation') throw err;
    }
    for (let i = 0; i < batch.events.length; i++) {
      try {
        const r = await this.ingest([batch.events[i]]);
        if (r.eventIds[0] === DROPPED_EVENT_ID) tally.dropped++;
        else if (r.replayed) tally.duplicates++;
        else tally.imported++;
      } catch (err) {
        if (!(err instanceof IngestFailure) || err.error.code !== 'validation') throw err;
        tally.bad.push({ line: batch.lines[i], reason: err.error.message });
      }
    }
    return tally;
  }

  /** IngestionService.ingest, waiting and retrying while the writer sheds load or the database is briefly away. */
  private async ingest(events: CanonicalEvent[]): Promise<IngestResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.deps.ingestion.ingest(events, OPERATOR, NO_CLIENT);
      } catch (err) {
        if (!(err instanceof IngestFailure) || err.error.code !== 'overloaded' || attempt >= 6) throw err;
        await sleep(Math.min(10_000, 250 * 2 ** attempt));
      }
    }
  }
}

export async function readCheckpoint(file: string): Promise<Checkpoint | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const cp = JSON.parse(text) as Checkpoint;
  if (cp.version !== 1 || typeof cp.line !== 'number' || typeof cp.offset !== 'number') throw new ImportSetupError(`${file} is not an import checkpoint`);
  return cp;
}

/** Written to a temporary file and renamed, so a crash never leaves half a checkpoint. */
export async function writeCheckpoint(file: string, cp: Checkpoint): Promise<void> {
  const tmp = `${file}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(cp, null, 2) + '\n');
  await fs.rename(tmp, file);
}
