import { ConflictException, Injectable } from '@nestjs/common';
import { goalDefinition } from '../analytics/goal-pattern';
import { canonicalQuery, DateRange, FilterNode, GoalDefinition, Metric, Query } from '../analytics/query';
import { GoalsService } from '../goals/goals.service';
import { Principal } from '../auth/principal';
import { TimeZones } from '../websites/time-zones';
import { WebsiteRow } from '../websites/websites.repository';
import { WebsitesService } from '../websites/websites.service';
import { DateRangeQueryDto } from './dto/query-params.dto';
import { parseDateRange } from './query/date-range';
import { allOf, FilterParams, parseFilters } from './query/filters';

/** What every REST query starts from: the website, its zone, the period, the filters (and the goals they name). */
export type QueryBase = Pick<Query, 'websiteId' | 'timezone' | 'range' | 'filter' | 'goals'>;

/** A canonical query over a base: no dimensions, no order, every row, nothing included, unless given. */
export function queryOf(base: QueryBase, metrics: readonly Metric[], rest: Partial<Query> = {}): Query {
  return canonicalQuery(base, { goals: base.goals, filter: base.filter, metrics, ...rest });
}

/** The base's filter AND more conditions. */
export function withConditions(base: QueryBase, ...more: FilterNode[]): FilterNode | null {
  return allOf([...(base.filter ? [base.filter] : []), ...more]);
}

/**
 * Turns a REST request into the base of its canonical query: the website (readable by the caller,
 * else 404/403, checked before anything else), its time zone, the period and the filters.
 */
@Injectable()
export class QueryScope {
  constructor(
    private readonly websites: WebsitesService,
    private readonly zones: TimeZones,
    private readonly goalsService: GoalsService,
  ) {}

  /** The website's goals, as the engine matches them. */
  async goals(websiteId: string): Promise<GoalDefinition[]> {
    return (await this.goalsService.forWebsite(websiteId)).map(goalDefinition);
  }

  private async base(site: WebsiteRow, range: DateRange, filters: FilterParams): Promise<QueryBase> {
    const conditions = parseFilters(filters);
    const goals = conditions.some((c) => c.dimension.kind === 'goal') ? await this.goals(site.id) : [];
    return { websiteId: site.id, timezone: site.timezone, range, filter: allOf(conditions), goals };
  }

  async build(p: Principal, websiteId: string, dates: DateRangeQueryDto, filters: FilterParams, now = new Date()): Promise<QueryBase> {
    const site = await this.readable(p, websiteId);
    return this.base(site, parseDateRange(dates, site.timezone, now), filters);
  }

  /** The same, over a fixed range instead of start_date/end_date (realtime). */
  async buildFor(p: Principal, websiteId: string, range: DateRange, filters: FilterParams): Promise<QueryBase> {
    return this.base(await this.readable(p, websiteId), range, filters);
  }

  /** The website, if its zone is one Postgres can convert with (a zone stored before zones were checked may not be). */
  async readable(p: Principal, websiteId: string): Promise<WebsiteRow> {
    const site = await this.websites.getReadable(p, websiteId);
    if (!(await this.zones.postgresName(site.timezone))) {
      throw new ConflictException(`The website's time zone "${site.timezone}" is unknown to the database; set another with PATCH /api/websites/${site.id}`);
    }
    return site;
  }
}
