import { Injectable } from '@nestjs/common';
import { Metric } from '../analytics/query';
import { Principal } from '../auth/principal';
import { FilterParams } from './query/filters';
import { DateRangeQueryDto } from './dto/query-params.dto';
import { StatsResponseDto } from './dto/stats.dto';
import { QueryEngine } from './engine/query-engine.service';
import { previousPeriod } from './query/date-range';
import { headlineMetrics, relativeChange } from './query/results';
import { QueryBase, QueryScope, queryOf } from './query-scope.service';

const HEADLINE: readonly Metric[] = ['pageviews', 'visitors', 'visits', 'bounce_rate', 'visit_duration', 'views_per_visit'];

/** Headline metrics of a period compared with the period of equal length before it. */
@Injectable()
export class StatsService {
  constructor(
    private readonly scope: QueryScope,
    private readonly engine: QueryEngine,
  ) {}

  /** A period's six headline metrics, rounded as the route documents them. */
  private async headline(base: QueryBase) {
    const { rows, estimated } = await this.engine.run(queryOf(base, HEADLINE));
    const values = headlineMetrics(rows[0].metrics);
    return { values, estimated };
  }

  async stats(p: Principal, websiteId: string, dto: DateRangeQueryDto, filters: FilterParams): Promise<StatsResponseDto> {
    const base = await this.scope.build(p, websiteId, dto, filters);
    const before = previousPeriod(base.range, base.timezone);
    const [current, previous] = await Promise.all([this.headline(base), this.headline({ ...base, range: before })]);
    const now = current.values;
    const then = previous.values;
    const metric = (key: keyof typeof now) => ({ value: now[key], previous: then[key], change: relativeChange(now[key], then[key]) });
    return {
      pageviews: metric('pageviews'),
      visitors: metric('visitors'),
      sessions: metric('sessions'),
      bounce_rate: metric('bounce_rate'),
      avg_session_duration: metric('avg_session_duration'),
      views_per_session: metric('views_per_session'),
      period: { start: base.range.start.toISOString(), end: base.range.end.toISOString() },
      previous_period: { start: before.start.toISOString(), end: before.end.toISOString() },
      ...(current.estimated || previous.estimated ? { estimated: true as const } : {}),
    };
  }
}
