import { Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/auth.guard';
import { bearerToken } from '../../auth/principal.resolver';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { Dialect } from '../dialects/dialect';
import {
  webAnalyzerBatchDialect,
  webAnalyzerBatchSchema,
  webAnalyzerBatchSuccessSchema,
  webAnalyzerErrorSchema,
  webAnalyzerEventSchema,
  webAnalyzerSuccessSchema,
  webAnalyzerTrackDialect,
} from '../dialects/webanalyzer';
import { IngestionService } from '../ingestion.service';
import { header, IngestRouteConfig, sendWire } from '../ingest-route';
import { doc, IDEMPOTENCY_HEADER, SERVER_BODY_LIMIT } from './ingest-docs';

const ROUTE: IngestRouteConfig = { ingest: 'webanalyzer', bodyLimit: SERVER_BODY_LIMIT };
const errors = (s: number, d: string) => ApiResponse({ status: s, description: d, schema: doc(webAnalyzerErrorSchema) });

/** Web Analyzer Measurement Protocol: Bearer API key, website in the path. */
@ApiTags('ingest: Web Analyzer')
@ApiBearerAuth()
@errors(400, 'validation_error')
@errors(401, 'unauthorized: missing or invalid API key')
@errors(402, 'monthly_limit_reached: the organization\'s monthly event quota (MONTHLY_EVENT_QUOTA)')
@errors(403, 'plan_required: the key lacks the ingest scope or is limited to other websites')
@errors(404, 'website_not_found')
@errors(429, 'rate_limit_exceeded: WEBANALYZER_RATE_LIMIT_PER_MINUTE requests per key; Retry-After and retry_after in seconds')
@errors(500, 'server_error: a fault of Footfall, not of the request')
@errors(503, 'server_unavailable: storage unavailable or overloaded')
@Controller('api/v1/websites/:website_id')
export class WebAnalyzerController {
  constructor(
    private readonly ingestion: IngestionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('track')
  @Public()
  @HttpCode(200)
  @RouteConfig(ROUTE)
  @ApiOperation({ summary: 'Web Analyzer: track one event' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiBody({ schema: doc(webAnalyzerEventSchema) })
  @ApiResponse({ status: 200, schema: doc(webAnalyzerSuccessSchema) })
  track(@Param('website_id') websiteId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(webAnalyzerTrackDialect, websiteId, req, reply);
  }

  @Post('track/batch')
  @Public()
  @HttpCode(200)
  @RouteConfig(ROUTE)
  @ApiOperation({ summary: 'Web Analyzer: track up to 25 events (all or nothing)' })
  @ApiBody({ schema: doc(webAnalyzerBatchSchema) })
  @ApiResponse({ status: 200, schema: doc(webAnalyzerBatchSuccessSchema) })
  batch(@Param('website_id') websiteId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(webAnalyzerBatchDialect, websiteId, req, reply);
  }

  private async handle(dialect: Dialect, websiteId: string, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const wire = await this.ingestion.handle({
      dialect,
      body: req.body,
      clientIp: req.ip,
      clientUserAgent: header(req, 'user-agent'),
      credential: { kind: 'bearer', token: bearerToken(req.headers.authorization) },
      pathWebsiteId: websiteId,
      idempotencyKey: header(req, 'idempotency-key'),
      limit: { name: 'webanalyzer', per: 'credential', limit: this.config.limits.webAnalyzerPerMinute, windowMs: 60_000 },
    });
    sendWire(reply, wire);
  }
}
