import { Module } from '@nestjs/common';
import { WebsitesController } from './websites.controller';
import { WebsitesRepository } from './websites.repository';
import { WebsitesService } from './websites.service';
import { TimeZones } from './time-zones';

@Module({
  controllers: [WebsitesController],
  providers: [WebsitesRepository, WebsitesService, TimeZones],
  exports: [WebsitesRepository, WebsitesService, TimeZones],
})
export class WebsitesModule {}
