import { Logger, Module } from '@nestjs/common';
import { EnrichmentService } from './enrichment.service';
import { GeoLocator } from './geo-locator';
import { PageParser } from './page-parser';
import { UserAgentParser } from './user-agent-parser';
import { VisitorHasher } from './visitor-hasher';

/**
 * Injection token for the GeoIP database path (string | null | undefined). Null, undefined or ''
 * means the bundled DB-IP Country Lite database; 'off' disables geolocation. When no provider
 * exists, process.env.GEOIP_DB_PATH is used.
 */
export const GEOIP_DB_PATH = Symbol('GEOIP_DB_PATH');

@Module({
  providers: [
    UserAgentParser,
    PageParser,
    VisitorHasher,
    {
      provide: GeoLocator,
      // The database is read once, synchronously, when the application starts.
      useFactory: (configuredPath?: string | null): GeoLocator =>
        GeoLocator.open(configuredPath === undefined ? process.env.GEOIP_DB_PATH : configuredPath, new Logger(GeoLocator.name)),
      inject: [{ token: GEOIP_DB_PATH, optional: true }],
    },
    EnrichmentService,
  ],
  exports: [EnrichmentService, UserAgentParser, PageParser, VisitorHasher, GeoLocator],
})
export class EnrichmentModule {}
