import { Injectable } from '@nestjs/common';
import { WebsitesRepository } from './websites.repository';

/** Postgres' time zone names, read once: a website's zone must be one of them. */
@Injectable()
export class TimeZones {
  private names: Promise<Map<string, string>> | null = null;

  constructor(private readonly websites: WebsitesRepository) {}

  /** Postgres' spelling of the zone (it matches names case-insensitively), or null when it has no such zone. */
  async postgresName(zone: string): Promise<string | null> {
    this.names ??= this.websites.timeZoneNames().then(
      (names) => new Map(names.map((n) => [n.toLowerCase(), n])),
      (err: Error) => {
        this.names = null;
        throw err;
      },
    );
    return (await this.names).get(zone.toLowerCase()) ?? null;
  }
}
