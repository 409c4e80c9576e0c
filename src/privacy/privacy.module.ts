import { Module } from '@nestjs/common';
import { WebsitesModule } from '../websites/websites.module';
import { PrivacyController } from './privacy.controller';
import { PrivacyRepository } from './privacy.repository';

/** Data-subject rights: erasure of one visitor's data. */
@Module({ imports: [WebsitesModule], controllers: [PrivacyController], providers: [PrivacyRepository] })
export class PrivacyModule {}
