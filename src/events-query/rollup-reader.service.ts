import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { DaySummary, RollupDimension, RollupsRepository, ValueSummary } from '../rollups/rollups.repository';
import { EventsQueryRepository } from './events-query.repository';
import { localDays, planRollup, RollupPlan, rollupsWorthIt } from './query/rollup-plan';
import { DateRange, Dimension, EventDimensionName, EventsQuery, PROP_PREFIX } from './query/query-types';

/**
 * Most values whose rolled-up sketches a query merges in memory (4 KB each while merging): beyond,
 * the exact query orders and limits in SQL, and the process's memory per query stays bounded.
 */
export const MAX_MERGED_VALUES = 2000;

/** The rollup_values dimension of an event-level dimension or event property. */
function rollupDimension(d: Exclude<Dimension, { kind: 'session' }>): RollupDimension {
  return d.kind === 'prop' ? `${PROP_PREFIX}${d.key}` : d.name;
}

/**
 * Answers unfiltered queries over large ranges from the daily rollups plus the raw events of the
 * parts no rollup covers (range edges, the running day). Returns null when a query must be
 * counted exactly from raw events instead: filters, too few rolled-up events, too much raw.
 */
@Injectable()
export class RollupReader {
  constructor(
    private readonly rollups: RollupsRepository,
    private readonly raw: EventsQueryRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `propKey`: a property the answer needs (true: any property); days that could not roll it up
   * leave the query to raw events.
   */
  private async plan(q: EventsQuery, range: DateRange, withSketches: boolean, propKey?: string | true) {
    // Rollups hold no combination of dimensions: any filter is counted from raw events.
    if (q.filters.length) return null;
    const days = localDays(range, q.timezone);
    const stored = await this.rollups.days(q.websiteId, q.timezone, days[0], days[days.length - 1], withSketches);
    const byDay = new Map(stored.map((d) => [d.day, d]));
    const plan = planRollup(range, q.timezone, byDay);
    const unrolled = (d: string) => byDay.get(d)!.unrolledPropKeys;
    if (propKey !== undefined && plan.days.some((d) => (propKey === true ? unrolled(d).length > 0 : unrolled(d).includes(propKey)))) return null;
    return rollupsWorthIt(plan, this.config.rollups.minEvents) ? { plan, byDay } : null;
  }

  private rawParts<T>(q: EventsQuery, plan: RollupPlan, read: (part: EventsQuery) => Promise<T[]>): Promise<T[][]> {
    return Promise.all(plan.raw.map((range) => read({ ...q, range })));
  }

  /** Per local day of the range: totals and a visitors sketch (a day may appear more than once). */
  async daySummaries(q: EventsQuery, range: DateRange): Promise<DaySummary[] | null> {
    const planned = await this.plan(q, range, true);
    if (!planned) return null;
    const { plan, byDay } = planned;
    const raw = await this.rawParts(q, plan, (part) => this.raw.daySummaries(part));
    return [...plan.days.map((d) => byDay.get(d)!), ...raw.flat()];
  }

  /** One value of an event-level dimension, per local day (a day may appear more than once). */
  async valueDays(q: EventsQuery, dimension: EventDimensionName, value: string, range: DateRange): Promise<DaySummary[] | null> {
    const planned = await this.plan(q, range, false);
    if (!planned) return null;
    const { plan } = planned;
    const only: EventsQuery = { ...q, filters: [{ dimension: { kind: 'event', name: dimension }, operator: 'is', value }] };
    const [stored, raw] = await Promise.all([
      this.rollups.valueDays(q.websiteId, dimension, value, plan.days),
      this.rawParts(only, plan, (part) => this.raw.daySummaries(part)),
    ]);
    return [...stored, ...raw.flat()];
  }

  /**
   * Per value of an event-level dimension or property: totals and a visitors sketch (a value may
   * appear more than once). Null, too, when the range holds more than MAX_MERGED_VALUES values:
   * ordering them needs every value's sketch merged in memory, so the exact query orders and
   * limits them in SQL instead.
   */
  async valueSummaries(q: EventsQuery, dimension: Exclude<Dimension, { kind: 'session' }>, range: DateRange): Promise<ValueSummary[] | null> {
    const planned = await this.plan(q, range, false, dimension.kind === 'prop' ? dimension.key : undefined);
    if (!planned) return null;
    const { plan } = planned;
    const over = MAX_MERGED_VALUES + 1;
    const [stored, raw] = await Promise.all([
      this.rollups.values(q.websiteId, rollupDimension(dimension), plan.days, over),
      this.rawParts(q, plan, (part) => this.raw.valueSketches(part, dimension, over)),
    ]);
    const parts = [...stored, ...raw.flat()];
    if (stored.length > MAX_MERGED_VALUES || raw.some((r) => r.length > MAX_MERGED_VALUES)) return null;
    if (parts.length > MAX_MERGED_VALUES && new Set(parts.map((v) => v.value)).size > MAX_MERGED_VALUES) return null;
    return parts;
  }

  /** Every (key, value, count) of one custom event's properties (a pair may appear more than once). */
  async eventPropertyCounts(q: EventsQuery, eventName: string, range: DateRange): Promise<{ key: string; value: string; count: number }[] | null> {
    const planned = await this.plan(q, range, false, true);
    if (!planned) return null;
    const { plan } = planned;
    const [stored, raw] = await Promise.all([
      this.rollups.eventPropertyCounts(q.websiteId, eventName, plan.days),
      this.rawParts(q, plan, (part) => this.raw.eventPropertyCounts(part, eventName)),
    ]);
    return [...stored, ...raw.flat()];
  }
}
