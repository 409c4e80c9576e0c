import { QueryError } from '../../analytics/query-error';

/** Sparklytics' require_event_name, with its exact messages; returns the trimmed name. */
export function requireEventName(raw: unknown): string {
  if (raw === undefined || raw === null) throw new QueryError('event_name query parameter is required');
  if (Array.isArray(raw)) throw new QueryError('event_name must be given once');
  const trimmed = String(raw).trim();
  if (trimmed.length === 0) throw new QueryError('event_name must not be empty');
  // Rust's str::len counts UTF-8 bytes.
  if (Buffer.byteLength(trimmed, 'utf8') > 255) throw new QueryError('event_name must be 255 characters or fewer');
  return trimmed;
}
