import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { TimeseriesQueryDto } from './dto/query-params.dto';
import { TimeseriesResponseDto } from './dto/stats.dto';
import { EventsQueryRepository } from './events-query.repository';
import { assertBucketCount } from './query/date-range';
import { bucketLabel } from './query/results';
import { QueryScope } from './query-scope.service';

/** One metric per bucket of the period, zero-filled, in the website's time zone. */
@Injectable()
export class TimeseriesService {
  constructor(
    private readonly scope: QueryScope,
    private readonly repo: EventsQueryRepository,
  ) {}

  async timeseries(p: Principal, websiteId: string, dto: TimeseriesQueryDto, raw: Record<string, unknown>): Promise<TimeseriesResponseDto> {
    const q = await this.scope.build(p, websiteId, dto, raw);
    const metric = dto.metric ?? 'pageviews';
    const granularity = dto.granularity ?? 'day';
    assertBucketCount(q.range, granularity);
    const rows = await this.repo.timeseries(q, metric, granularity);
    return { metric, granularity, data: rows.map((r) => ({ date: bucketLabel(r.bucket, r.local, granularity), value: r.value })) };
  }
}
