import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiNoAuth } from '../common/api-security';
import { ErrorResponseDto } from '../common/error-response.dto';
import { Public } from './auth.guard';
import { ShareSessionDto, ShareSessionRequestDto } from './dto/share-session.dto';
import { ShareSessionService } from './share-session.service';

@ApiTags('shared links')
@Controller('api/share')
export class ShareSessionController {
  constructor(private readonly sessions: ShareSessionService) {}

  @Post(':token/session')
  @Public()
  @ApiNoAuth()
  @HttpCode(200)
  @ApiOperation({
    summary: "Open a shared link: an access token that reads that website's statistics and nothing else (anyone with the link)",
    description:
      'The token reads the query routes of the link\'s website (stats, breakdowns, time series, realtime, custom events, funnels, goals) ' +
      'and POST /api/v2/query with its site_id; every other route refuses it. Deleting the link ends its sessions at once.',
  })
  @ApiResponse({ status: 200, type: ShareSessionDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  @ApiResponse({ status: 401, type: ErrorResponseDto, description: 'The link has a password, and none or a wrong one was given' })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'Unknown or revoked link' })
  @ApiResponse({ status: 429, type: ErrorResponseDto, description: 'Too many wrong passwords for this link from this client IP (growing backoff), or from this IP (Retry-After set)' })
  open(@Param('token') token: string, @Body() dto: ShareSessionRequestDto, @Req() req: FastifyRequest): Promise<ShareSessionDto> {
    return this.sessions.open(token, dto, req.ip);
  }
}
