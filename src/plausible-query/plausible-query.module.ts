import { Module } from '@nestjs/common';
import { EventsQueryModule } from '../events-query/events-query.module';
import { GoalsModule } from '../goals/goals.module';
import { WebsitesModule } from '../websites/websites.module';
import { PlausibleQueryController } from './plausible-query.controller';
import { PlausibleQueryService } from './plausible-query.service';

/** Query dialect: Plausible's Stats API v2 onto the query engine. */
@Module({
  imports: [EventsQueryModule, WebsitesModule, GoalsModule],
  controllers: [PlausibleQueryController],
  providers: [PlausibleQueryService],
})
export class PlausibleQueryModule {}
