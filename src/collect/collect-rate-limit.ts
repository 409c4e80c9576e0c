import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../config/config';
import { RateLimiter } from '../common/rate-limit/rate-limiter';
import { sparklyticsFailure } from './dialects/sparklytics';
import { ingestRouteOf, sendWire } from './ingest-route';

const WINDOW_MS = 60_000;

/**
 * Sparklytics' per-IP limit on /api/collect runs before the body is read: every request counts,
 * a refused one costs no parsing, and every answer (errors included) carries X-RateLimit-*.
 */
export function installCollectRateLimit(app: FastifyInstance, limiter: RateLimiter, config: AppConfig): void {
  const limit = config.limits.sparklyticsPerMinute;
  if (limit <= 0) return;
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'POST' || ingestRouteOf(req)?.ingest !== 'sparklytics') return;
    const d = await limiter.consume(`sparklytics:ip:${req.ip}`, limit, WINDOW_MS);
    reply.headers({ 'X-RateLimit-Limit': String(d.limit), 'X-RateLimit-Remaining': String(d.remaining), 'X-RateLimit-Reset': String(d.reset) });
    if (!d.allowed) {
      sendWire(reply, sparklyticsFailure({ code: 'rate_limited', message: 'Rate limit exceeded', retryAfter: d.retryAfter, limit: d.limit, remaining: 0, reset: d.reset }));
      return reply;
    }
  });
}
