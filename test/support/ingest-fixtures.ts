import { queryDb } from './events-db';
import { TestApp } from './test-app';

/** Fixtures shared by the server-side dialect tests (Ovyxa, Rybbit, Web Analyzer). */
export const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
export const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
/** An address every geo database places in Great Britain. */
export const GB_IP = '81.2.69.142';

export type EventRow = Record<string, unknown> & { id: string; occurred_at: Date };

/** Events of one website, oldest id first. */
export function eventsOf(t: TestApp, websiteId: string): Promise<EventRow[]> {
  return queryDb<EventRow>(t.dbUrl, 'SELECT * FROM events WHERE website_id = $1 ORDER BY id', [websiteId]);
}

export async function eventById(t: TestApp, id: string | number): Promise<EventRow | undefined> {
  return (await queryDb<EventRow>(t.dbUrl, 'SELECT * FROM events WHERE id = $1', [String(id)]))[0];
}

/** Makes a key expire in the past, straight in the database (it must not have been used yet). */
export async function expireKey(t: TestApp, keyId: string): Promise<void> {
  await queryDb(t.dbUrl, "UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = $1", [keyId]);
}

/** Every row a website left in the event tables, as one JSON text (to look for leaked values). */
export async function storedText(t: TestApp, websiteId: string): Promise<string> {
  const parts: unknown[] = [];
  for (const table of ['events', 'sessions', 'visitor_sessions', 'event_keys']) {
    parts.push(await queryDb(t.dbUrl, `SELECT * FROM ${table} WHERE website_id = $1`, [websiteId]));
  }
  return JSON.stringify(parts);
}

/** {"a":{"a":...{"a":"x"}}} nested `depth` objects deep. */
export function nested(depth: number): Record<string, unknown> {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v as Record<string, unknown>;
}

/** A JSON text of about `bytes` bytes: one object with a long string in an unknown field. */
export function hugeJson(fields: Record<string, unknown>, bytes: number): string {
  return JSON.stringify({ ...fields, padding: 'x'.repeat(bytes) });
}

/** An ISO timestamp `ms` milliseconds from now. */
export const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();
