import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Shields } from './shield-rules';

const FOREIGN_KEY_VIOLATION = '23503';

@Injectable()
export class ShieldsRepository {
  constructor(private readonly db: DataSource) {}

  /** The website's shields; null when it has never had any. */
  async find(websiteId: string): Promise<Shields | null> {
    const rows: Shields[] = await this.db.query('SELECT ip_addresses, countries, paths, allowed_hostnames FROM website_shields WHERE website_id = $1', [websiteId]);
    return rows[0] ?? null;
  }

  /** Replaces the website's shields in one statement; false when the website is gone. */
  async replace(websiteId: string, s: Shields): Promise<boolean> {
    try {
      await this.db.query(
        `INSERT INTO website_shields (website_id, ip_addresses, countries, paths, allowed_hostnames)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (website_id) DO UPDATE SET ip_addresses = $2, countries = $3, paths = $4, allowed_hostnames = $5, updated_at = now()`,
        [websiteId, s.ip_addresses, s.countries, s.paths, s.allowed_hostnames],
      );
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === FOREIGN_KEY_VIOLATION) return false;
      throw err;
    }
  }
}
