import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { RealtimeResponseDto } from './dto/stats.dto';
import { EventsQueryRepository } from './events-query.repository';
import { QueryScope } from './query-scope.service';

export const REALTIME_WINDOW_MS = 5 * 60_000;
/** Ingestion accepts timestamps up to 5 minutes ahead of the server clock; they count as now. */
const FUTURE_SKEW_MS = 5 * 60_000;
const TOP = 10;

/** Who is on the site right now: the last 5 minutes. */
@Injectable()
export class RealtimeService {
  constructor(
    private readonly scope: QueryScope,
    private readonly repo: EventsQueryRepository,
  ) {}

  async realtime(p: Principal, websiteId: string, raw: Record<string, unknown>, now = new Date()): Promise<RealtimeResponseDto> {
    const range = { start: new Date(now.getTime() - REALTIME_WINDOW_MS), end: new Date(now.getTime() + FUTURE_SKEW_MS) };
    const q = await this.scope.buildFor(p, websiteId, range, raw);
    const [visitors, pages, sources] = await Promise.all([this.repo.visitors(q), this.repo.topPages(q, TOP), this.repo.topSources(q, TOP)]);
    return { visitors, pages, sources };
  }
}
