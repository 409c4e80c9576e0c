import { Injectable } from '@nestjs/common';
import { Dimension, FilterNode, Metric } from '../analytics/query';
import { Principal } from '../auth/principal';
import { FilterParams } from './query/filters';
import { BreakdownQueryDto } from './dto/query-params.dto';
import { BreakdownResponseDto } from './dto/stats.dto';
import { QueryEngine } from './engine/query-engine.service';
import { CUSTOM_EVENTS } from './engine/conditions';
import { parseDimension } from './query/dimensions';
import { round } from './query/results';
import { QueryScope, queryOf, withConditions } from './query-scope.service';

export const DEFAULT_BREAKDOWN_LIMIT = 10;
const METRICS: readonly Metric[] = ['visitors', 'visits', 'pageviews', 'custom_events'];

/** What a breakdown of a dimension counts: event names describe custom events; a property, the events carrying it. */
export function breakdownScope(d: Dimension): FilterNode[] {
  if (d.kind === 'event' && d.name === 'event_name') return [CUSTOM_EVENTS];
  if (d.kind === 'prop') return [{ type: 'present', dimension: d }];
  return [];
}

/** Top values of one dimension, paginated. */
@Injectable()
export class BreakdownService {
  constructor(
    private readonly scope: QueryScope,
    private readonly engine: QueryEngine,
  ) {}

  async breakdown(p: Principal, websiteId: string, dimensionName: string, dto: BreakdownQueryDto, filters: FilterParams): Promise<BreakdownResponseDto> {
    const base = await this.scope.build(p, websiteId, dto, filters);
    const dimension = parseDimension(dimensionName);
    const goal = dimension.kind === 'goal';
    const limit = dto.limit ?? DEFAULT_BREAKDOWN_LIMIT;
    const page = dto.page ?? 1;
    const { rows, estimated } = await this.engine.run(
      queryOf(base, goal ? [...METRICS, 'conversion_rate'] : METRICS, {
        filter: withConditions(base, ...breakdownScope(dimension)),
        goals: goal ? await this.scope.goals(base.websiteId) : base.goals,
        dimensions: [dimension],
        orderBy: (['visitors', 'pageviews', 'custom_events'] as const).map((metric) => ({ key: { metric }, direction: 'desc' as const })),
        limit,
        offset: (page - 1) * limit,
      }),
    );
    const data = rows.map((r) => ({
      value: r.dimensions[0],
      visitors: r.metrics.visitors!,
      sessions: r.metrics.visits!,
      pageviews: r.metrics.pageviews!,
      events: r.metrics.custom_events!,
      ...(goal ? { conversion_rate: round(r.metrics.conversion_rate!, 4) } : {}),
    }));
    return { data, page, limit, ...(estimated ? { estimated: true as const } : {}) };
  }
}
