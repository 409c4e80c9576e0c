import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { EventNamesResponseDto, EventPropertiesResponseDto, EventPropertyDto, EventTimeseriesResponseDto } from './dto/custom-events.dto';
import { EventNameQueryDto, EventTimeseriesQueryDto } from './dto/query-params.dto';
import { EventsQueryRepository } from './events-query.repository';
import { assertBucketCount } from './query/date-range';
import { requireEventName } from './query/event-name';
import { bucketLabel } from './query/results';
import { QueryScope } from './query-scope.service';

const MAX_EVENT_NAMES = 1000;
const MAX_VALUES_PER_KEY = 100;

/** Sparklytics' custom event queries: names, property breakdown, time series. */
@Injectable()
export class CustomEventsService {
  constructor(
    private readonly scope: QueryScope,
    private readonly repo: EventsQueryRepository,
  ) {}

  async names(p: Principal, websiteId: string, dto: EventNameQueryDto, raw: Record<string, unknown>): Promise<EventNamesResponseDto> {
    const q = await this.scope.build(p, websiteId, dto, raw);
    return { data: await this.repo.eventNames(q, MAX_EVENT_NAMES) };
  }

  async properties(p: Principal, websiteId: string, dto: EventNameQueryDto, raw: Record<string, unknown>): Promise<EventPropertiesResponseDto> {
    const q = await this.scope.build(p, websiteId, dto, raw);
    const eventName = requireEventName(dto.event_name);
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
    const named = { ...q, filters: [...q.filters, { dimension: { kind: 'event', name: 'event_name' } as const, operator: 'is' as const, value: eventName }] };
    const rows = await this.repo.timeseries(named, 'events', granularity);
    return { data: { series: rows.map((r) => ({ date: bucketLabel(r.bucket, r.local, granularity), count: r.value })), granularity } };
  }
}
