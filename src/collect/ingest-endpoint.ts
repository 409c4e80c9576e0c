import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken, PrincipalResolver } from '../auth/principal.resolver';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { RateLimiter } from '../common/rate-limit/rate-limiter';
import { CanonicalEvent } from './canonical-event';
import { Dialect } from './dialects/dialect';
import { failWith, rateLimited, WireReply } from './ingest-error';
import { header, IngestRouteConfig, ingestRouteOf, sendWire } from './ingest-route';
import { IngestionService, IngestSender, SenderLimit } from './ingestion.service';
import { asIngestFailure } from './unexpected-error';

/** What an ingestion request carries besides its body and headers (read by the controller). */
export interface EndpointRequest {
  /** Website id from the route path (Web Analyzer). */
  pathWebsiteId?: string;
  dryRun?: boolean;
  /**
   * This request's own dialect, where its mappings need more than the body (Plausible's website
   * names looked up, Umami's cache token); made once the sender is known. By default the route's.
   */
  dialect?: () => Dialect | Promise<Dialect>;
}

const PUBLIC: IngestSender = { kind: 'public' };

/**
 * Every ingestion route, the same way: authenticate, rate limit, parse (the route's dialect),
 * ingest (IngestionService), and reply in the dialect's format, success or failure. The route's
 * dialect, credential and rate limit are those it declares with @IngestRoute.
 */
@Injectable()
export class IngestEndpoint {
  private readonly logger = new Logger(IngestEndpoint.name);

  constructor(
    private readonly principals: PrincipalResolver,
    private readonly limiter: RateLimiter,
    private readonly ingestion: IngestionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(req: FastifyRequest, reply: FastifyReply, request: EndpointRequest = {}): Promise<void> {
    const route = ingestRouteOf(req);
    if (!route) throw new Error(`${req.routeOptions.url} is not declared with @IngestRoute`);
    sendWire(reply, await this.answer(route, req, request));
  }

  private async answer(route: IngestRouteConfig, req: FastifyRequest, request: EndpointRequest): Promise<WireReply> {
    let dialect = route.dialect;
    try {
      const sender = await this.authenticate(route, req);
      if (request.dialect) dialect = await request.dialect();
      const parsed = dialect.parse(req.body, { now: new Date(), pathWebsiteId: request.pathWebsiteId, idempotencyKey: header(req, 'idempotency-key') });
      if (!parsed.ok) failWith(parsed.error);
      const events = (parsed as { value: CanonicalEvent[] }).value;
      const client = { ip: req.ip, userAgent: header(req, 'user-agent') };
      const result = await this.ingestion.ingest(events, sender, client, { dryRun: request.dryRun, limit: this.senderLimit(route), skipBots: route.skipBots });
      return dialect.success(result, events);
    } catch (err) {
      return dialect.failure(asIngestFailure(err, this.logger).error);
    }
  }

  /**
   * Credentials first: a bad key is 401 whatever else is wrong with the request. A request
   * without a token, where the route takes public collects, is counted per client IP instead.
   */
  private async authenticate(route: IngestRouteConfig, req: FastifyRequest): Promise<IngestSender> {
    const authorization = req.headers.authorization;
    const token = route.credential === 'none' ? null : route.tokenOf ? route.tokenOf(req.body, authorization) : bearerToken(authorization);
    const publicRoute = route.credential === 'none' || route.credential === 'api-key-or-none';
    if (!token && publicRoute) await this.limitClientIp(route, req);
    // An Authorization header that holds no bearer token is a bad credential, not a public collect.
    if (route.credential === 'none' || (route.credential === 'api-key-or-none' && !token && !authorization)) return PUBLIC;
    const principal = await this.principals.resolve(token);
    if (!principal || (principal.kind === 'user' && route.credential !== 'api-key-or-user')) {
      failWith({ code: 'unauthorized', message: 'Invalid or missing API key' });
    }
    return { kind: 'principal', principal: principal! };
  }

  private async limitClientIp(route: IngestRouteConfig, req: FastifyRequest): Promise<void> {
    const rule = route.rateLimit;
    if (rule?.per !== 'sender') return;
    const d = await this.limiter.consume(`${rule.name}:ip:${req.ip}`, this.config.limits[rule.setting], rule.windowMs);
    if (!d.allowed) failWith(rateLimited(d));
  }

  /** The route's per-credential limit, which the service counts once the websites are checked. */
  private senderLimit(route: IngestRouteConfig): SenderLimit | undefined {
    const rule = route.rateLimit;
    if (rule?.per !== 'sender') return undefined;
    return { name: rule.name, limit: this.config.limits[rule.setting], windowMs: rule.windowMs, countEvents: rule.countEvents };
  }
}
