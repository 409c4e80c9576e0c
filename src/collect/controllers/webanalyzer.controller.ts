import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
import { IngestEndpoint } from '../ingest-endpoint';
import { IngestRoute, RateLimitRule } from '../ingest-route';
import { doc, IDEMPOTENCY_HEADER, SERVER_BODY_LIMIT } from './ingest-docs';

/** Requests per minute per key (a batch counts once). */
const PER_MINUTE: RateLimitRule = { name: 'webanalyzer', setting: 'webAnalyzerPerMinute', windowMs: 60_000, per: 'sender' };
const route = (dialect: Dialect) => IngestRoute({ dialect, bodyLimit: SERVER_BODY_LIMIT, credential: 'api-key', rateLimit: PER_MINUTE });
const errors = (s: number, d: string) => ApiResponse({ status: s, description: d, schema: doc(webAnalyzerErrorSchema) });

/** Web Analyzer Measurement Protocol: Bearer API key, website in the path. */
@ApiTags('ingest: Web Analyzer')
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
  constructor(private readonly endpoint: IngestEndpoint) {}

  @Post('track')
  @HttpCode(200)
  @route(webAnalyzerTrackDialect)
  @ApiOperation({ summary: 'Web Analyzer: track one event' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiBody({ schema: doc(webAnalyzerEventSchema) })
  @ApiResponse({ status: 200, schema: doc(webAnalyzerSuccessSchema) })
  track(@Param('website_id') websiteId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.endpoint.handle(req, reply, { pathWebsiteId: websiteId });
  }

  @Post('track/batch')
  @HttpCode(200)
  @route(webAnalyzerBatchDialect)
  @ApiOperation({ summary: 'Web Analyzer: track up to 25 events (all or nothing)' })
  @ApiBody({ schema: doc(webAnalyzerBatchSchema) })
  @ApiResponse({ status: 200, schema: doc(webAnalyzerBatchSuccessSchema) })
  batch(@Param('website_id') websiteId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.endpoint.handle(req, reply, { pathWebsiteId: websiteId });
  }
}
