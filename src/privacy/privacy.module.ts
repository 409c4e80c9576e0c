import { Module } from '@nestjs/common';
import { WebsitesModule } from '../websites/websites.module';
import { PrivacyController } from './privacy.controller';
import { PrivacyRepository } from './privacy.repository';
import { EventExport } from './event-export';
import { ExportSlots } from './export-slots';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';

/** Data-subject rights and data portability: erasure of one visitor's data, export of a site's events. */
@Module({ imports: [WebsitesModule], controllers: [PrivacyController], providers: [
    PrivacyRepository,
    EventExport,
    { provide: ExportSlots, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new ExportSlots(c.query.exportConcurrency) },
  ],
})
export class PrivacyModule {}
