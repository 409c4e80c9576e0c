import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { FilterParams } from './query/filters';
import { EventNamesResponseDto, EventPropertiesResponseDto, EventTimeseriesResponseDto } from './dto/custom-events.dto';
import { EventNameQueryDto, EventTimeseriesQueryDto } from './dto/query-params.dto';
import { CUSTOM_EVENTS, eventNamed } from './engine/conditions';
import { QueryEngine } from './engine/query-engine.service';
import { assertBucketCount } from './query/date-range';
import { requireEventName } from './query/event-name';
import { QueryScope, queryOf, withConditions } from './query-scope.service';
import { zeroFilledSeries } from './timeseries.service';

const MAX_EVENT_NAMES = 1000;
const MAX_VALUES_PER_KEY = 100;

/** Sparklytics' custom event queries: names, property breakdown, time series. */
@Injectable()
export class CustomEventsService {
  constructor(
    private readonly scope: QueryScope,
    private readonly engine: QueryEngine,
  ) {}

  async names(p: Principal, websiteId: string, dto: EventNameQueryDto, filters: FilterParams): Promise<EventNamesResponseDto> {
    const base = await this.scope.build(p, websiteId, dto, filters);
    const { rows } = await this.engine.run(
      queryOf(base, ['custom_events'], {
        filter: withConditions(base, CUSTOM_EVENTS, { type: 'present', dimension: { kind: 'event', name: 'event_name' } }),
        dimensions: [{ kind: 'event', name: 'event_name' }],
        orderBy: [{ key: { metric: 'custom_events' }, direction: 'desc' }],
        limit: MAX_EVENT_NAMES,
      }),
    );
    return { data: rows.filter((r) => r.metrics.custom_events! > 0).map((r) => ({ event_name: r.dimensions[0]!, count: r.metrics.custom_events! })) };
  }

  async properties(p: Principal, websiteId: string, dto: EventNameQueryDto, filters: FilterParams): Promise<EventPropertiesResponseDto> {
    const base = await this.scope.build(p, websiteId, dto, filters);
    const eventName = requireEventName(dto.event_name);
    return { data: await this.engine.eventProperties({ ...base, goals: [] }, eventName, MAX_VALUES_PER_KEY) };
  }

  async timeseries(p: Principal, websiteId: string, dto: EventTimeseriesQueryDto, filters: FilterParams): Promise<EventTimeseriesResponseDto> {
    const base = await this.scope.build(p, websiteId, dto, filters);
    const eventName = requireEventName(dto.event_name);
    const granularity = dto.granularity ?? 'day';
    assertBucketCount(base.range, granularity);
    const { points } = await zeroFilledSeries(this.engine, base, 'custom_events', granularity, { filter: withConditions(base, CUSTOM_EVENTS, eventNamed(eventName)) });
    return { data: { series: points.map((b) => ({ date: b.date, count: b.value })), granularity } };
  }
}
