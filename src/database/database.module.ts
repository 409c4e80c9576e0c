import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { QUERY_DATA_SOURCE } from './query-data-source';

/**
 * Two pg pools behind TypeORM DataSources; repositories inject one and run named SQL. The default
 * one serves ingestion, management and /health; query work (statistics, exports) has its own, so
 * however much of it runs, it never holds the connections the others need.
 */
/** A pg pool behind a TypeORM DataSource; migrations run apart (migrator), never through TypeORM. */
function dataSource(name: string | undefined, extra: (config: AppConfig) => Record<string, unknown>) {
  return TypeOrmModule.forRootAsync({
    name,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({
      type: 'postgres' as const,
      url: config.databaseUrl!,
      entities: [],
      synchronize: false,
      migrationsRun: false,
      retryAttempts: 5,
      retryDelay: 2000,
      extra: extra(config),
    }),
  });
}

@Module({
  imports: [
    dataSource(undefined, (config) => ({
      max: config.databasePoolSize,
      connectionTimeoutMillis: 5000,
      // A query that hangs (e.g. a lock) must not hold a request forever.
      statement_timeout: 30_000,
      application_name: 'footfall',
    })),
    dataSource(QUERY_DATA_SOURCE, (config) => ({
      // Queries are admitted one per connection (QueryGate); exports have slots of their own.
      max: queryPoolConnections(config),
      connectionTimeoutMillis: config.query.timeoutMs,
      // The time budget of every query statement: past it Postgres cancels it (503, not 500).
      statement_timeout: config.query.timeoutMs,
      application_name: 'footfall-query',
    })),
  ],
})
export class DatabaseModule {}

/** Connections of the query pool: one per admitted query, one per running export. */
export function queryPoolConnections(config: AppConfig): number {
  return config.query.poolSize + config.query.exportConcurrency;
}
