import { HttpException } from '@nestjs/common';
import { IngestError, WireReply } from './ingest-error';
import { DialectName } from './ingest-route';
import { nativeFailure } from './dialects/native';
import { ovyxaFailure } from './dialects/ovyxa';
import { plausibleFailure } from './dialects/plausible';
import { rybbitFailure } from './dialects/rybbit';
import { sparklyticsFailure } from './dialects/sparklytics';
import { umamiFailure } from './dialects/umami';
import { webAnalyzerFailure } from './dialects/webanalyzer';

const FAILURES: Record<DialectName, (e: IngestError) => WireReply> = {
  sparklytics: sparklyticsFailure,
  ovyxa: ovyxaFailure,
  rybbit: rybbitFailure,
  webanalyzer: webAnalyzerFailure,
  native: nativeFailure,
  plausible: (e) => plausibleFailure(e),
  umami: umamiFailure,
};

/**
 * Errors raised before an ingestion handler runs (body parsing, size limits) answered in the
 * route's own dialect, as its clients expect.
 */
export function ingestFailureReply(dialect: DialectName, err: unknown): WireReply {
  const failure = FAILURES[dialect];
  const known = (err as { error?: IngestError }).error;
  if (known?.code) return failure(known);
  // Nest's Fastify adapter wraps Fastify's own errors (e.g. body too large) in HttpExceptions.
  const status = err instanceof HttpException ? err.getStatus() : ((err as { statusCode?: number }).statusCode ?? 500);
  const message = (err as Error).message ?? 'Bad request';
  if (status === 413) return failure({ code: 'payload_too_large', message: 'Request body is too large', limit: 0 });
  if (status === 415) return failure({ code: 'unsupported_media_type', message });
  if (status >= 400 && status < 500) return failure({ code: 'malformed', message });
  return failure(status === 503 ? { code: 'overloaded', message: 'Service temporarily unavailable; retry shortly', retryAfter: 5 } : { code: 'internal', message: 'Internal server error' });
}
