import { Module } from '@nestjs/common';
import { WebsitesModule } from '../websites/websites.module';
import { ShieldFilter } from './shield-filter';
import { ShieldsController } from './shields.controller';
import { ShieldsRepository } from './shields.repository';
import { ShieldsService } from './shields.service';

/** Per-website shields: the API that sets them, and the filter ingestion runs them in. */
@Module({
  imports: [WebsitesModule],
  controllers: [ShieldsController],
  providers: [ShieldsRepository, ShieldsService, ShieldFilter],
  exports: [ShieldFilter],
})
export class ShieldsModule {}
