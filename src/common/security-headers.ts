import type { FastifyInstance } from 'fastify';

/**
 * The usual hardening headers (the set helmet sends by default), fixed for every response and so
 * set in one step rather than by a middleware chain per request. No Content-Security-Policy: JSON
 * gains nothing from one, and Swagger UI at /docs needs inline scripts. The dashboard's pages
 * carry their own strict policy (src/web/web-app.ts).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  // The tracker script and the collect endpoints are fetched cross-origin by the measured sites.
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
});

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    done();
  });
}
