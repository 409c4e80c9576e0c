import type { FastifyRequest } from 'fastify';

/** The body of a Stats API v2 error answer, as Plausible sends it: `{"error": "..."}`. */
export function v2ErrorBody(message: string): { error: string } {
  return { error: message };
}

/**
 * Fastify route config (set with @RouteConfig) of the Stats API v2 route. Errors raised before the
 * route's exception filter runs (body parsing, the input guard) read it to answer in Plausible's
 * format too, not in the management routes' {statusCode, error, message}.
 */
export const V2_ROUTE_CONFIG = { errorFormat: 'plausible' } as const;

export function isV2Route(req: FastifyRequest): boolean {
  return (req.routeOptions?.config as { errorFormat?: unknown } | undefined)?.errorFormat === V2_ROUTE_CONFIG.errorFormat;
}
