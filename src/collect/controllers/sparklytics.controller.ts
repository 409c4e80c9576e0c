import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sparklyticsBodySchema, sparklyticsDialect, sparklyticsErrorSchema, sparklyticsSuccessSchema } from '../dialects/sparklytics';
import { IngestEndpoint } from '../ingest-endpoint';
import { IngestRoute } from '../ingest-route';
import { doc, IDEMPOTENCY_HEADER } from './ingest-docs';

/** Sparklytics' own limit for the whole request body (100 KB). */
const COLLECT_BODY_LIMIT = 102_400;

const RATE_HEADERS = {
  'X-RateLimit-Limit': { description: 'Requests allowed per minute per client IP', schema: { type: 'integer' as const } },
  'X-RateLimit-Remaining': { description: 'Requests left in the current window', schema: { type: 'integer' as const } },
  'X-RateLimit-Reset': { description: 'Unix time (seconds) when the window resets', schema: { type: 'integer' as const } },
};
const errors = (s: number, d: string) => ApiResponse({ status: s, description: d, schema: doc(sparklyticsErrorSchema), headers: RATE_HEADERS });

/** Sparklytics collect: public (browsers), the website id in the body, one event or up to 50. */
@ApiTags('ingest: Sparklytics')
@Controller('api')
export class SparklyticsController {
  constructor(private readonly endpoint: IngestEndpoint) {}

  @Post('collect')
  @HttpCode(202)
  @IngestRoute({
    dialect: sparklyticsDialect,
    bodyLimit: COLLECT_BODY_LIMIT,
    credential: 'none',
    rateLimit: { name: 'sparklytics', setting: 'sparklyticsPerMinute', windowMs: 60_000, per: 'client-ip' },
  })
  @ApiOperation({
    summary: 'Sparklytics: collect a pageview or custom event, or an array of up to 50',
    description: 'No authentication: events name their website_id. A JSON body sent as text/plain or without Content-Type (sendBeacon, fetch keepalive) is accepted.',
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiBody({ schema: doc(sparklyticsBodySchema) })
  @ApiResponse({ status: 202, schema: doc(sparklyticsSuccessSchema), headers: { 'x-sparklytics-ingest-ack': { schema: { type: 'string' } }, ...RATE_HEADERS } })
  @errors(400, 'Invalid event, or batch_too_large (more than 50 events)')
  @errors(403, 'The website does not accept public collection')
  @errors(404, 'Unknown website_id: <id>')
  @errors(413, 'Body larger than 100 KB')
  @errors(415, 'Body is neither JSON nor text/plain')
  @errors(429, 'Rate limit exceeded (SPARKLYTICS_RATE_LIMIT_PER_MINUTE per client IP)')
  @errors(500, 'A fault of Footfall, not of the request (retrying does not help)')
  @errors(503, 'Storage unavailable or overloaded; Retry-After in seconds')
  collect(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.endpoint.handle(req, reply);
  }
}
