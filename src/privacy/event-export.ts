import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { QUERY_DATA_SOURCE } from '../database/query-data-source';

export type ExportFormat = 'ndjson' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['ndjson', 'csv'];

/** The exported columns: everything stored about an event (there is no IP to export). */
export const EXPORT_COLUMNS = [
  'id', 'occurred_at', 'kind', 'name', 'visitor_id', 'session_id', 'hostname', 'path', 'query', 'title', 'referrer',
  'referrer_domain', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'props', 'browser',
  'browser_version', 'os', 'os_version', 'device_type', 'is_bot', 'country', 'region', 'city', 'language', 'screen',
  'screen_width', 'screen_height', 'user_id', 'event_key',
] as const;

const FETCH_ROWS = 1000;

/** Text a spreadsheet would run as a formula (OWASP CSV injection): such cells get a leading quote. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Visitors choose titles, paths and props: only their strings are neutralised, never numbers.
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One exported line (with its newline) of a row in the given format. */
export function exportLine(row: Record<string, unknown>, format: ExportFormat): string {
  if (format === 'csv') return EXPORT_COLUMNS.map((c) => csvField(row[c])).join(',') + '\r\n';
  return JSON.stringify(row) + '\n';
}

/**
 * Streams a website's events in a time range, oldest first, through a server-side cursor so
 * memory stays flat whatever the size; one consistent snapshot for the whole export. Runs on the
 * query pool (its export slots), never on the connections of ingestion.
 */
@Injectable()
export class EventExport {
  constructor(@InjectDataSource(QUERY_DATA_SOURCE) private readonly db: DataSource) {}

  async *lines(websiteId: string, range: { start: Date; end: Date }, format: ExportFormat): AsyncGenerator<string> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(
        `DECLARE event_export NO SCROLL CURSOR FOR
         SELECT id::text, ${EXPORT_COLUMNS.slice(1).join(', ')} FROM events
         WHERE website_id = $1 AND occurred_at >= $2 AND occurred_at < $3 ORDER BY occurred_at, id`,
        [websiteId, range.start, range.end],
      );
      if (format === 'csv') yield EXPORT_COLUMNS.join(',') + '\r\n';
      for (;;) {
        const rows: Record<string, unknown>[] = await runner.query(`FETCH ${FETCH_ROWS} FROM event_export`);
        if (!rows.length) break;
        yield rows.map((r) => exportLine(r, format)).join('');
      }
      await runner.commitTransaction();
    } finally {
      // Also reached when the client goes away mid-stream: the generator is returned early.
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }
}
