import { Injectable, Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../config/config';
import { WebsitesRepository } from '../websites/websites.repository';

/** Routes browsers post to directly; all other routes follow CORS_ORIGINS. */
export const BROWSER_INGEST_PATHS = new Set(['/api/collect', '/api/v1/events', '/api/event', '/api/send']);

const REFRESH_MS = 30_000;

/** The set of website domains, refreshed in the background, for the collect CORS check. */
@Injectable()
export class WebsiteDomains {
  private readonly logger = new Logger(WebsiteDomains.name);
  private domains = new Set<string>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(private readonly websites: WebsitesRepository) {}

  /** Whether the origin is one of the websites (its domain, with or without www.). */
  async allows(origin: string): Promise<boolean> {
    let host: string;
    try {
      host = new URL(origin).hostname.toLowerCase();
    } catch {
      return false;
    }
    const bare = host.replace(/^www\./, '');
    const check = () => this.domains.has(host) || this.domains.has(bare) || this.domains.has('www.' + bare);
    if (check()) return true;
    // A website created a moment ago: refresh at most every few seconds on a miss.
    if (Date.now() - this.loadedAt > (this.loadedAt ? 5_000 : 0)) await this.refresh();
    return check();
  }

  private refresh(): Promise<void> {
    this.loading ??= this.websites
      .allDomains()
      .then((list) => {
        this.domains = new Set(list);
        this.loadedAt = Date.now();
      })
      .catch((err: Error) => this.logger.warn(`could not load website domains: ${err.message}`))
      .finally(() => (this.loading = null));
    return this.loading;
  }

  /** Background refresh so removed websites stop being allowed too. */
  refreshIfStale(): void {
    if (Date.now() - this.loadedAt > REFRESH_MS) void this.refresh();
  }
}

/** One CORS policy, its header values joined once (the hook runs on every request). */
interface CorsPolicy {
  methods: string;
  allowedHeaders: string;
  exposedHeaders: string | null;
  maxAge: string;
}

const MANAGEMENT: CorsPolicy = {
  methods: 'GET, POST, PATCH, DELETE, OPTIONS',
  allowedHeaders: 'Authorization, Content-Type, Idempotency-Key',
  exposedHeaders: null,
  maxAge: '86400',
};
const COLLECT: CorsPolicy = {
  methods: 'POST, OPTIONS',
  allowedHeaders: 'Content-Type, Authorization, Idempotency-Key, x-umami-cache',
  exposedHeaders: 'X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, x-sparklytics-ingest-ack, x-plausible-dropped',
  maxAge: '86400',
};

/**
 * CORS on every route, as one onRequest hook: browser ingestion routes accept any origin unless
 * COLLECT_CORS_ORIGINS (or SPARKLYTICS_CORS_ORIGINS) is set, and then that list plus every
 * website's own domain; the management API accepts CORS_ORIGINS only. An allowed preflight is
 * answered here (204), before authentication; a refused one finds no route (404).
 */
export function installCors(app: FastifyInstance, config: AppConfig, domains: WebsiteDomains): void {
  const management = new Set(config.corsOrigins);
  const collectList = config.collectCorsOrigins === null ? null : new Set(config.collectCorsOrigins);

  const apply = (req: FastifyRequest, reply: FastifyReply, policy: CorsPolicy, allowed: boolean, done: () => void): void => {
    if (!allowed) return done();
    const origin = req.headers.origin;
    if (origin) reply.header('Access-Control-Allow-Origin', origin);
    if (policy.exposedHeaders) reply.header('Access-Control-Expose-Headers', policy.exposedHeaders);
    if (req.method !== 'OPTIONS') return done();
    if (!origin || !req.headers['access-control-request-method']) {
      reply.status(400).type('text/plain').send('Invalid Preflight Request');
      return;
    }
    // Safari waits for a body on a 204 without Content-Length.
    reply
      .header('Access-Control-Allow-Methods', policy.methods)
      .header('Access-Control-Allow-Headers', policy.allowedHeaders)
      .header('Access-Control-Max-Age', policy.maxAge)
      .header('Content-Length', '0')
      .status(204)
      .send();
  };

  app.addHook('onRequest', (req, reply, done) => {
    // Answers differ by Origin, so caches must keep them apart.
    reply.header('Vary', 'Origin');
    const origin = req.headers.origin;
    const q = req.url.indexOf('?');
    if (!BROWSER_INGEST_PATHS.has(q < 0 ? req.url : req.url.slice(0, q))) {
      return apply(req, reply, MANAGEMENT, !!origin && management.has(origin), done);
    }
    if (collectList === null || !origin) return apply(req, reply, COLLECT, true, done);
    if (collectList.has(origin)) return apply(req, reply, COLLECT, true, done);
    domains.refreshIfStale();
    domains.allows(origin).then(
      (ok) => apply(req, reply, COLLECT, ok, done),
      () => apply(req, reply, COLLECT, false, done),
    );
  });
}
