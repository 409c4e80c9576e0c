/**
 * Typed failures of the ingestion path. Each dialect adapter maps these, and only these,
 * to its own status codes, bodies and headers.
 */
export type IngestError =
  /** A field is missing, has the wrong type, or breaks a limit. index is set inside batches. */
  | { code: 'validation'; message: string; field?: string; index?: number }
  /** Custom-event properties break the dialect's property limits (Ovyxa invalid_props). */
  | { code: 'invalid_props'; message: string; field?: string; index?: number }
  /** The body is not JSON, or not the content type the route accepts. */
  | { code: 'malformed'; message: string }
  | { code: 'unsupported_media_type'; message: string }
  | { code: 'batch_too_large'; message: string; limit: number }
  | { code: 'payload_too_large'; message: string; limit: number }
  /** Missing, unknown, revoked or expired credentials. */
  | { code: 'unauthorized'; message: string }
  /** Valid credentials without the ingest scope, or not allowed for this website. */
  | { code: 'forbidden'; message: string }
  | { code: 'unknown_website'; message: string; websiteId: string }
  /** A per-IP / per-key request or event limit. reset is the Unix time (s) the window ends. */
  | { code: 'rate_limited'; message: string; retryAfter: number; limit: number; remaining: number; reset: number }
  /** The organization's monthly event quota is used up. */
  | { code: 'quota_exceeded'; message: string }
  /** The writer queue is full or Postgres is unreachable: shed with Retry-After. */
  | { code: 'overloaded'; message: string; retryAfter: number }
  /** A fault of Footfall itself, not of the request or of an unavailable store: no retry helps. */
  | { code: 'internal'; message: string };

export type IngestErrorCode = IngestError['code'];

export class IngestFailure extends Error {
  constructor(readonly error: IngestError) {
    super(error.message);
    this.name = 'IngestFailure';
  }
}

/** Throws the typed failure of `error`. */
export function failWith(error: IngestError): never {
  throw new IngestFailure(error);
}

/** The failure of a request a rate limit refused (a refused decision of RateLimiter). */
export function rateLimited(d: { retryAfter: number; limit: number; remaining: number; reset: number }): IngestError {
  return { code: 'rate_limited', message: 'Rate limit exceeded', retryAfter: d.retryAfter, limit: d.limit, remaining: d.remaining, reset: d.reset };
}

/** The wire answer a dialect produces for a result or an error. */
export interface WireReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Result of a dialect's pure body mapping. */
export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; error: IngestError };
