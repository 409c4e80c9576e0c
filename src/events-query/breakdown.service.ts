import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { BreakdownQueryDto } from './dto/query-params.dto';
import { BreakdownResponseDto } from './dto/stats.dto';
import { EventsQueryRepository } from './events-query.repository';
import { parseDimension } from './query/dimensions';
import { QueryScope } from './query-scope.service';

export const DEFAULT_BREAKDOWN_LIMIT = 10;

/** Top values of one dimension, paginated. */
@Injectable()
export class BreakdownService {
  constructor(
    private readonly scope: QueryScope,
    private readonly repo: EventsQueryRepository,
  ) {}

  async breakdown(p: Principal, websiteId: string, dimensionName: string, dto: BreakdownQueryDto, raw: Record<string, unknown>): Promise<BreakdownResponseDto> {
    const q = await this.scope.build(p, websiteId, dto, raw);
    const dimension = parseDimension(dimensionName);
    const limit = dto.limit ?? DEFAULT_BREAKDOWN_LIMIT;
    const page = dto.page ?? 1;
    return { data: await this.repo.breakdown(q, dimension, limit, (page - 1) * limit), page, limit };
  }
}
