import { Body, Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AllowApiKey, AllowSharedLink, CurrentPrincipal } from '../auth/auth.guard';
import { Principal } from '../auth/principal';
import { QueryLoadInterceptor } from '../events-query/query-load.interceptor';
import { ERROR_STRING_ROUTE } from '../common/error-format';
import { PlausibleQueryService } from './plausible-query.service';
import { V2_QUERY_BODY_SCHEMA, V2_RESPONSE_SCHEMA, V2_ERROR_SCHEMA } from './v2-schema';
import { V2Response } from './v2-response';

/** Plausible's Stats API v2, unchanged: an integration built for it works with Footfall's base URL and key. */
@ApiTags('query: Plausible Stats API v2')
@ApiBearerAuth()
@Controller('api/v2')
@UseInterceptors(QueryLoadInterceptor)
export class PlausibleQueryController {
  constructor(private readonly service: PlausibleQueryService) {}

  @Post('query')
  @HttpCode(200)
  @RouteConfig(ERROR_STRING_ROUTE)
  @AllowApiKey('read')
  @AllowSharedLink()
  @ApiOperation({
    summary: "Any metrics, dimensions, nested filters and goals of one website, as Plausible's Stats API v2",
    description:
      'site_id is the website id, or its domain when exactly one of your websites has it. Errors answer {"error": "..."} as Plausible does. ' +
      'Visitors are estimated (HyperLogLog, about 1.6% standard error) when the answer comes from daily rollups; see the README.',
  })
  @ApiBody({ schema: V2_QUERY_BODY_SCHEMA })
  @ApiResponse({ status: 200, schema: V2_RESPONSE_SCHEMA })
  @ApiResponse({ status: 400, schema: V2_ERROR_SCHEMA, description: 'A malformed query; the message names the field.' })
  @ApiResponse({ status: 401, schema: V2_ERROR_SCHEMA, description: 'Missing, invalid, revoked or expired credentials.' })
  @ApiResponse({ status: 403, schema: V2_ERROR_SCHEMA, description: 'API key without the read scope, or limited to other websites.' })
  @ApiResponse({ status: 404, schema: V2_ERROR_SCHEMA, description: "Unknown website, or another organization's." })
  @ApiResponse({ status: 409, schema: V2_ERROR_SCHEMA, description: "The website's stored time zone is unknown to the database; update the website." })
  @ApiResponse({ status: 429, schema: V2_ERROR_SCHEMA, description: "Too many of the organization's queries in flight; retry after Retry-After seconds." })
  @ApiResponse({ status: 503, schema: V2_ERROR_SCHEMA, description: 'The query service is busy, or the query ran over its time budget; retry after Retry-After seconds.' })
  query(@CurrentPrincipal() p: Principal, @Body() body: unknown): Promise<V2Response> {
    return this.service.query(p, body);
  }
}
