import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { QueryGate } from './query-gate';
import { QueryLoadInterceptor } from './query-load.interceptor';
import { GoalsModule } from '../goals/goals.module';
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
import { QueryEngine } from './engine/query-engine.service';
import { RollupSource } from './engine/rollup-source.service';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';
import { TimeseriesService } from './timeseries.service';

/**
 * Query API: each route an adapter from its parameters to the canonical query (src/analytics),
 * answered by the engine (engine/: plan, build SQL, run and merge). Never imports src/collect.
 */
@Module({
  imports: [WebsitesModule, RollupsModule, GoalsModule],
  controllers: [CustomEventsController, StatsController, FunnelsController],
  providers: [
    QueryScope,
    EventsQueryRepository,
    RollupSource,
    QueryEngine,
    CustomEventsService,
    StatsService,
    BreakdownService,
    TimeseriesService,
    RealtimeService,
    FunnelsService,
    QueryLoadInterceptor,
    {
      provide: QueryGate,
      inject: [APP_CONFIG],
      // One slot per connection of the query pool; an organization may keep a dashboard's burst waiting.
      useFactory: (c: AppConfig) =>
        new QueryGate({
          slots: c.query.poolSize,
          perOrganization: c.query.concurrencyPerOrganization,
          maxWaitingPerOrganization: 8 * c.query.concurrencyPerOrganization,
          queueTimeoutMs: c.query.queueTimeoutMs,
        }),
    },
  ],
  exports: [QueryEngine, QueryScope, QueryLoadInterceptor, QueryGate],
})
export class EventsQueryModule {}
