import { Module } from '@nestjs/common';
import { RollupsModule } from '../rollups/rollups.module';
import { WebsitesModule } from '../websites/websites.module';
import { BreakdownService } from './breakdown.service';
import { CustomEventsController } from './custom-events.controller';
import { CustomEventsService } from './custom-events.service';
import { EventsQueryRepository } from './events-query.repository';
import { FunnelsController } from './funnels.controller';
import { FunnelsService } from './funnels.service';
import { QueryScope } from './query-scope.service';
import { RealtimeService } from './realtime.service';
import { RollupReader } from './rollup-reader.service';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';
import { TimeseriesService } from './timeseries.service';

/** Query API: request -> typed query object -> SQL builder (query/) -> repository. Never imports src/collect. */
@Module({
  imports: [WebsitesModule, RollupsModule],
  controllers: [CustomEventsController, StatsController, FunnelsController],
  providers: [QueryScope, EventsQueryRepository, RollupReader, CustomEventsService, StatsService, BreakdownService, TimeseriesService, RealtimeService, FunnelsService],
})
export class EventsQueryModule {}
