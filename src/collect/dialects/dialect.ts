import { CanonicalEvent, IngestResult } from '../canonical-event';
import { IngestError, ParseOutcome, WireReply } from '../ingest-error';

/** What a dialect's parse step may use besides the body. */
export interface ParseContext {
  /** Website id taken from the route path (Web Analyzer), when the dialect has one. */
  pathWebsiteId?: string;
  /** Idempotency-Key header; applies to single-event requests only. */
  idempotencyKey?: string | null;
  /** Clock for timestamp checks (injected so mappings stay pure). */
  now: Date;
}

/**
 * A dialect is a pair of pure mappings: wire body -> canonical events, and canonical result or
 * typed error -> wire reply. IngestEndpoint calls these; all decisions live in the ingestion service.
 */
export interface Dialect {
  readonly name: 'sparklytics' | 'ovyxa' | 'rybbit' | 'webanalyzer' | 'native' | 'plausible' | 'umami';
  parse(body: unknown, ctx: ParseContext): ParseOutcome<CanonicalEvent[]>;
  success(result: IngestResult, events: CanonicalEvent[]): WireReply;
  failure(error: IngestError): WireReply;
}
