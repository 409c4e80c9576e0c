import { Module } from '@nestjs/common';
import { CollectModule } from '../collect/collect.module';
import { RollupsModule } from '../rollups/rollups.module';
import { ShieldsModule } from '../shields/shields.module';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';

@Module({
  imports: [CollectModule, RollupsModule, ShieldsModule],
  controllers: [MetricsController],
  providers: [HttpMetrics],
  exports: [HttpMetrics],
})
export class MetricsModule {}
