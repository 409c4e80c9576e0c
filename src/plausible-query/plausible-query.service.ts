import { Injectable } from '@nestjs/common';
import { goalDefinition } from '../analytics/goal-pattern';
import { dayOf } from '../analytics/zoned-time';
import { Principal } from '../auth/principal';
import { QueryEngine } from '../events-query/engine/query-engine.service';
import { QueryScope } from '../events-query/query-scope.service';
import { GoalsService } from '../goals/goals.service';
import { WebsitesService } from '../websites/websites.service';
import { parseV2Request } from './v2-request';
import { toQuery } from './v2-query';
import { toV2Response, V2Response } from './v2-response';

/** Plausible's Stats API v2: a body to the canonical query, the engine's answer back to Plausible's shape. */
@Injectable()
export class PlausibleQueryService {
  constructor(
    private readonly websites: WebsitesService,
    private readonly scope: QueryScope,
    private readonly goals: GoalsService,
    private readonly engine: QueryEngine,
  ) {}

  async query(p: Principal, body: unknown, now = new Date()): Promise<V2Response> {
    const req = parseV2Request(body);
    const found = await this.websites.findReadableByIdOrDomain(p, req.siteId);
    const site = await this.scope.readable(p, found.id);
    const goals = (await this.goals.forWebsite(site.id)).map(goalDefinition);
    const all = req.dateRange.kind === 'shortcut' && req.dateRange.shortcut === 'all';
    const first = all ? await this.engine.firstEvent(site.id) : null;
    const query = toQuery(req, { ...site, firstDay: all ? dayOf(first ?? now, site.timezone) : null }, goals, now);
    return toV2Response(req, query, await this.engine.run(query));
  }
}
