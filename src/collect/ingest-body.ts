import type { FastifyInstance, FastifyRequest } from 'fastify';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../common/input-guard';
import { IngestError } from './ingest-error';
import { ingestRouteOf } from './ingest-route';

/** An error a body parser raises; the exception filter answers it in the route's own format. */
export class IngestBodyError extends Error {
  constructor(readonly error: IngestError, readonly statusCode: number) {
    super(error.message);
  }
}

type Done = (err: Error | null, body?: unknown) => void;

function parseJson(req: FastifyRequest, raw: string, done: Done): void {
  const route = ingestRouteOf(req);
  if (route && Buffer.byteLength(raw) > route.bodyLimit) {
    const kb = Math.round(route.bodyLimit / 1024);
    return done(new IngestBodyError({ code: 'payload_too_large', message: `Request body exceeds the ${kb} KB limit`, limit: route.bodyLimit }, 413));
  }
  if (raw.trim() === '') {
    return done(route ? new IngestBodyError({ code: 'malformed', message: 'Request body is empty; send a JSON body' }, 400) : null, undefined);
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    const error = route
      ? new IngestBodyError({ code: 'malformed', message: 'Request body is not valid JSON' }, 400)
      : Object.assign(new Error('Request body is not valid JSON'), { statusCode: 400 });
    return done(error);
  }
  // Refused before validation recurses through it; ingestion dialects bound depth themselves,
  // with their own error codes.
  if (!route && jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
    return done(Object.assign(new Error(`Request body is nested more than ${MAX_JSON_DEPTH} levels deep`), { statusCode: 400 }));
  }
  done(null, body);
}

/**
 * Body parsing with the ingestion dialects in mind: JSON sent as text/plain or with no
 * Content-Type (fetch keepalive, sendBeacon) is JSON on ingestion routes; other media types there
 * are 415 in the dialect's format; per-route body limits answer 413 likewise.
 */
export function installBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => parseJson(req, body as string, done));
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (req, body, done) => {
    if (ingestRouteOf(req)) return parseJson(req, body as string, done);
    done(null, body);
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    const route = ingestRouteOf(req);
    if (route && !req.headers['content-type']) return parseJson(req, body as string, done);
    const message = `Unsupported Content-Type ${req.headers['content-type'] ?? '(none)'}; send application/json`;
    done(route ? new IngestBodyError({ code: 'unsupported_media_type', message }, 415) : Object.assign(new Error(message), { statusCode: 415 }));
  });
}
