import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Dialect } from '../dialects/dialect';
import { ovyxaCustomBodySchema, ovyxaCustomDialect, ovyxaErrorSchema, ovyxaPageviewBodySchema, ovyxaPageviewDialect, ovyxaSuccessSchema } from '../dialects/ovyxa';
import { IngestEndpoint } from '../ingest-endpoint';
import { IngestRoute, RateLimitRule } from '../ingest-route';
import { doc, IDEMPOTENCY_HEADER, SERVER_BODY_LIMIT } from './ingest-docs';

/** Events per hour per key (or user). */
const EVENTS_PER_HOUR: RateLimitRule = { name: 'ovyxa', setting: 'ovyxaEventsPerHour', windowMs: 3_600_000, per: 'sender', countEvents: true };
const route = (dialect: Dialect) => IngestRoute({ dialect, bodyLimit: SERVER_BODY_LIMIT, credential: 'api-key-or-user', rateLimit: EVENTS_PER_HOUR });

const errors = (s: number, d: string) => ApiResponse({ status: s, description: d, schema: doc(ovyxaErrorSchema) });

/** Ovyxa Events API: Bearer API key (ingest scope) or the access token of a member or above. */
@ApiTags('ingest: Ovyxa')
@ApiHeader(IDEMPOTENCY_HEADER)
@errors(400, 'invalid_request, invalid_props, or invalid_site_id (unknown site, or not the credential\'s organization)')
@errors(401, 'unauthorized: missing or invalid API key')
@errors(403, 'unauthorized: the key lacks the ingest scope or is limited to other websites, or the access token is a viewer\'s')
@errors(429, 'rate_limit_exceeded: events per hour per key (OVYXA_EVENTS_PER_HOUR); Retry-After in seconds')
@errors(500, 'internal_error: a fault of Footfall, not of the request (retrying does not help)')
@errors(503, 'service_unavailable: storage unavailable or overloaded; Retry-After in seconds')
@Controller('api/v1/events')
export class OvyxaController {
  constructor(private readonly endpoint: IngestEndpoint) {}

  @Post('pageview')
  @HttpCode(201)
  @route(ovyxaPageviewDialect)
  @ApiOperation({ summary: 'Ovyxa: track a pageview' })
  @ApiBody({ schema: doc(ovyxaPageviewBodySchema) })
  @ApiResponse({ status: 201, schema: doc(ovyxaSuccessSchema) })
  pageview(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.endpoint.handle(req, reply);
  }

  @Post('custom')
  @HttpCode(201)
  @route(ovyxaCustomDialect)
  @ApiOperation({ summary: 'Ovyxa: track a custom event (props: at most 10 keys)' })
  @ApiBody({ schema: doc(ovyxaCustomBodySchema) })
  @ApiResponse({ status: 201, schema: doc(ovyxaSuccessSchema) })
  custom(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.endpoint.handle(req, reply);
  }
}
