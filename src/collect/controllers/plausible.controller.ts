import { Controller, HttpCode, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/auth.guard';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import {
  isPlausibleEngagement,
  PLAUSIBLE_DROPPED_HEADER,
  plausibleAccepted,
  plausibleAcceptedSchema,
  plausibleDialect,
  plausibleErrorSchema,
  plausibleEventSchema,
  plausibleNamesToResolve,
  PlausibleSites,
} from '../dialects/plausible';
import { IngestionService } from '../ingestion.service';
import { header, sendWire } from '../ingest-route';
import { ingestErrorOf } from '../unexpected-error';
import { WebsiteLookup } from '../website-lookup';
import { doc, IDEMPOTENCY_HEADER, SERVER_BODY_LIMIT } from './ingest-docs';

const errors = (s: number, d: string) => ApiResponse({ status: s, description: d, schema: doc(plausibleErrorSchema) });

/** Plausible's Events API, as its tracker script and server-side clients send it: no credential. */
@ApiTags('ingest: Plausible')
@Controller('api')
export class PlausibleController {
  private readonly logger = new Logger(PlausibleController.name);

  constructor(
    private readonly ingestion: IngestionService,
    private readonly websites: WebsiteLookup,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('event')
  @Public()
  @HttpCode(202)
  @RouteConfig({ ingest: 'plausible', bodyLimit: SERVER_BODY_LIMIT })
  @ApiOperation({
    summary: 'Plausible: record a pageview or custom event',
    description:
      'No authentication: the body names its websites by domain or id, and each must allow public collection. The visitor is ' +
      "the request's User-Agent and client address. A JSON body sent as text/plain or without Content-Type is accepted.",
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiBody({ schema: doc(plausibleEventSchema) })
  @ApiResponse({
    status: 202,
    description: 'Accepted',
    content: { 'text/plain': { schema: doc(plausibleAcceptedSchema) } },
    headers: { [PLAUSIBLE_DROPPED_HEADER]: { description: 'Events not recorded, when there are any', schema: { type: 'integer' } } },
  })
  @errors(400, 'A field is missing or wrong: {"errors": {"<field>": ["<message>"]}}')
  @errors(413, 'Body larger than 1 MB')
  @errors(415, 'Body is neither JSON nor text/plain')
  @errors(429, 'Rate limit exceeded (PLAUSIBLE_RATE_LIMIT_PER_MINUTE per client IP); Retry-After in seconds')
  @errors(500, 'A fault of Footfall, not of the request (retrying does not help)')
  @errors(503, 'Storage unavailable or overloaded; Retry-After in seconds')
  async event(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (isPlausibleEngagement(req.body)) return sendWire(reply, plausibleAccepted(0));
    const wire = await this.ingestion.handle({
      dialect: plausibleDialect(await this.sitesOf(req.body)),
      body: req.body,
      clientIp: req.ip,
      clientUserAgent: header(req, 'user-agent'),
      credential: { kind: 'public' },
      idempotencyKey: header(req, 'idempotency-key'),
      limit: { name: 'plausible', per: 'ip', limit: this.config.limits.plausiblePerMinute, windowMs: 60_000 },
    });
    sendWire(reply, wire);
  }

  /** The websites the body names; a failed lookup is answered by the dialect, like any ingestion error. */
  private async sitesOf(body: unknown): Promise<PlausibleSites> {
    try {
      return { ids: await this.websites.idsNamedBy(plausibleNamesToResolve(body)) };
    } catch (err) {
      this.logger.warn(`website lookup failed: ${(err as Error).message}`);
      return { ids: new Map(), error: ingestErrorOf(err) };
    }
  }
}
