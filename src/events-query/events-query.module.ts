import { Module } from '@nestjs/common';
import { WebsitesModule } from '../websites/websites.module';
import { BreakdownService } from './breakdown.service';
import { CustomEventsController } from './custom-events.controller';
import { CustomEventsService } from './custom-events.service';
import { EventsQueryRepository } from './events-query.repository';
import { FunnelsController } from './funnels.controller';
import { FunnelsService } from './funnels.service';
import { QueryScope } from './query-scope.service';
import { RealtimeService } from './realtime.service';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';
import { TimeseriesService } from './timeseries.service';

/** Query API: request -> typed query object -> SQL builder (query/) -> repository. Never imports src/collect. */
@Module({
  imports: [WebsitesModule],
  controllers: [CustomEventsController, StatsController, FunnelsController],
  providers: [QueryScope, EventsQueryRepository, CustomEventsService, StatsService, BreakdownService, TimeseriesService, RealtimeService, FunnelsService],
})
export class EventsQueryModule {}
