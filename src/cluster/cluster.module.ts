import { Global, Module } from '@nestjs/common';
import { PRIMARY_LINK, primaryLink } from './primary-link';

/** Provides PRIMARY_LINK: shared rate-limit counts and instance-wide metrics go through it in a cluster worker. */
@Global()
@Module({
  providers: [{ provide: PRIMARY_LINK, useFactory: primaryLink }],
  exports: [PRIMARY_LINK],
})
export class ClusterModule {}
