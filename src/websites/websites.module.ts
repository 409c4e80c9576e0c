import { Module } from '@nestjs/common';
import { WebsitesController } from './websites.controller';
import { WebsitesRepository } from './websites.repository';
import { WebsitesService } from './websites.service';

@Module({
  controllers: [WebsitesController],
  providers: [WebsitesRepository, WebsitesService],
  exports: [WebsitesRepository, WebsitesService],
})
export class WebsitesModule {}
