import { Module } from '@nestjs/common';
import { WebsitesModule } from '../websites/websites.module';
import { PrivacyController } from './privacy.controller';
import { PrivacyRepository } from './privacy.repository';
import { EventExport } from './event-export';

/** Data-subject rights and data portability: erasure of one visitor's data, export of a site's events. */
@Module({ imports: [WebsitesModule], controllers: [PrivacyController], providers: [PrivacyRepository, EventExport] })
export class PrivacyModule {}
