import { Injectable } from '@nestjs/common';
import { Dimension, FilterNode } from '../analytics/query';
import { Principal } from '../auth/principal';
import { FilterParams } from './query/filters';
import { RealtimeResponseDto } from './dto/stats.dto';
import { PAGEVIEWS } from './engine/conditions';
import { QueryEngine } from './engine/query-engine.service';
import { QueryBase, QueryScope, queryOf, withConditions } from './query-scope.service';

export const REALTIME_WINDOW_MS = 5 * 60_000;
/** Ingestion accepts timestamps up to 5 minutes ahead of the server clock; they count as now. */
const FUTURE_SKEW_MS = 5 * 60_000;
const TOP = 10;

/** Who is on the site right now: the last 5 minutes. */
@Injectable()
export class RealtimeService {
  constructor(
    private readonly scope: QueryScope,
    private readonly engine: QueryEngine,
  ) {}

  /** The top values of a dimension by visitors. */
  private async top(base: QueryBase, dimension: Dimension, ...only: FilterNode[]) {
    const { rows } = await this.engine.run(
      queryOf(base, ['visitors'], { filter: withConditions(base, ...only), dimensions: [dimension], orderBy: [{ key: { metric: 'visitors' }, direction: 'desc' }], limit: TOP }),
    );
    return rows.map((r) => ({ value: r.dimensions[0], visitors: r.metrics.visitors! }));
  }

  async realtime(p: Principal, websiteId: string, filters: FilterParams, now = new Date()): Promise<RealtimeResponseDto> {
    const range = { start: new Date(now.getTime() - REALTIME_WINDOW_MS), end: new Date(now.getTime() + FUTURE_SKEW_MS) };
    const base = await this.scope.buildFor(p, websiteId, range, filters);
    const [total, pages, sources] = await Promise.all([
      this.engine.run(queryOf(base, ['visitors'])),
      this.top(base, { kind: 'event', name: 'page' }, PAGEVIEWS),
      // Where the visits active now came from (the visit's referrer domain; null is direct).
      this.top(base, { kind: 'visit', name: 'source' }),
    ]);
    return { visitors: total.rows[0].metrics.visitors!, pages, sources };
  }
}
