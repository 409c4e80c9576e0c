import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { MemoryRateLimitStore, RateLimitStore } from './rate-limit.store';
import { RateLimiter } from './rate-limiter';
import { RedisRateLimitStore } from './redis-rate-limit.store';
import { IpcEndpoint } from '../../cluster/ipc-endpoint';
import { PRIMARY_LINK } from '../../cluster/primary-link';
import { PrimaryRateLimitStore } from './primary-rate-limit.store';

@Global()
@Module({
  providers: [
    {
      provide: RateLimitStore,
      inject: [APP_CONFIG, PRIMARY_LINK],
      // Redis is shared by instances; a cluster worker's counts are kept by its primary.
      useFactory: (config: AppConfig, primary: IpcEndpoint | null) =>
        config.redisUrl ? new RedisRateLimitStore(config.redisUrl) : primary ? new PrimaryRateLimitStore(primary) : new MemoryRateLimitStore(),
    },
    RateLimiter,
  ],
  exports: [RateLimitStore, RateLimiter],
})
export class RateLimitModule implements OnApplicationShutdown {
  constructor(@Inject(RateLimitStore) private readonly store: RateLimitStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
