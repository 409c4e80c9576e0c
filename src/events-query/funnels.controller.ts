import { Body, Controller, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { AllowApiKey, AllowSharedLink, CurrentPrincipal } from '../auth/auth.guard';
import { Principal } from '../auth/principal';
import { FunnelQueryDto, FunnelResponseDto } from './dto/funnel.dto';
import { ApiFilterQuery, DateRangeQueryDto } from './dto/query-params.dto';
import { FunnelsService } from './funnels.service';
import { QueryApi } from './query-docs';
import { Filters } from './filters.decorator';
import { FilterParams } from './query/filters';

@QueryApi('query: funnels')
@Controller('api/websites')
export class FunnelsController {
  constructor(private readonly funnels: FunnelsService) {}

  @Post(':id/funnels/query')
  @HttpCode(200)
  @AllowApiKey('read')
  @AllowSharedLink()
  @ApiOperation({
    summary: 'Visitors who went through 2 to 8 steps in order',
    description: 'Each step must happen after the previous one (and within window_minutes of the first step, when given), within the period.',
  })
  @ApiFilterQuery()
  @ApiResponse({ status: 200, type: FunnelResponseDto })
  query(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: FunnelQueryDto,
    @Query() dates: DateRangeQueryDto,
    @Filters() filters: FilterParams,
  ): Promise<FunnelResponseDto> {
    return this.funnels.query(p, id, body, dates, filters);
  }
}
