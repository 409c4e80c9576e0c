import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/auth.guard';
import { bearerToken } from '../../auth/principal.resolver';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { Dialect } from '../dialects/dialect';
import { ovyxaCustomBodySchema, ovyxaCustomDialect, ovyxaErrorSchema, ovyxaPageviewBodySchema, ovyxaPageviewDialect, ovyxaSuccessSchema } from '../dialects/ovyxa';
import { IngestionService } from '../ingestion.service';
import { header, IngestRouteConfig, sendWire } from '../ingest-route';
import { doc, IDEMPOTENCY_HEADER, SERVER_BODY_LIMIT } from './ingest-docs';

const ROUTE: IngestRouteConfig = { ingest: 'ovyxa', bodyLimit: SERVER_BODY_LIMIT };
const HOUR_MS = 3_600_000;

const errors = (s: number, d: string) => ApiResponse({ status: s, description: d, schema: doc(ovyxaErrorSchema) });

/** Ovyxa Events API: Bearer API key (ingest scope) or the access token of a member or above. */
@ApiTags('ingest: Ovyxa')
@ApiBearerAuth()
@ApiHeader(IDEMPOTENCY_HEADER)
@errors(400, 'invalid_request, invalid_props, or invalid_site_id (unknown site, or not the credential\'s organization)')
@errors(401, 'unauthorized: missing or invalid API key')
@errors(403, 'unauthorized: the key lacks the ingest scope or is limited to other websites, or the access token is a viewer\'s')
@errors(429, 'rate_limit_exceeded: events per hour per key (OVYXA_EVENTS_PER_HOUR); Retry-After in seconds')
@errors(500, 'internal_error: a fault of Footfall, not of the request (retrying does not help)')
@errors(503, 'service_unavailable: storage unavailable or overloaded; Retry-After in seconds')
@Controller('api/v1/events')
export class OvyxaController {
  constructor(
    private readonly ingestion: IngestionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('pageview')
  @Public()
  @HttpCode(201)
  @RouteConfig(ROUTE)
  @ApiOperation({ summary: 'Ovyxa: track a pageview' })
  @ApiBody({ schema: doc(ovyxaPageviewBodySchema) })
  @ApiResponse({ status: 201, schema: doc(ovyxaSuccessSchema) })
  pageview(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.track(ovyxaPageviewDialect, req, reply);
  }

  @Post('custom')
  @Public()
  @HttpCode(201)
  @RouteConfig(ROUTE)
  @ApiOperation({ summary: 'Ovyxa: track a custom event (props: at most 10 keys)' })
  @ApiBody({ schema: doc(ovyxaCustomBodySchema) })
  @ApiResponse({ status: 201, schema: doc(ovyxaSuccessSchema) })
  custom(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.track(ovyxaCustomDialect, req, reply);
  }

  private async track(dialect: Dialect, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const wire = await this.ingestion.handle({
      dialect,
      body: req.body,
      clientIp: req.ip,
      clientUserAgent: header(req, 'user-agent'),
      credential: { kind: 'bearer', token: bearerToken(req.headers.authorization), userTokens: true },
      idempotencyKey: header(req, 'idempotency-key'),
      limit: { name: 'ovyxa', per: 'credential', limit: this.config.limits.ovyxaEventsPerHour, windowMs: HOUR_MS, countEvents: true },
    });
    sendWire(reply, wire);
  }
}
