import { Controller, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  nativeBatchAcceptedSchema,
  nativeBodySchema,
  nativeDialect,
  nativeDryRunSchema,
  nativeErrorSchema,
  nativeEventAcceptedSchema,
} from '../dialects/native';
import { IngestEndpoint } from '../ingest-endpoint';
import { IngestRoute } from '../ingest-route';
import { doc, IDEMPOTENCY_HEADER, SERVER_BODY_LIMIT } from './ingest-docs';

const errors = (s: number, d: string) => ApiResponse({ status: s, description: d, schema: doc(nativeErrorSchema) });

/** Footfall's own ingestion API: the superset of the dialects, single or batch (<= 500). */
@ApiTags('ingest: native')
@Controller('api/v1/events')
export class NativeController {
  constructor(private readonly endpoint: IngestEndpoint) {}

  @Post()
  @HttpCode(202)
  @IngestRoute({
    dialect: nativeDialect,
    bodyLimit: SERVER_BODY_LIMIT,
    credential: 'api-key-or-none',
    rateLimit: { name: 'native', setting: 'nativePerMinute', windowMs: 60_000, per: 'sender' },
  })
  @ApiOperation({
    summary: 'Send one event, or {"events":[...]} with up to 500 (all or nothing)',
    description:
      'With Authorization: Bearer <API key with the ingest scope> from servers (user_agent and ip_address come from the body), ' +
      'or without credentials from browsers when the website allows public collection (the request\'s own User-Agent and address are used). ' +
      'timestamp records past events (imports); event_id or Idempotency-Key make retries safe; dry_run=true validates and enriches without storing.',
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiQuery({ name: 'dry_run', required: false, type: Boolean, description: 'Validate and enrich, store nothing, and return the enriched events (200).' })
  @ApiBody({ schema: doc(nativeBodySchema) })
  @ApiResponse({ status: 202, description: 'Stored (single: event_id; batch: event_ids)', schema: { oneOf: [doc(nativeEventAcceptedSchema), doc(nativeBatchAcceptedSchema)] } })
  @ApiResponse({ status: 200, description: 'dry_run: the events as they would be stored', schema: doc(nativeDryRunSchema) })
  @errors(400, 'validation_error (with field and index), invalid_json, invalid_props, batch_too_large')
  @errors(401, 'unauthorized: invalid, revoked or expired key')
  @errors(402, 'quota_exceeded: the organization\'s monthly event quota')
  @errors(403, 'forbidden: no ingest scope, key limited to other websites, or public collection disabled')
  @errors(404, 'website_not_found')
  @errors(413, 'payload_too_large')
  @errors(415, 'unsupported_media_type')
  @errors(429, 'rate_limit_exceeded (NATIVE_RATE_LIMIT_PER_MINUTE); Retry-After in seconds')
  @errors(500, 'internal_error: a fault of Footfall, not of the request (retrying does not help)')
  @errors(503, 'service_unavailable; Retry-After in seconds')
  track(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('dry_run') dryRun?: string): Promise<void> {
    return this.endpoint.handle(req, reply, { dryRun: dryRun === 'true' || dryRun === '1' });
  }
}
