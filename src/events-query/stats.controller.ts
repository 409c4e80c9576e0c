import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';
import { AllowApiKey, AllowSharedLink, CurrentPrincipal } from '../auth/auth.guard';
import { Principal } from '../auth/principal';
import { BreakdownService } from './breakdown.service';
import { ApiFilterQuery, BreakdownQueryDto, DateRangeQueryDto, TimeseriesQueryDto } from './dto/query-params.dto';
import { BreakdownResponseDto, RealtimeResponseDto, StatsResponseDto, TimeseriesResponseDto } from './dto/stats.dto';
import { DIMENSION_NAMES, MAX_PROP_KEY_LENGTH, PROP_PREFIX } from './query/dimensions';
import { QueryApi } from './query-docs';
import { Filters } from './filters.decorator';
import { FilterParams } from './query/filters';
import { RealtimeService } from './realtime.service';
import { StatsService } from './stats.service';
import { TimeseriesService } from './timeseries.service';

/** Aggregate statistics of a website: totals, breakdowns, time series, realtime. */
@QueryApi('query: statistics')
@Controller('api/websites')
export class StatsController {
  constructor(
    private readonly statsService: StatsService,
    private readonly breakdowns: BreakdownService,
    private readonly series: TimeseriesService,
    private readonly live: RealtimeService,
  ) {}

  @Get(':id/stats')
  @AllowApiKey('read')
  @AllowSharedLink()
  @ApiOperation({ summary: 'Headline metrics of a period and of the period of equal length before it' })
  @ApiFilterQuery()
  @ApiResponse({ status: 200, type: StatsResponseDto })
  stats(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() dto: DateRangeQueryDto, @Filters() filters: FilterParams): Promise<StatsResponseDto> {
    return this.statsService.stats(p, id, dto, filters);
  }

  @Get(':id/breakdown/:dimension')
  @AllowApiKey('read')
  @AllowSharedLink()
  @ApiOperation({ summary: 'Top values of a dimension with visitors, visits, pageviews and custom events' })
  @ApiParam({
    name: 'dimension',
    description: `One of: ${DIMENSION_NAMES.join(', ')}, or prop:<key> for a custom event property.`,
    example: 'page',
    schema: { anyOf: [{ type: 'string', enum: [...DIMENSION_NAMES] }, { type: 'string', pattern: `^${PROP_PREFIX}.{1,${MAX_PROP_KEY_LENGTH}}$` }] },
  })
  @ApiFilterQuery()
  @ApiResponse({ status: 200, type: BreakdownResponseDto })
  breakdown(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('dimension') dimension: string,
    @Query() dto: BreakdownQueryDto,
    @Filters() filters: FilterParams,
  ): Promise<BreakdownResponseDto> {
    return this.breakdowns.breakdown(p, id, dimension, dto, filters);
  }

  @Get(':id/timeseries')
  @AllowApiKey('read')
  @AllowSharedLink()
  @ApiOperation({ summary: "A metric per hour, day, week or month in the website's time zone, every bucket present" })
  @ApiFilterQuery()
  @ApiResponse({ status: 200, type: TimeseriesResponseDto })
  timeseries(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() dto: TimeseriesQueryDto, @Filters() filters: FilterParams): Promise<TimeseriesResponseDto> {
    return this.series.timeseries(p, id, dto, filters);
  }

  @Get(':id/realtime')
  @AllowApiKey('read')
  @AllowSharedLink()
  @ApiOperation({ summary: 'Visitors, pages and sources of the last 5 minutes' })
  @ApiFilterQuery()
  @ApiResponse({ status: 200, type: RealtimeResponseDto })
  realtime(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Filters() filters: FilterParams): Promise<RealtimeResponseDto> {
    return this.live.realtime(p, id, filters);
  }
}
