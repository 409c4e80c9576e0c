import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';

/** One pg pool behind TypeORM's DataSource; repositories inject DataSource and run named SQL. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        type: 'postgres' as const,
        url: config.databaseUrl!,
        entities: [],
        synchronize: false,
        migrationsRun: false,
        retryAttempts: 5,
        retryDelay: 2000,
        extra: {
          max: config.databasePoolSize,
          connectionTimeoutMillis: 5000,
          // A query that hangs (e.g. a lock) must not hold a request forever.
          statement_timeout: 30_000,
          application_name: 'footfall',
        },
      }),
    }),
  ],
})
export class DatabaseModule {}
