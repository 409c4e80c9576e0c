import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { AllowApiKey, AllowSharedLink, CurrentPrincipal } from '../auth/auth.guard';
import { Principal } from '../auth/principal';
import { CustomEventsService } from './custom-events.service';
import { EventNamesResponseDto, EventPropertiesResponseDto, EventTimeseriesResponseDto } from './dto/custom-events.dto';
import { ApiFilterQuery, DateRangeQueryDto, EventNameQueryDto, EventTimeseriesQueryDto } from './dto/query-params.dto';
import { QueryApi } from './query-docs';
import { Filters } from './filters.decorator';
import { FilterParams } from './query/filters';

/** Sparklytics' custom event queries, with its paths and response shapes. */
@QueryApi('query: custom events (Sparklytics)')
@Controller('api/websites')
export class CustomEventsController {
  constructor(private readonly events: CustomEventsService) {}

  @Get(':id/events')
  @AllowApiKey('read')
  @AllowSharedLink()
  @ApiOperation({ summary: 'Custom event names with their counts' })
  @ApiFilterQuery()
  @ApiResponse({ status: 200, type: EventNamesResponseDto })
  names(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() dto: DateRangeQueryDto, @Filters() filters: FilterParams): Promise<EventNamesResponseDto> {
    return this.events.names(p, id, dto, filters);
  }

  @Get(':id/events/properties')
  @AllowApiKey('read')
  @AllowSharedLink()
  @ApiOperation({ summary: "One custom event's property keys and their values with counts" })
  @ApiFilterQuery()
  @ApiResponse({ status: 200, type: EventPropertiesResponseDto })
  properties(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() dto: EventNameQueryDto, @Filters() filters: FilterParams): Promise<EventPropertiesResponseDto> {
    return this.events.properties(p, id, dto, filters);
  }

  @Get(':id/events/timeseries')
  @AllowApiKey('read')
  @AllowSharedLink()
  @ApiOperation({ summary: 'One custom event per hour, day, week or month (zero-filled)' })
  @ApiFilterQuery()
  @ApiResponse({ status: 200, type: EventTimeseriesResponseDto })
  timeseries(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Query() dto: EventTimeseriesQueryDto,
    @Filters() filters: FilterParams,
  ): Promise<EventTimeseriesResponseDto> {
    return this.events.timeseries(p, id, dto, filters);
  }
}
