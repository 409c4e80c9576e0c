import { Controller, HttpCode, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  isPlausibleEngagement,
  PLAUSIBLE_DROPPED_HEADER,
  plausibleAccepted,
  plausibleAcceptedSchema,
  plausibleDialectOf,
  plausibleErrorSchema,
  plausibleEventSchema,
  plausibleRouteDialect,
} from '../dialects/plausible';
import { IngestEndpoint } from '../ingest-endpoint';
import { IngestRoute, sendWire } from '../ingest-route';
import { WebsiteLookup } from '../website-lookup';
import { doc, IDEMPOTENCY_HEADER, SERVER_BODY_LIMIT } from './ingest-docs';

const errors = (s: number, d: string) => ApiResponse({ status: s, description: d, schema: doc(plausibleErrorSchema) });

/** Plausible's Events API, as its tracker script and server-side clients send it: no credential. */
@ApiTags('ingest: Plausible')
@Controller('api')
export class PlausibleController {
  private readonly logger = new Logger(PlausibleController.name);

  constructor(
    private readonly endpoint: IngestEndpoint,
    private readonly websites: WebsiteLookup,
  ) {}

  @Post('event')
  @HttpCode(202)
  @IngestRoute({
    dialect: plausibleRouteDialect,
    bodyLimit: SERVER_BODY_LIMIT,
    credential: 'none',
    // Counted per client IP once the request is known not to be an engagement ping.
    rateLimit: { name: 'plausible', setting: 'plausiblePerMinute', windowMs: 60_000, per: 'sender' },
  })
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
    // Engagement pings (time on page, scroll depth) are acknowledged and not stored: Footfall records neither.
    if (isPlausibleEngagement(req.body)) return sendWire(reply, plausibleAccepted(0));
    return this.endpoint.handle(req, reply, { dialect: () => plausibleDialectOf(req.body, (names) => this.websites.idsNamedBy(names), this.logger) });
  }
}
