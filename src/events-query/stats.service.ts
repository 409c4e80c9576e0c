import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { DateRangeQueryDto } from './dto/query-params.dto';
import { StatsResponseDto } from './dto/stats.dto';
import { EventsQueryRepository } from './events-query.repository';
import { previousPeriod } from './query/date-range';
import { headlineMetrics, relativeChange } from './query/results';
import { QueryScope } from './query-scope.service';

/** Headline metrics of a period compared with the period of equal length before it. */
@Injectable()
export class StatsService {
  constructor(
    private readonly scope: QueryScope,
    private readonly repo: EventsQueryRepository,
  ) {}

  async stats(p: Principal, websiteId: string, dto: DateRangeQueryDto, raw: Record<string, unknown>): Promise<StatsResponseDto> {
    const q = await this.scope.build(p, websiteId, dto, raw);
    const before = previousPeriod(q.range);
    const [current, previous] = await Promise.all([this.repo.periodTotals(q, q.range), this.repo.periodTotals(q, before)]);
    const now = headlineMetrics(current);
    const then = headlineMetrics(previous);
    const metric = (key: keyof typeof now) => ({ value: now[key], previous: then[key], change: relativeChange(now[key], then[key]) });
    return {
      pageviews: metric('pageviews'),
      visitors: metric('visitors'),
      sessions: metric('sessions'),
      bounce_rate: metric('bounce_rate'),
      avg_session_duration: metric('avg_session_duration'),
      views_per_session: metric('views_per_session'),
      period: { start: q.range.start.toISOString(), end: q.range.end.toISOString() },
      previous_period: { start: before.start.toISOString(), end: before.end.toISOString() },
    };
  }
}
