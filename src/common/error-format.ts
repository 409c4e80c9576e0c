import type { FastifyRequest } from 'fastify';

/**
 * Fastify route config (set with @RouteConfig) of a route whose errors answer `{"error": "..."}`
 * (a query dialect's own format, e.g. Plausible's Stats API v2) instead of the management
 * routes' {statusCode, error, message}. The exception filter and the input guard read it, so
 * every error of the route has the same shape, whether raised before the handler or in it.
 */
export const ERROR_STRING_ROUTE = { errorFormat: 'error-string' } as const;

export function answersErrorString(req: FastifyRequest): boolean {
  return (req.routeOptions?.config as { errorFormat?: unknown } | undefined)?.errorFormat === ERROR_STRING_ROUTE.errorFormat;
}

/** The body of such a route's error answer. */
export function errorStringBody(message: string): { error: string } {
  return { error: message };
}
