import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { umamiCacheKey } from '../dialects/umami-cache';
import {
  UMAMI_CACHE_HEADER,
  UMAMI_LIMITS,
  umamiBotSchema,
  umamiDialect,
  umamiErrorSchema,
  umamiRouteDialect,
  umamiSendBodySchema,
  umamiSuccessSchema,
} from '../dialects/umami';
import { IngestEndpoint } from '../ingest-endpoint';
import { header, IngestRoute } from '../ingest-route';
import { doc } from './ingest-docs';

const errors = (s: number, d: string) => ApiResponse({ status: s, description: d, schema: doc(umamiErrorSchema) });

/** Umami's collection API: public (browsers and Umami's client libraries), the website in the payload. */
@ApiTags('ingest: Umami')
@Controller('api')
export class UmamiController {
  private readonly cacheKey: Buffer;

  constructor(
    private readonly endpoint: IngestEndpoint,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cacheKey = umamiCacheKey(config.jwtSecret);
  }

  @Post('send')
  @HttpCode(200)
  @IngestRoute({
    dialect: umamiRouteDialect,
    bodyLimit: UMAMI_LIMITS.bodyBytes,
    credential: 'none',
    rateLimit: { name: 'umami', setting: 'umamiPerMinute', windowMs: 60_000, per: 'sender' },
    skipBots: true,
  })
  @ApiOperation({
    summary: 'Umami: send a pageview, a custom event (payload.name) or an identify',
    description:
      'No authentication: payload.website names a website that allows public collection. The request\'s own User-Agent and address ' +
      'are the visitor\'s; a bot, or a request without a User-Agent, is answered {"beep":"boop"} and not stored.',
  })
  @ApiHeader({ name: UMAMI_CACHE_HEADER, required: false, description: 'The `cache` of an earlier answer; ignored unless valid (signed, this website, today).' })
  @ApiBody({ schema: doc(umamiSendBodySchema) })
  @ApiResponse({ status: 200, description: 'Stored; or, for a bot, {"beep":"boop"}', schema: { oneOf: [doc(umamiSuccessSchema), doc(umamiBotSchema)] } })
  @errors(400, 'bad-request: validation (the problems by field), or "Website not found."')
  @errors(403, 'forbidden: the website does not accept public collection')
  @errors(413, 'payload-too-large: body over 100 KB')
  @errors(429, 'too-many-requests: UMAMI_RATE_LIMIT_PER_MINUTE per client IP, or the monthly quota; Retry-After in seconds')
  @errors(500, 'server-error: a fault of Footfall, not of the request')
  @errors(503, 'service-unavailable: storage unavailable or overloaded; Retry-After in seconds')
  send(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // The x-umami-cache token keeps the visitor of an earlier answer; the answer signs a new one.
    return this.endpoint.handle(req, reply, { dialect: () => umamiDialect({ cacheKey: this.cacheKey, cacheToken: header(req, UMAMI_CACHE_HEADER) }) });
  }
}
