import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/auth.guard';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { rybbitApiKey, rybbitDialect, rybbitErrorSchema, rybbitSuccessSchema, rybbitTrackBodySchema } from '../dialects/rybbit';
import { IngestionService } from '../ingestion.service';
import { header, sendWire } from '../ingest-route';
import { doc, IDEMPOTENCY_HEADER, SERVER_BODY_LIMIT } from './ingest-docs';

const errors = (s: number, d: string) => ApiResponse({ status: s, description: d, schema: doc(rybbitErrorSchema) });

/** Rybbit HTTP API: the key in the body's api_key, or Authorization: Bearer when the body has none. */
@ApiTags('ingest: Rybbit')
@Controller('api')
export class RybbitController {
  constructor(
    private readonly ingestion: IngestionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('track')
  @Public()
  @HttpCode(200)
  @RouteConfig({ ingest: 'rybbit', bodyLimit: SERVER_BODY_LIMIT })
  @ApiOperation({ summary: 'Rybbit: track a pageview or custom event' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiBody({ schema: doc(rybbitTrackBodySchema) })
  @ApiResponse({ status: 200, schema: doc(rybbitSuccessSchema) })
  @errors(400, 'Invalid payload (details.fieldErrors / formErrors)')
  @errors(401, 'Invalid API key (unknown, revoked or expired)')
  @errors(403, 'The key lacks the ingest scope or is limited to other websites')
  @errors(404, 'Site not found')
  @errors(429, 'Rate limit exceeded (RYBBIT_RATE_LIMIT_PER_SECOND per key)')
  @errors(500, 'A fault of Footfall, not of the request (retrying does not help)')
  @errors(503, 'Storage unavailable or overloaded; Retry-After in seconds')
  async track(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const wire = await this.ingestion.handle({
      dialect: rybbitDialect,
      body: req.body,
      clientIp: req.ip,
      clientUserAgent: header(req, 'user-agent'),
      credential: { kind: 'bearer', token: rybbitApiKey(req.body, req.headers.authorization) },
      idempotencyKey: header(req, 'idempotency-key'),
      limit: { name: 'rybbit', per: 'credential', limit: this.config.limits.rybbitPerSecond, windowMs: 1000 },
    });
    sendWire(reply, wire);
  }
}
