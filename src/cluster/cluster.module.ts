import { Global, Module } from '@nestjs/common';
import { Invalidations } from './invalidations';
import { InvalidationsRepository } from './invalidations.repository';
import { PRIMARY_LINK, primaryLink } from './primary-link';

/**
 * Provides PRIMARY_LINK: shared rate-limit counts and instance-wide metrics go through it in a
 * cluster worker; and Invalidations: changes to cached keys and websites, heard by every process.
 */
@Global()
@Module({
  providers: [{ provide: PRIMARY_LINK, useFactory: primaryLink }, Invalidations, InvalidationsRepository],
  exports: [PRIMARY_LINK, Invalidations],
})
export class ClusterModule {}
