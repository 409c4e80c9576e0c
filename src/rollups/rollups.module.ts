import { Module } from '@nestjs/common';
import { RollupJob } from './rollup-job.service';
import { RollupsRepository } from './rollups.repository';

/** Daily rollups: the job that maintains them and the repository queries read them through. */
@Module({
  providers: [RollupsRepository, RollupJob],
  exports: [RollupsRepository, RollupJob],
})
export class RollupsModule {}
