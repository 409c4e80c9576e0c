import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../config/config';
import { RateLimiter } from '../common/rate-limit/rate-limiter';
import { rateLimited } from './ingest-error';
import { ingestRouteOf, sendWire } from './ingest-route';

/**
 * Counts the `client-ip` rate limits that ingestion routes declare (Sparklytics' /api/collect) as
 * requests arrive, before the body is read: every request counts, a refused one costs no parsing,
 * and every answer (errors included) carries X-RateLimit-*. `sender` limits are IngestEndpoint's.
 */
export function installCollectRateLimit(app: FastifyInstance, limiter: RateLimiter, config: AppConfig): void {
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'POST') return;
    const route = ingestRouteOf(req);
    const rule = route?.rateLimit;
    if (!route || rule?.per !== 'client-ip') return;
    const limit = config.limits[rule.setting];
    if (limit <= 0) return;
    const d = await limiter.consume(`${rule.name}:ip:${req.ip}`, limit, rule.windowMs);
    reply.headers({ 'X-RateLimit-Limit': String(d.limit), 'X-RateLimit-Remaining': String(d.remaining), 'X-RateLimit-Reset': String(d.reset) });
    if (!d.allowed) {
      sendWire(reply, route.dialect.failure(rateLimited({ ...d, remaining: 0 })));
      return reply;
    }
  });
}
