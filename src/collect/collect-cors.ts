import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/config';
import { WebsitesRepository } from '../websites/websites.repository';

/** Routes browsers post to directly; all other routes follow CORS_ORIGINS. */
export const BROWSER_INGEST_PATHS = new Set(['/api/collect', '/api/v1/events']);

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

type CorsOptions = {
  origin: boolean | string | string[];
  methods: string[];
  allowedHeaders: string[];
  exposedHeaders?: string[];
  maxAge: number;
};

/**
 * Per-request CORS: browser ingestion routes accept any origin unless COLLECT_CORS_ORIGINS (or
 * SPARKLYTICS_CORS_ORIGINS) is set, and then that list plus every website's own domain;
 * the management API accepts CORS_ORIGINS only.
 */
export function corsDelegator(config: AppConfig, domains: WebsiteDomains) {
  const management: CorsOptions = {
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    methods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
    maxAge: 86_400,
  };
  const collectOptions = (origin: boolean | string): CorsOptions => ({
    origin,
    methods: ['POST', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key'],
    exposedHeaders: ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After', 'x-sparklytics-ingest-ack'],
    maxAge: 86_400,
  });
  // Built once: the delegator runs on every request.
  const anyOrigin = collectOptions(true);
  const noOrigin = collectOptions(false);
  const collect = (origin: boolean | string) => (origin === true ? anyOrigin : origin === false ? noOrigin : collectOptions(origin));
  return (req: FastifyRequest, callback: (err: Error | null, options: CorsOptions) => void): void => {
    const path = req.url.split('?')[0];
    if (!BROWSER_INGEST_PATHS.has(path)) return callback(null, management);
    const origin = req.headers.origin;
    if (config.collectCorsOrigins === null || !origin) return callback(null, collect(true));
    if (config.collectCorsOrigins.includes(origin)) return callback(null, collect(origin));
    domains.refreshIfStale();
    domains.allows(origin).then(
      (ok) => callback(null, collect(ok ? origin : false)),
      () => callback(null, collect(false)),
    );
  };
}
