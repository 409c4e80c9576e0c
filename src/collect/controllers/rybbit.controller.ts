import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { rybbitApiKey, rybbitDialect, rybbitErrorSchema, rybbitSuccessSchema, rybbitTrackBodySchema } from '../dialects/rybbit';
import { IngestEndpoint } from '../ingest-endpoint';
import { IngestRoute } from '../ingest-route';
import { doc, IDEMPOTENCY_HEADER, SERVER_BODY_LIMIT } from './ingest-docs';

const errors = (s: number, d: string) => ApiResponse({ status: s, description: d, schema: doc(rybbitErrorSchema) });

/** Rybbit HTTP API: the key in the body's api_key, or Authorization: Bearer when the body has none. */
@ApiTags('ingest: Rybbit')
@Controller('api')
export class RybbitController {
  constructor(private readonly endpoint: IngestEndpoint) {}

  @Post('track')
  @HttpCode(200)
  @IngestRoute({
    dialect: rybbitDialect,
    bodyLimit: SERVER_BODY_LIMIT,
    credential: 'api-key',
    tokenOf: rybbitApiKey,
    rateLimit: { name: 'rybbit', setting: 'rybbitPerSecond', windowMs: 1000, per: 'sender' },
  })
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
  track(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.endpoint.handle(req, reply);
  }
}
