import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DaySummary, toDaySummary, toValueSummary, ValueSummary } from '../analytics/day-summary';
import { compile, NamedSql } from '../analytics/sql';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { QUERY_DATA_SOURCE } from '../database/query-data-source';

/** Counts arrive from Postgres as bigint strings. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/**
 * The query engine's only access to the raw events, on the query pool. The statements come from
 * the engine's builders (engine/*-sql.ts, rendered in queries/*.sql); this runs and maps them.
 */
@Injectable()
export class EventsQueryRepository {
  private readonly workMem: string;

  constructor(
    @InjectDataSource(QUERY_DATA_SOURCE) private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.workMem = `SET LOCAL work_mem = '${config.queryWorkMemMb}MB'`;
  }

  /** Runs a statement with the configured work_mem (Postgres' default 4 MB sends large sorts to disk). */
  rows<T = Record<string, unknown>>(sql: NamedSql): Promise<T[]> {
    const { text, values } = compile(sql);
    return this.db.transaction(async (tx) => {
      await tx.query(this.workMem);
      return tx.query(text, values);
    });
  }

  async daySummaries(sql: NamedSql): Promise<DaySummary[]> {
    return (await this.rows(sql)).map(toDaySummary);
  }

  async valueSketches(sql: NamedSql): Promise<ValueSummary[]> {
    return (await this.rows(sql)).map(toValueSummary);
  }

  async propertyCounts(sql: NamedSql): Promise<{ key: string; value: string; count: number }[]> {
    return (await this.rows<{ key: string; value: string; count: string }>(sql)).map((r) => ({ key: r.key, value: r.value, count: num(r.count) }));
  }
}
