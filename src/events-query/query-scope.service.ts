import { ConflictException, Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { WebsitesService } from '../websites/websites.service';
import { TimeZones } from '../websites/time-zones';
import { WebsiteRow } from '../websites/websites.repository';
import { DateRangeQueryDto } from './dto/query-params.dto';
import { parseDateRange } from './query/date-range';
import { parseFilters } from './query/filters';
import { DateRange, EventsQuery } from './query/query-types';

/**
 * Turns a request into the typed query object: the website (readable by the caller, else 404/403,
 * checked before anything else), its time zone, the period and the filters.
 */
@Injectable()
export class QueryScope {
  constructor(
    private readonly websites: WebsitesService,
    private readonly zones: TimeZones,
  ) {}

  async build(p: Principal, websiteId: string, dates: DateRangeQueryDto, rawQuery: Record<string, unknown>, now = new Date()): Promise<EventsQuery> {
    const site = await this.readable(p, websiteId);
    const range = parseDateRange(dates, site.timezone, now);
    return { websiteId: site.id, timezone: site.timezone, range, filters: parseFilters(rawQuery) };
  }

  /** The same, over a fixed range instead of start_date/end_date (realtime). */
  async buildFor(p: Principal, websiteId: string, range: DateRange, rawQuery: Record<string, unknown>): Promise<EventsQuery> {
    const site = await this.readable(p, websiteId);
    return { websiteId: site.id, timezone: site.timezone, range, filters: parseFilters(rawQuery) };
  }

  /** The website, if its zone is one Postgres can convert with (a zone stored before zones were checked may not be). */
  private async readable(p: Principal, websiteId: string): Promise<WebsiteRow> {
    const site = await this.websites.getReadable(p, websiteId);
    if (!(await this.zones.postgresName(site.timezone))) {
      throw new ConflictException(`The website's time zone "${site.timezone}" is unknown to the database; set another with PATCH /api/websites/${site.id}`);
    }
    return site;
  }
}
