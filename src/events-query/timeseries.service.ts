import { Injectable } from '@nestjs/common';
import { Metric, Query, TimeUnit } from '../analytics/query';
import { Principal } from '../auth/principal';
import { FilterParams } from './query/filters';
import { TimeseriesQueryDto } from './dto/query-params.dto';
import { TimeseriesResponseDto } from './dto/stats.dto';
import { QueryEngine } from './engine/query-engine.service';
import { assertBucketCount } from './query/date-range';
import { Metric as RestMetric } from './query/rest-params';
import { QueryBase, QueryScope, queryOf } from './query-scope.service';

/** The REST route's metric names to the engine's. */
const METRIC: Record<RestMetric, Metric> = { pageviews: 'pageviews', visitors: 'visitors', sessions: 'visits', events: 'custom_events' };

/** One metric per bucket of the period, every bucket present (zero when empty), in the website's time zone. */
export async function zeroFilledSeries(engine: QueryEngine, base: QueryBase, metric: Metric, unit: TimeUnit, rest: Partial<Query> = {}) {
  const { rows, timeLabels, estimated } = await engine.run(queryOf(base, [metric], { ...rest, dimensions: [{ kind: 'time', unit }], include: { totalRows: false, timeLabels: true } }));
  const values = new Map(rows.map((r) => [r.dimensions[0], r.metrics[metric]!]));
  return { points: (timeLabels ?? []).map((date) => ({ date, value: values.get(date) ?? 0 })), estimated };
}

@Injectable()
export class TimeseriesService {
  constructor(
    private readonly scope: QueryScope,
    private readonly engine: QueryEngine,
  ) {}

  async timeseries(p: Principal, websiteId: string, dto: TimeseriesQueryDto, filters: FilterParams): Promise<TimeseriesResponseDto> {
    const base = await this.scope.build(p, websiteId, dto, filters);
    const metric = dto.metric ?? 'pageviews';
    const granularity = dto.granularity ?? 'day';
    assertBucketCount(base.range, granularity);
    const { points, estimated } = await zeroFilledSeries(this.engine, base, METRIC[metric], granularity);
    return { metric, granularity, data: points, ...(estimated ? { estimated: true as const } : {}) };
  }
}
