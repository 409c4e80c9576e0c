import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { EventNamesResponseDto, EventPropertiesResponseDto, EventPropertyDto, EventTimeseriesResponseDto } from './dto/custom-events.dto';
import { EventNameQueryDto, EventTimeseriesQueryDto } from './dto/query-params.dto';
import { EventsQueryRepository } from './events-query.repository';
import { assertBucketCount } from './query/date-range';
import { requireEventName } from './query/event-name';
import { byText } from '../common/text-order';
import { bucketLabel } from './query/results';
import { QueryScope } from './query-scope.service';
import { RollupReader } from './rollup-reader.service';
import { bucketDaySummaries } from './timeseries.service';

const MAX_EVENT_NAMES = 1000;
const MAX_VALUES_PER_KEY = 100;

/**
 * Property pairs summed and ranked as the exact query does: keys by the events carrying them,
 * then name; per key its top values by count, then value.
 */
export function rankProperties(pairs: readonly { key: string; value: string; count: number }[], valuesPerKey: number): EventPropertyDto[] {
  const keys = new Map<string, Map<string, number>>();
  for (const p of pairs) {
    let values = keys.get(p.key);
    if (!values) keys.set(p.key, (values = new Map()));
    values.set(p.value, (values.get(p.value) ?? 0) + p.count);
  }
  return [...keys]
    .map(([key, values]) => ({ key, total: [...values.values()].reduce((a, b) => a + b, 0), values }))
    .sort((a, b) => b.total - a.total || byText(a.key, b.key))
    .map(({ key, values }) => ({
      property_key: key,
      values: [...values]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || byText(a.value, b.value))
        .slice(0, valuesPerKey),
    }));
}

/** Sparklytics' custom event queries: names, property breakdown, time series. */
@Injectable()
export class CustomEventsService {
  constructor(
    private readonly scope: QueryScope,
    private readonly repo: EventsQueryRepository,
    private readonly rollups: RollupReader,
  ) {}

  /** Counts of custom events are exact in rollups: large unfiltered ranges are read from them. */
  async names(p: Principal, websiteId: string, dto: EventNameQueryDto, raw: Record<string, unknown>): Promise<EventNamesResponseDto> {
    const q = await this.scope.build(p, websiteId, dto, raw);
    const parts = await this.rollups.valueSummaries(q, { kind: 'event', name: 'event_name' }, q.range);
    if (!parts) return { data: await this.repo.eventNames(q, MAX_EVENT_NAMES) };
    const counts = new Map<string, number>();
    for (const part of parts) if (part.value !== null) counts.set(part.value, (counts.get(part.value) ?? 0) + part.events);
    const data = [...counts].filter(([, count]) => count > 0).map(([event_name, count]) => ({ event_name, count }));
    data.sort((a, b) => b.count - a.count || byText(a.event_name, b.event_name));
    return { data: data.slice(0, MAX_EVENT_NAMES) };
  }

  async properties(p: Principal, websiteId: string, dto: EventNameQueryDto, raw: Record<string, unknown>): Promise<EventPropertiesResponseDto> {
    const q = await this.scope.build(p, websiteId, dto, raw);
    const eventName = requireEventName(dto.event_name);
    const pairs = await this.rollups.eventPropertyCounts(q, eventName, q.range);
    if (pairs) return { data: rankProperties(pairs, MAX_VALUES_PER_KEY) };
    const data: EventPropertyDto[] = [];
    for (const row of await this.repo.eventProperties(q, eventName, MAX_VALUES_PER_KEY)) {
      let entry = data[data.length - 1];
      if (entry?.property_key !== row.property_key) data.push((entry = { property_key: row.property_key, values: [] }));
      entry.values.push({ value: row.value, count: row.count });
    }
    return { data };
  }

  async timeseries(p: Principal, websiteId: string, dto: EventTimeseriesQueryDto, raw: Record<string, unknown>): Promise<EventTimeseriesResponseDto> {
    const q = await this.scope.build(p, websiteId, dto, raw);
    const eventName = requireEventName(dto.event_name);
    const granularity = dto.granularity ?? 'day';
    assertBucketCount(q.range, granularity);
    if (granularity !== 'hour') {
      const days = await this.rollups.valueDays(q, 'event_name', eventName, q.range);
      if (days) {
        const series = bucketDaySummaries(days, 'events', granularity, q.range, q.timezone).map((b) => ({ date: b.date, count: b.value }));
        return { data: { series, granularity } };
      }
    }
    const named = { ...q, filters: [...q.filters, { dimension: { kind: 'event', name: 'event_name' } as const, operator: 'is' as const, value: eventName }] };
    const rows = await this.repo.timeseries(named, 'events', granularity);
    return { data: { series: rows.map((r) => ({ date: bucketLabel(r.bucket, r.local, granularity), count: r.value })), granularity } };
  }
}
