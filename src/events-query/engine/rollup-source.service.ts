import { Inject, Injectable } from '@nestjs/common';
import { daySummariesSql, DaySummary, RollupDimension, ValueFilter, ValueSummary } from '../../analytics/day-summary';
import { DateRange, Query } from '../../analytics/query';
import { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { RollupsRepository } from '../../rollups/rollups.repository';
import { EventsQueryRepository } from '../events-query.repository';
import { localDays, planRollup, RollupPlan, rollupsWorthIt } from '../query/rollup-plan';
import { eventPropertyCountsSql, valueSketchesSql } from './report-sql';

/**
 * Most values whose rolled-up sketches a query merges in memory (4 KB each while merging): beyond,
 * the raw query orders and limits in SQL, and the process's memory per query stays bounded.
 */
export const MAX_MERGED_VALUES = 2000;

type Scope = Pick<Query, 'websiteId' | 'timezone' | 'range'>;

/**
 * Reads what the planner sent to rollups: the rolled-up days of the range plus the raw parts no
 * rollup covers (range edges, the running day), in the rollups' shape. Null when the range is not
 * rolled up enough to pay (too few rolled-up events, too many raw parts) or holds too many values.
 */
@Injectable()
export class RollupSource {
  constructor(
    private readonly rollups: RollupsRepository,
    private readonly raw: EventsQueryRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}


  /** `propKey`: a property the answer needs (true: any); days that could not roll it up leave the query to raw events. */
  private async plan(q: Scope, withSketches: boolean, propKey?: string | true) {
    const days = localDays(q.range, q.timezone);
    const stored = await this.rollups.days(q.websiteId, q.timezone, days[0], days[days.length - 1], withSketches);
    const byDay = new Map(stored.map((d) => [d.day, d]));
    const plan = planRollup(q.range, q.timezone, byDay);
    const unrolled = (d: string) => byDay.get(d)!.unrolledPropKeys;
    if (propKey !== undefined && plan.days.some((d) => (propKey === true ? unrolled(d).length > 0 : unrolled(d).includes(propKey)))) return null;
    return rollupsWorthIt(plan, this.config.rollups.minEvents) ? { plan, byDay } : null;
  }

  private rawParts<T>(plan: RollupPlan, read: (range: DateRange) => Promise<T[]>): Promise<T[][]> {
    return Promise.all(plan.raw.map(read));
  }

  /** Per local day: totals and a visitors sketch (of one value with `only`); a day may appear more than once. */
  async days(q: Scope, only: ValueFilter | null): Promise<DaySummary[] | null> {
    const planned = await this.plan(q, !only);
    if (!planned) return null;
    const { plan, byDay } = planned;
    const raw = this.rawParts(plan, (range) => this.raw.daySummaries(daySummariesSql(q.websiteId, q.timezone, range, only)));
    const stored = only ? this.rollups.valueDays(q.websiteId, only.field, only.value, plan.days) : Promise.resolve(plan.days.map((d) => byDay.get(d)!));
    const [s, r] = await Promise.all([stored, raw]);
    return [...s, ...r.flat()];
  }

  /** Per value of a rolled-up dimension: totals and a visitors sketch (a value may appear more than once). */
  async values(q: Scope, dimension: RollupDimension): Promise<ValueSummary[] | null> {
    const planned = await this.plan(q, false, dimension.startsWith('prop:') ? dimension.slice('prop:'.length) : undefined);
    if (!planned) return null;
    const { plan } = planned;
    const over = MAX_MERGED_VALUES + 1;
    const [stored, raw] = await Promise.all([
      this.rollups.values(q.websiteId, dimension, plan.days, over),
      this.rawParts(plan, (range) => this.raw.valueSketches(valueSketchesSql({ ...q, range }, dimension, over))),
    ]);
    if (stored.length > MAX_MERGED_VALUES || raw.some((r) => r.length > MAX_MERGED_VALUES)) return null;
    const parts = [...stored, ...raw.flat()];
    if (parts.length > MAX_MERGED_VALUES && new Set(parts.map((v) => v.value)).size > MAX_MERGED_VALUES) return null;
    return parts;
  }

  /** Every (key, value, count) of one custom event's properties (a pair may appear more than once). */
  async eventPropertyCounts(q: Scope, eventName: string): Promise<{ key: string; value: string; count: number }[] | null> {
    const planned = await this.plan(q, false, true);
    if (!planned) return null;
    const { plan } = planned;
    const [stored, raw] = await Promise.all([
      this.rollups.eventPropertyCounts(q.websiteId, eventName, plan.days),
      this.rawParts(plan, (range) => this.raw.propertyCounts(eventPropertyCountsSql({ ...q, range, filter: null, goals: [] }, eventName))),
    ]);
    return [...stored, ...raw.flat()];
  }
}
