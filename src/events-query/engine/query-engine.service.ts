import { Injectable } from '@nestjs/common';
import { Query, QueryResult, ResultRow, TimeUnit } from '../../analytics/query';
import { QueryError } from '../../analytics/query-error';
import { bucketsIn, MAX_TIME_BUCKETS } from '../../analytics/zoned-time';
import { EventsQueryRepository, num } from '../events-query.repository';
import { bucketLabel } from '../query/results';
import { finish, mergeDays, mergeValues, PropertyValues, rankProperties } from './merge';
import { planQuery } from './plan';
import { querySql, timeBucketsSql } from './query-sql';
import { eventPropertiesSql, firstEventSql, funnelSql, FunnelStep, ReportScope } from './report-sql';
import { RollupSource } from './rollup-source.service';


/** Refuses what no dialect should send: ranges with thousands of buckets. */
export function checkQuery(q: Query): void {
  for (const d of q.dimensions) {
    if (d.kind !== 'time') continue;
    const buckets = bucketsIn(q.range, d.unit);
    if (buckets > MAX_TIME_BUCKETS) {
      throw new QueryError(`A ${d.unit} time dimension would give about ${buckets} buckets for this range (at most ${MAX_TIME_BUCKETS}); choose a coarser unit or a shorter range`);
    }
  }
}

/**
 * The query engine's runner: plans a canonical query, reads it from rollups (merged in memory)
 * or from raw events (grouped, ordered and paged in SQL), and adds the time labels when asked.
 */
@Injectable()
export class QueryEngine {
  constructor(
    private readonly repo: EventsQueryRepository,
    private readonly rollups: RollupSource,
  ) {}

  async run(q: Query): Promise<QueryResult> {
    checkQuery(q);
    const time = q.dimensions.findIndex((d) => d.kind === 'time');
    const [result, timeLabels] = await Promise.all([this.rows(q), q.include.timeLabels && time >= 0 ? this.timeLabels(q, time) : undefined]);
    return timeLabels ? { ...result, timeLabels } : result;
  }

  /** The instant of a website's first event, null when it has none. */
  async firstEvent(websiteId: string): Promise<Date | null> {
    const [r] = await this.repo.rows<{ first: Date | null }>(firstEventSql(websiteId));
    return r?.first ?? null;
  }

  /** Visitors reaching each step of a funnel, in step order. */
  async funnel(scope: ReportScope, steps: readonly FunnelStep[], windowMinutes: number | null): Promise<number[]> {
    const [r] = await this.repo.rows(funnelSql(scope, steps, windowMinutes));
    return steps.map((_, i) => num(r[`step${i + 1}`]));
  }

  /** A custom event's properties with their top values: from rollups when unfiltered and rolled up, else raw. */
  async eventProperties(scope: ReportScope, eventName: string, valuesPerKey: number): Promise<PropertyValues[]> {
    const pairs = scope.filter ? null : await this.rollups.eventPropertyCounts(scope, eventName);
    if (pairs) return rankProperties(pairs, valuesPerKey);
    const out: PropertyValues[] = [];
    for (const row of await this.repo.rows<{ property_key: string; value: string; count: string }>(eventPropertiesSql(scope, eventName, valuesPerKey))) {
      let entry = out[out.length - 1];
      if (entry?.property_key !== row.property_key) out.push((entry = { property_key: row.property_key, values: [] }));
      entry.values.push({ value: row.value, count: num(row.count) });
    }
    return out;
  }

  private async rows(q: Query): Promise<QueryResult> {
    const plan = planQuery(q);
    if (plan.source === 'rollup_days') {
      const days = await this.rollups.days(q, plan.only);
      if (days) return { ...finish(mergeDays(days, q, plan.unit), q), estimated: true };
    } else if (plan.source === 'rollup_values') {
      const values = await this.rollups.values(q, plan.dimension);
      if (values) return { ...finish(mergeValues(plan.present ? values.filter((v) => v.value !== null) : values, q), q), estimated: true };
    }
    return this.raw(q);
  }

  private async raw(q: Query): Promise<QueryResult> {
    const records = await this.repo.rows(querySql(q));
    const rows: ResultRow[] = records.map((r) => ({
      dimensions: q.dimensions.map((d, i) => {
        const v = r[`d${i}`];
        if (d.kind === 'time') return bucketLabel(v as Date, String(r[`d${i}_local`]), d.unit);
        return v === null || v === undefined ? null : String(v);
      }),
      metrics: Object.fromEntries(q.metrics.map((m) => [m, num(r[`m_${m}`])])),
    }));
    if (!q.include.totalRows) return { rows, estimated: false };
    let totalRows = records.length ? num(records[0].total_rows) : 0;
    // An offset past the last row returns no row to read the count from.
    if (!records.length && q.offset > 0) {
      const [first] = await this.repo.rows(querySql({ ...q, offset: 0, limit: 1 }));
      totalRows = first ? num(first.total_rows) : 0;
    }
    return { rows, totalRows, estimated: false };
  }

  private async timeLabels(q: Query, index: number): Promise<string[]> {
    const d = q.dimensions[index];
    const unit = d.kind === 'time' ? d.unit : 'day';
    const rows = await this.repo.rows<{ bucket: Date; local: string }>(timeBucketsSql(q, unit));
    return rows.map((r) => bucketLabel(r.bucket, r.local, unit));
  }
}
