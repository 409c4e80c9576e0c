import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { TimeseriesQueryDto } from './dto/query-params.dto';
import { TimeseriesResponseDto } from './dto/stats.dto';
import { EventsQueryRepository } from './events-query.repository';
import { assertBucketCount } from './query/date-range';
import { bucketLabel } from './query/results';
import { QueryScope } from './query-scope.service';
import { VisitorSketch } from '../rollups/hll';
import { DaySummary } from '../rollups/rollups.repository';
import { DateRange, Granularity, Metric } from './query/query-types';
import { localDays } from './query/rollup-plan';
import { addDays } from '../analytics/zoned-time';
import { RollupReader } from './rollup-reader.service';

/** The local day a day/week/month bucket starts on: the day, its ISO week's Monday, its month's first. */
export function bucketDay(day: string, granularity: Exclude<Granularity, 'hour'>): string {
  if (granularity === 'day') return day;
  if (granularity === 'month') return `${day.slice(0, 8)}01`;
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(day, -weekday);
}

/** Day summaries into zero-filled buckets covering the local days of `range`. */
export function bucketDaySummaries(days: readonly DaySummary[], metric: Metric, granularity: Exclude<Granularity, 'hour'>, range: DateRange, timeZone: string) {
  const buckets = new Map<string, { value: number; sketch: VisitorSketch | null }>();
  const rangeDays = localDays(range, timeZone);
  const end = bucketDay(rangeDays[rangeDays.length - 1], granularity);
  for (let b = bucketDay(rangeDays[0], granularity); b <= end; b = bucketDay(addDays(b, granularity === 'day' ? 1 : granularity === 'week' ? 7 : 31), granularity)) {
    buckets.set(b, { value: 0, sketch: metric === 'visitors' ? new VisitorSketch() : null });
  }
  for (const d of days) {
    const bucket = buckets.get(bucketDay(d.day, granularity));
    if (!bucket) continue;
    if (bucket.sketch) bucket.sketch.addPacked(d.visitors);
    else bucket.value += metric === 'pageviews' ? d.pageviews : metric === 'events' ? d.events : d.sessions;
  }
  return [...buckets].map(([date, b]) => ({ date, value: b.sketch ? b.sketch.estimate() : b.value }));
}

/** One metric per bucket of the period, zero-filled, in the website's time zone. */
@Injectable()
export class TimeseriesService {
  constructor(
    private readonly scope: QueryScope,
    private readonly repo: EventsQueryRepository,
    private readonly rollups: RollupReader,
  ) {}

  async timeseries(p: Principal, websiteId: string, dto: TimeseriesQueryDto, raw: Record<string, unknown>): Promise<TimeseriesResponseDto> {
    const q = await this.scope.build(p, websiteId, dto, raw);
    const metric = dto.metric ?? 'pageviews';
    const granularity = dto.granularity ?? 'day';
    assertBucketCount(q.range, granularity);
    if (granularity !== 'hour') {
      const days = await this.rollups.daySummaries(q, q.range);
      if (days) return { metric, granularity, data: bucketDaySummaries(days, metric, granularity, q.range, q.timezone), estimated: true };
    }
    const rows = await this.repo.timeseries(q, metric, granularity);
    return { metric, granularity, data: rows.map((r) => ({ date: bucketLabel(r.bucket, r.local, granularity), value: r.value })) };
  }
}
