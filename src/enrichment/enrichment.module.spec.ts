import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EnrichmentModule, GEOIP_DB_PATH } from './enrichment.module';
import { EnrichmentService } from './enrichment.service';
import { GeoLocator } from './geo-locator';

/** Stands in for the config module: global, and turns geolocation off. */
@Global()
@Module({ providers: [{ provide: GEOIP_DB_PATH, useValue: 'off' }], exports: [GEOIP_DB_PATH] })
class GeoOffModule {}

describe('EnrichmentModule', () => {
  it('wires the service with the bundled database when no path is provided', async () => {
    const saved = process.env.GEOIP_DB_PATH;
    delete process.env.GEOIP_DB_PATH;
    try {
      const moduleRef = await Test.createTestingModule({ imports: [EnrichmentModule] }).compile();
      expect(moduleRef.get(EnrichmentService)).toBeInstanceOf(EnrichmentService);
      expect(moduleRef.get(GeoLocator).enabled).toBe(true);
      await moduleRef.close();
    } finally {
      if (saved !== undefined) process.env.GEOIP_DB_PATH = saved;
    }
  });

  it('takes the path from a GEOIP_DB_PATH provider exported by a global module', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [GeoOffModule, EnrichmentModule] }).compile();
    expect(moduleRef.get(GeoLocator).enabled).toBe(false);
    await moduleRef.close();
  });
});
