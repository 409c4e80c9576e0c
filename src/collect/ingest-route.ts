import type { FastifyReply, FastifyRequest } from 'fastify';
import { WireReply } from './ingest-error';

export type DialectName = 'sparklytics' | 'ovyxa' | 'rybbit' | 'webanalyzer' | 'native' | 'plausible' | 'umami';

/** Fastify route config of an ingestion route (set with @RouteConfig): its dialect and body limit. */
export interface IngestRouteConfig {
  ingest: DialectName;
  bodyLimit: number;
}

export function ingestRouteOf(req: FastifyRequest): IngestRouteConfig | null {
  const config = (req.routeOptions?.config ?? {}) as Partial<IngestRouteConfig>;
  return config.ingest ? (config as IngestRouteConfig) : null;
}

/** Sends a dialect's wire reply. */
export function sendWire(reply: FastifyReply, wire: WireReply): void {
  if (wire.headers) reply.headers(wire.headers);
  reply.status(wire.status).send(wire.body);
}

export function header(req: FastifyRequest, name: string): string | null {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}
