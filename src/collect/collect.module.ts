import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { EnrichmentModule } from '../enrichment/enrichment.module';
import { ShieldsModule } from '../shields/shields.module';
import { WebsitesModule } from '../websites/websites.module';
import { NativeController } from './controllers/native.controller';
import { OvyxaController } from './controllers/ovyxa.controller';
import { PlausibleController } from './controllers/plausible.controller';
import { RybbitController } from './controllers/rybbit.controller';
import { SparklyticsController } from './controllers/sparklytics.controller';
import { UmamiController } from './controllers/umami.controller';
import { WebAnalyzerController } from './controllers/webanalyzer.controller';
import { IngestEndpoint } from './ingest-endpoint';
import { IngestionService } from './ingestion.service';
import { WebsiteDomains } from './collect-cors';
import { MaintenanceService } from './maintenance.service';
import { MonthlyQuota } from './monthly-quota';
import { VisitorSalts } from './visitor-salts';
import { WebsiteLookup } from './website-lookup';
import { EventsRepository } from './writer/events.repository';
import { EventWriter } from './writer/event-writer';

/** Ingestion: dialect controllers -> IngestEndpoint -> IngestionService -> EventWriter -> Postgres. */
@Module({
  imports: [AuthModule, WebsitesModule, EnrichmentModule, ShieldsModule],
  controllers: [SparklyticsController, OvyxaController, RybbitController, WebAnalyzerController, NativeController, PlausibleController, UmamiController],
  providers: [MaintenanceService, WebsiteDomains, IngestEndpoint, IngestionService, MonthlyQuota, WebsiteLookup, VisitorSalts, EventsRepository, EventWriter],
  exports: [EventWriter, VisitorSalts, WebsiteDomains],
})
export class CollectModule {}
