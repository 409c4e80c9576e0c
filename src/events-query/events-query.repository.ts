import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { QUERY_DATA_SOURCE } from '../database/query-data-source';
import { DateRange, Dimension, EventsQuery, FunnelStep, Granularity, Metric } from './query/query-types';
import { PeriodTotals } from './query/results';
import {
  breakdownSql,
  daySummariesSql,
  eventNamesSql,
  eventPropertyCountsSql,
  eventPropertiesSql,
  funnelSql,
  statsSql,
  timeseriesSql,
  topPagesSql,
  topSourcesSql,
  valueSketchesSql,
  visitorsSql,
} from './query/statements';
import { DaySummary, toDaySummary, toValueSummary, ValueSummary } from '../rollups/rollups.repository';
import { Sql } from './query/sql';

/** Counts arrive from Postgres as bigint strings. */
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export interface BreakdownRow {
  value: string | null;
  visitors: number;
  sessions: number;
  pageviews: number;
  events: number;
}

export interface ValueVisitors {
  value: string | null;
  visitors: number;
}

/** The query API's only access to the raw events (on the query pool): one named method per statement of query/statements.ts. */
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
  private run<T = Record<string, unknown>>(sql: Sql): Promise<T[]> {
    return this.db.transaction(async (tx) => {
      await tx.query(this.workMem);
      return tx.query(sql.text, sql.values);
    });
  }

  async eventNames(q: EventsQuery, limit: number): Promise<{ event_name: string; count: number }[]> {
    const rows = await this.run<{ event_name: string; count: string }>(eventNamesSql(q, limit));
    return rows.map((r) => ({ event_name: r.event_name, count: num(r.count) }));
  }

  async eventProperties(q: EventsQuery, eventName: string, valuesPerKey: number): Promise<{ property_key: string; value: string; count: number }[]> {
    const rows = await this.run<{ property_key: string; value: string; count: string }>(eventPropertiesSql(q, eventName, valuesPerKey));
    return rows.map((r) => ({ property_key: r.property_key, value: r.value, count: num(r.count) }));
  }

  /** Every (key, value, count) of one custom event's properties. */
  async eventPropertyCounts(q: EventsQuery, eventName: string): Promise<{ key: string; value: string; count: number }[]> {
    const rows = await this.run<{ key: string; value: string; count: string }>(eventPropertyCountsSql(q, eventName));
    return rows.map((r) => ({ key: r.key, value: r.value, count: num(r.count) }));
  }

  async periodTotals(q: EventsQuery, range: DateRange): Promise<PeriodTotals> {
    const [r] = await this.run(statsSql(q, range));
    return {
      pageviews: num(r.pageviews),
      visitors: num(r.visitors),
      sessions: num(r.sessions),
      knownSessions: num(r.known_sessions),
      bounces: num(r.bounces),
      durationSeconds: num(r.duration_seconds),
    };
  }

  async breakdown(q: EventsQuery, dimension: Dimension, limit: number, offset: number): Promise<BreakdownRow[]> {
    const rows = await this.run(breakdownSql(q, dimension, limit, offset));
    return rows.map((r) => ({
      value: (r.value as string | null) ?? null,
      visitors: num(r.visitors),
      sessions: num(r.sessions),
      pageviews: num(r.pageviews),
      events: num(r.events),
    }));
  }

  async timeseries(q: EventsQuery, metric: Metric, granularity: Granularity): Promise<{ bucket: Date; local: string; value: number }[]> {
    const rows = await this.run<{ bucket: Date; local: string; value: string }>(timeseriesSql(q, metric, granularity));
    return rows.map((r) => ({ bucket: r.bucket, local: r.local, value: num(r.value) }));
  }

  async visitors(q: EventsQuery): Promise<number> {
    const [r] = await this.run(visitorsSql(q));
    return num(r.visitors);
  }

  async topPages(q: EventsQuery, limit: number): Promise<ValueVisitors[]> {
    return (await this.run(topPagesSql(q, limit))).map((r) => ({ value: (r.value as string | null) ?? null, visitors: num(r.visitors) }));
  }

  async topSources(q: EventsQuery, limit: number): Promise<ValueVisitors[]> {
    return (await this.run(topSourcesSql(q, limit))).map((r) => ({ value: (r.value as string | null) ?? null, visitors: num(r.visitors) }));
  }

  /** Per local day: totals and a visitors sketch (the raw side of rollup-answered queries). */
  async daySummaries(q: EventsQuery): Promise<DaySummary[]> {
    return (await this.run(daySummariesSql(q))).map(toDaySummary);
  }

  /** Per value of an event-level dimension or property: totals and a visitors sketch (at most maxRows values). */
  async valueSketches(q: EventsQuery, dimension: Exclude<Dimension, { kind: 'session' }>, maxRows: number): Promise<ValueSummary[]> {
    return (await this.run(valueSketchesSql(q, dimension, maxRows))).map(toValueSummary);
  }

  /** Visitors reaching each step, in step order. */
  async funnel(q: EventsQuery, steps: readonly FunnelStep[], windowMinutes: number | null): Promise<number[]> {
    const [r] = await this.run(funnelSql(q, steps, windowMinutes));
    return steps.map((_, i) => num(r[`step${i + 1}`]));
  }
}
