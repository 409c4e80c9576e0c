import { Module } from '@nestjs/common';
import { WebsitesModule } from '../websites/websites.module';
import { GoalsController } from './goals.controller';
import { GoalsRepository } from './goals.repository';
import { GoalsService } from './goals.service';

/** Per-website goals (custom events and page paths that count as conversions). */
@Module({
  imports: [WebsitesModule],
  controllers: [GoalsController],
  providers: [GoalsRepository, GoalsService],
  exports: [GoalsService],
})
export class GoalsModule {}
