import { BadRequestException, Controller, Delete, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiProperty, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { parseDateRange } from '../events-query/query/date-range';
import { CurrentPrincipal } from '../auth/auth.guard';
import { assertCan, Principal } from '../auth/principal';
import { ErrorResponseDto } from '../common/error-response.dto';
import { WebsitesService } from '../websites/websites.service';
import { PrivacyRepository } from './privacy.repository';
import { EventExport, EXPORT_FORMATS, ExportFormat } from './event-export';
import { ExportSlots } from './export-slots';
import { TooManyRequestsException } from '../common/http-errors';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';

/** Seconds a refused export is asked to wait: the running ones may take a while. */
const EXPORT_RETRY_AFTER_S = 30;

class ErasureDto {
  @ApiProperty({ description: 'Events deleted.' }) events!: number;
  @ApiProperty({ description: 'Visits (sessions) deleted.' }) sessions!: number;
}

@ApiTags('privacy')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorResponseDto })
@Controller('api/websites/:id')
export class PrivacyController {
  constructor(
    private readonly websites: WebsitesService,
    private readonly privacy: PrivacyRepository,
    private readonly exporter: EventExport,
    private readonly slots: ExportSlots,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('export')
  @ApiOperation({ summary: "Stream the website's events as NDJSON or CSV, oldest first; owner or admin" })
  @ApiQuery({ name: 'start_date', required: false, description: 'YYYY-MM-DD (a day in the website\'s time zone) or an ISO instant; default 30 days ago' })
  @ApiQuery({ name: 'end_date', required: false, description: 'YYYY-MM-DD (inclusive) or an ISO instant; default today' })
  @ApiQuery({ name: 'format', required: false, enum: EXPORT_FORMATS, description: 'Default ndjson' })
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiResponse({ status: 200, description: 'One event per line (NDJSON), or CSV with a header row', schema: { type: 'string' } })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  @ApiResponse({ status: 403, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  @ApiResponse({ status: 429, type: ErrorResponseDto, description: 'EXPORT_CONCURRENCY exports are running; retry after Retry-After seconds' })
  async export(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const site = await this.websites.getReadable(p, id);
    assertCan(p, site.organization_id, 'manage_data', 'Website');
    const format = (query.format ?? 'ndjson') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) throw new BadRequestException(`format must be one of: ${EXPORT_FORMATS.join(', ')}`);
    const range = parseDateRange(query, site.timezone, new Date());
    const release = this.slots.tryTake();
    if (!release) throw new TooManyRequestsException('Too many exports are running; retry later', EXPORT_RETRY_AFTER_S);
    const body = Readable.from(this.exporter.lines(site.id, range, format));
    // The slot (and the connection the export holds) is given back when the stream ends or is destroyed.
    body.once('close', release);
    // A reader that stops reading stalls the stream with its connection: after the idle timeout
    // without a byte going out, the connection is closed and the stream destroyed.
    reply.raw.setTimeout(this.config.query.exportIdleTimeoutMs, () => reply.raw.destroy());
    reply
      .header('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${site.id}-events.${format === 'csv' ? 'csv' : 'ndjson'}"`)
      .send(body);
  }

  @Delete('visitors/:visitor_id')
  @ApiOperation({ summary: "Erase one visitor's events and visits (GDPR Art. 17); owner or admin" })
  @ApiResponse({ status: 200, type: ErasureDto })
  @ApiResponse({ status: 403, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'Unknown website, or another organization\'s' })
  async erase(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('visitor_id') visitorId: string): Promise<ErasureDto> {
    const site = await this.websites.getReadable(p, id);
    assertCan(p, site.organization_id, 'manage_data', 'Website');
    return this.privacy.eraseVisitor(site.id, visitorId);
  }
}
