import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { BreakdownQueryDto } from './dto/query-params.dto';
import { BreakdownResponseDto } from './dto/stats.dto';
import { EventsQueryRepository } from './events-query.repository';
import { parseDimension } from './query/dimensions';
import { QueryScope } from './query-scope.service';
import { VisitorSketch } from '../rollups/hll';
import { byText } from '../common/text-order';
import { ValueSummary } from '../rollups/rollups.repository';
import { BreakdownRow } from './events-query.repository';
import { RollupReader } from './rollup-reader.service';

/** Rows of the same value (rolled-up days and raw parts) summed; visitors estimated from their merged sketches. */
export function mergeValueSummaries(parts: readonly ValueSummary[]): BreakdownRow[] {
  const byValue = new Map<string | null, { row: BreakdownRow; sketch: VisitorSketch }>();
  for (const p of parts) {
    let m = byValue.get(p.value);
    if (!m) byValue.set(p.value, (m = { row: { value: p.value, visitors: 0, sessions: 0, pageviews: 0, events: 0 }, sketch: new VisitorSketch() }));
    m.row.sessions += p.sessions;
    m.row.pageviews += p.pageviews;
    m.row.events += p.events;
    m.sketch.addPacked(p.visitors);
  }
  const rows = [...byValue.values()].map(({ row, sketch }) => ({ ...row, visitors: sketch.estimate() }));
  // The order of the exact query: visitors, pageviews, events descending, then value (nulls last).
  return rows.sort(
    (a, b) =>
      b.visitors - a.visitors ||
      b.pageviews - a.pageviews ||
      b.events - a.events ||
      (a.value === null ? (b.value === null ? 0 : 1) : b.value === null ? -1 : byText(a.value, b.value)),
  );
}

export const DEFAULT_BREAKDOWN_LIMIT = 10;

/** Top values of one dimension, paginated. */
@Injectable()
export class BreakdownService {
  constructor(
    private readonly scope: QueryScope,
    private readonly repo: EventsQueryRepository,
    private readonly rollups: RollupReader,
  ) {}

  async breakdown(p: Principal, websiteId: string, dimensionName: string, dto: BreakdownQueryDto, raw: Record<string, unknown>): Promise<BreakdownResponseDto> {
    const q = await this.scope.build(p, websiteId, dto, raw);
    const dimension = parseDimension(dimensionName);
    const limit = dto.limit ?? DEFAULT_BREAKDOWN_LIMIT;
    const page = dto.page ?? 1;
    const offset = (page - 1) * limit;
    const parts = dimension.kind === 'session' ? null : await this.rollups.valueSummaries(q, dimension, q.range);
    if (parts) return { data: mergeValueSummaries(parts).slice(offset, offset + limit), page, limit, estimated: true };
    return { data: await this.repo.breakdown(q, dimension, limit, offset), page, limit };
  }
}
