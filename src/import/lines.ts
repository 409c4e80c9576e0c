import { createHash } from 'node:crypto';
import { CanonicalEvent } from '../collect/canonical-event';
import { locatedMessage } from '../collect/dialects/common';
import { nativeDialect } from '../collect/dialects/native';
import { nativeEventSchema } from '../collect/dialects/native.schema';

/** Pure helpers of the importer: one text line (or CSV record) in, one native event body or a reason out. */

export type ImportFormat = 'ndjson' | 'csv';

export type LineOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The fields of a native event: the columns a CSV header may name. */
export const NATIVE_FIELDS: readonly string[] = Object.keys(nativeEventSchema.properties);

const INTEGER_FIELDS = new Set(['screen_width', 'screen_height']);

/** ndjson unless --format says otherwise or the file name ends in .csv. */
export function detectFormat(file: string, given?: string | null): ImportFormat {
  if (given) {
    const f = given.toLowerCase();
    if (f === 'ndjson' || f === 'jsonl' || f === 'json') return 'ndjson';
    if (f === 'csv') return 'csv';
    throw new Error(`Unknown format "${given}": use ndjson or csv`);
  }
  return /\.csv$/i.test(file) ? 'csv' : 'ndjson';
}

/** The event id of a line that has none: the same website and line always give the same id. */
export function importEventId(websiteId: string, raw: string): string {
  return 'import:' + createHash('sha256').update(websiteId).update('\n').update(raw).digest('hex').slice(0, 40);
}

/** Whether a line holds nothing to import (empty or only white space). */
export const isBlank = (line: string): boolean => line.trim() === '';

/** One NDJSON line: a JSON object. */
export function parseNdjsonLine(line: string): LineOutcome<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, reason: `invalid JSON: ${(err as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'a line must hold one JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * Whether text holds a whole CSV record: a quoted field may span lines, so a record is complete
 * once its quotes are balanced (escaped quotes come in pairs and do not change the parity).
 */
export function csvRecordComplete(text: string): boolean {
  let quotes = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) quotes++;
  return quotes % 2 === 0;
}

/** Splits one complete CSV record (RFC 4180: comma separated, "" escapes a quote inside quotes). */
export function splitCsvRecord(text: string): LineOutcome<string[]> {
  const fields: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let atStart = true;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        if (i < text.length && text[i] !== ',') return { ok: false, reason: `CSV: unexpected character after closing quote at column ${fields.length + 1}` };
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && atStart) {
      quoted = true;
      atStart = false;
      i++;
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      atStart = true;
      i++;
      continue;
    }
    if (c === '"') return { ok: false, reason: `CSV: stray quote in unquoted field at column ${fields.length + 1}` };
    field += c;
    atStart = false;
    i++;
  }
  if (quoted) return { ok: false, reason: 'CSV: unterminated quoted field' };
  fields.push(field);
  return { ok: true, value: fields };
}

/** The header row: every column must name a native field, once. */
export function parseCsvHeader(text: string): LineOutcome<string[]> {
  const split = splitCsvRecord(text.replace(/^\uFEFF/, ''));
  if (!split.ok) return split;
  const columns = split.value.map((c) => c.trim());
  const seen = new Set<string>();
  for (const c of columns) {
    if (!NATIVE_FIELDS.includes(c)) return { ok: false, reason: `CSV header: unknown column "${c}" (columns must be native event fields: ${NATIVE_FIELDS.join(', ')})` };
    if (seen.has(c)) return { ok: false, reason: `CSV header: column "${c}" appears twice` };
    seen.add(c);
  }
  return { ok: true, value: columns };
}

/** One CSV record as a native event object: empty cells are absent, props is a JSON column, sizes are integers. */
export function csvRecordToEvent(columns: readonly string[], text: string): LineOutcome<Record<string, unknown>> {
  const split = splitCsvRecord(text);
  if (!split.ok) return split;
  const cells = split.value;
  if (cells.length !== columns.length) return { ok: false, reason: `CSV: ${cells.length} fields, the header names ${columns.length}` };
  const event: Record<string, unknown> = {};
  for (let n = 0; n < columns.length; n++) {
    const column = columns[n];
    const cell = cells[n];
    if (cell === '') continue;
    if (column === 'props') {
      try {
        event.props = JSON.parse(cell);
      } catch {
        return { ok: false, reason: 'props: not valid JSON' };
      }
    } else if (INTEGER_FIELDS.has(column) && /^\s*-?\d+\s*$/.test(cell)) {
      event[column] = Number(cell);
    } else {
      event[column] = cell;
    }
  }
  return { ok: true, value: event };
}

/**
 * Checks one event with the native dialect's own parse, as POST /api/v1/events would: the
 * --website id fills website_id, and a line without event_id gets its deterministic one.
 */
export function validateEvent(event: Record<string, unknown>, websiteId: string, raw: string, now: Date): LineOutcome<CanonicalEvent> {
  if (event.events !== undefined) return { ok: false, reason: 'a line holds one event, not an "events" batch' };
  const given = event.website_id;
  if (given !== undefined && given !== null && given !== websiteId) {
    return { ok: false, reason: `website_id ${JSON.stringify(given)} is not the imported website ${websiteId}` };
  }
  const parsed = nativeDialect.parse({ ...event, website_id: websiteId }, { now, idempotencyKey: importEventId(websiteId, raw) });
  if (!parsed.ok) return { ok: false, reason: locatedMessage(parsed.error as { message: string; field?: string }) };
  return { ok: true, value: parsed.value[0] };
}
