import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './config';
import { GEOIP_DB_PATH } from '../enrichment/enrichment.module';

/** Injection token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: GEOIP_DB_PATH, useValue: config.geoipDbPath },
      ],
      exports: [APP_CONFIG, GEOIP_DB_PATH],
    };
  }
}
