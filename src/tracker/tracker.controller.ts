import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.guard';
import { ApiNoAuth } from '../common/api-security';
import { ApiUnsafeQueryResponse } from '../common/error-response.dto';
import { TrackerScriptLoader } from './tracker-script';

const CACHE_CONTROL = 'public, max-age=3600';

/** The browser tracker that websites include with a script tag. */
@ApiTags('tracker')
@Controller()
export class TrackerController {
  constructor(private readonly loader: TrackerScriptLoader) {}

  @Get('script.js')
  @Public()
  @ApiNoAuth()
  @ApiOperation({
    summary: 'Browser tracker script',
    description:
      'Include it with a deferred script tag: src="https://<footfall-host>/script.js" data-website-id="<id>". ' +
      'Sends pageviews (also on single-page-app navigation) and window.footfall.track(name, data) custom events ' +
      'to /api/collect on the same origin as the script. No cookies or storage; nothing is sent when Do Not Track ' +
      'or Global Privacy Control is on, or on localhost unless the tag has data-allow-localhost.',
  })
  @ApiProduces('application/javascript')
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag of a cached copy' })
  @ApiResponse({
    status: 200,
    description: 'The tracker script (JavaScript, under 3 KB gzipped)',
    content: { 'application/javascript': { schema: { type: 'string' } } },
    headers: {
      ETag: { description: 'Entity tag of the script', schema: { type: 'string' } },
      'Cache-Control': { description: CACHE_CONTROL, schema: { type: 'string' } },
    },
  })
  @ApiResponse({ status: 304, description: 'Not modified: If-None-Match matches the current ETag' })
  @ApiUnsafeQueryResponse()
  script(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply): void {
    const { body, etag } = this.loader.get();
    reply.header('Cache-Control', CACHE_CONTROL).header('ETag', etag);
    const tags = (ifNoneMatch ?? '').split(',').map((s) => s.trim().replace(/^W\//, ''));
    if (tags.includes(etag) || tags.includes('*')) {
      reply.status(304).send();
      return;
    }
    reply.status(200).type('application/javascript; charset=utf-8').send(body);
  }
}
