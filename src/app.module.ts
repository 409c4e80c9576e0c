import { DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuthModule } from './auth/auth.module';
import { CollectModule } from './collect/collect.module';
import { RateLimitModule } from './common/rate-limit/rate-limit.module';
import { RateLimitStore } from './common/rate-limit/rate-limit.store';
import { RateLimitThrottlerStorage } from './common/rate-limit/throttler-storage';
import { ClusterModule } from './cluster/cluster.module';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventsQueryModule } from './events-query/events-query.module';
import { PlausibleQueryModule } from './plausible-query/plausible-query.module';
import { GoalsModule } from './goals/goals.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { PrivacyModule } from './privacy/privacy.module';
import { SharedLinksModule } from './shared-links/shared-links.module';
import { ShieldsModule } from './shields/shields.module';
import { TrackerModule } from './tracker/tracker.module';
import { WebsitesModule } from './websites/websites.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        ClusterModule,
        RateLimitModule,
        // Request-rate limits on account routes (signup), counted in the same store as the
        // ingestion limits (which use RateLimiter directly).
        ThrottlerModule.forRootAsync({
          inject: [RateLimitStore],
          useFactory: (store: RateLimitStore) => ({ throttlers: [{ name: 'default', ttl: 60_000, limit: 60 }], storage: new RateLimitThrottlerStorage(store) }),
        }),
        HealthModule,
        AuthModule,
        WebsitesModule,
        ApiKeysModule,
        GoalsModule,
        SharedLinksModule,
        ShieldsModule,
        CollectModule,
        EventsQueryModule,
        PlausibleQueryModule,
        MetricsModule,
        PrivacyModule,
        TrackerModule,
      ],
    };
  }
}
