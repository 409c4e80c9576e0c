import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { FilterParams } from './query/filters';
import { FunnelQueryDto, FunnelResponseDto } from './dto/funnel.dto';
import { DateRangeQueryDto } from './dto/query-params.dto';
import { QueryEngine } from './engine/query-engine.service';
import { funnelConversions } from './query/results';
import { QueryScope } from './query-scope.service';

/** Ordered conversion funnels over one visitor's events. */
@Injectable()
export class FunnelsService {
  constructor(
    private readonly scope: QueryScope,
    private readonly engine: QueryEngine,
  ) {}

  async query(p: Principal, websiteId: string, body: FunnelQueryDto, dates: DateRangeQueryDto, filters: FilterParams): Promise<FunnelResponseDto> {
    const base = await this.scope.build(p, websiteId, dates, filters);
    const steps = body.steps.map((s) => ({ type: s.type, value: s.value }));
    const visitors = await this.engine.funnel({ ...base, goals: [] }, steps, body.window_minutes ?? null);
    return { steps: funnelConversions(visitors).map((c, i) => ({ ...steps[i], ...c })) };
  }
}
