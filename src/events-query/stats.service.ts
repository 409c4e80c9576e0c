import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { DateRangeQueryDto } from './dto/query-params.dto';
import { StatsResponseDto } from './dto/stats.dto';
import { EventsQueryRepository } from './events-query.repository';
import { previousPeriod } from './query/date-range';
import { DateRange, EventsQuery } from './query/query-types';
import { headlineMetrics, PeriodTotals, relativeChange } from './query/results';
import { QueryScope } from './query-scope.service';
import { VisitorSketch } from '../rollups/hll';
import { RollupReader } from './rollup-reader.service';

/** Headline metrics of a period compared with the period of equal length before it. */
@Injectable()
export class StatsService {
  constructor(
    private readonly scope: QueryScope,
    private readonly repo: EventsQueryRepository,
    private readonly rollups: RollupReader,
  ) {}

  /** A period's totals: from rollups when they answer it (visitors then estimated), else exact. */
  private async totals(q: EventsQuery, range: DateRange): Promise<{ totals: PeriodTotals; estimated: boolean }> {
    const days = await this.rollups.daySummaries(q, range);
    if (!days) return { totals: await this.repo.periodTotals(q, range), estimated: false };
    const visitors = new VisitorSketch();
    const t: PeriodTotals = { pageviews: 0, visitors: 0, sessions: 0, knownSessions: 0, bounces: 0, durationSeconds: 0 };
    for (const d of days) {
      t.pageviews += d.pageviews;
      t.sessions += d.sessions;
      t.bounces += d.bounces;
      t.durationSeconds += d.durationSeconds;
      visitors.addPacked(d.visitors);
    }
    t.knownSessions = t.sessions;
    t.visitors = visitors.estimate();
    return { totals: t, estimated: true };
  }

  async stats(p: Principal, websiteId: string, dto: DateRangeQueryDto, raw: Record<string, unknown>): Promise<StatsResponseDto> {
    const q = await this.scope.build(p, websiteId, dto, raw);
    const before = previousPeriod(q.range, q.timezone);
    const [current, previous] = await Promise.all([this.totals(q, q.range), this.totals(q, before)]);
    const now = headlineMetrics(current.totals);
    const then = headlineMetrics(previous.totals);
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
      ...(current.estimated || previous.estimated ? { estimated: true as const } : {}),
    };
  }
}
