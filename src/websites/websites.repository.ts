import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { markRollupsDirty } from '../rollups/rollup-marks';

export interface WebsiteRow {
  id: string;
  organization_id: string;
  name: string;
  domain: string;
  timezone: string;
  public_collect: boolean;
  retention_days: number | null;
  created_at: Date;
}

const COLUMNS = 'id, organization_id, name, domain, timezone, public_collect, retention_days, created_at';

@Injectable()
export class WebsitesRepository {
  constructor(private readonly db: DataSource) {}

  async insert(w: Omit<WebsiteRow, 'created_at'>): Promise<WebsiteRow> {
    const [row] = await this.db.query(
      `INSERT INTO websites (id, organization_id, name, domain, timezone, public_collect, retention_days)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [w.id, w.organization_id, w.name, w.domain, w.timezone, w.public_collect, w.retention_days],
    );
    return row;
  }

  async findById(id: string): Promise<WebsiteRow | null> {
    const rows = await this.db.query(`SELECT ${COLUMNS} FROM websites WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async listByOrganizations(organizationIds: string[], onlyIds: readonly string[] | null): Promise<WebsiteRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM websites WHERE organization_id = ANY($1::uuid[]) AND ($2::text[] IS NULL OR id = ANY($2::text[]))
       ORDER BY created_at, id`,
      [organizationIds, onlyIds],
    );
  }

  /** Ids among `ids` that belong to the organization. */
  async idsInOrganization(organizationId: string, ids: string[]): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query('SELECT id FROM websites WHERE organization_id = $1 AND id = ANY($2::text[])', [organizationId, ids]);
    return rows.map((r) => r.id);
  }

  /** Every time zone name Postgres can convert with (its own tz database, which may differ from Node's). */
  async timeZoneNames(): Promise<string[]> {
    const rows: { name: string }[] = await this.db.query('SELECT name FROM pg_timezone_names');
    return rows.map((r) => r.name);
  }

  /**
   * Ids of at most `limit` websites, in any organization, whose domain is `bare` or www.`bare`
   * (Plausible's Events API names websites by domain). Few rows: read without an index.
   */
  async idsWithDomain(bare: string, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query('SELECT id FROM websites WHERE domain IN ($1, $2) ORDER BY id LIMIT $3', [bare, `www.${bare}`, limit]);
    return rows.map((r) => r.id);
  }

  /** Every website domain (for the collect endpoints' CORS check). */
  async allDomains(): Promise<string[]> {
    const rows: { domain: string }[] = await this.db.query('SELECT DISTINCT domain FROM websites');
    return rows.map((r) => r.domain);
  }

  /** Changes the given fields; retention_days: null means "keep forever" (undefined: unchanged). */
  async update(id: string, patch: Partial<Pick<WebsiteRow, 'name' | 'domain' | 'timezone' | 'public_collect' | 'retention_days'>>): Promise<WebsiteRow> {
    const [[row]] = await this.db.query(
      `UPDATE websites SET name = COALESCE($2, name), domain = COALESCE($3, domain), timezone = COALESCE($4, timezone),
         public_collect = COALESCE($5, public_collect), retention_days = CASE WHEN $6 THEN $7::int ELSE retention_days END
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, patch.name ?? null, patch.domain ?? null, patch.timezone ?? null, patch.public_collect ?? null, patch.retention_days !== undefined, patch.retention_days ?? null],
    );
    return row;
  }

  /** Websites that keep data for a limited time. */
  async withRetention(): Promise<{ id: string; retention_days: number }[]> {
    return this.db.query('SELECT id, retention_days FROM websites WHERE retention_days IS NOT NULL');
  }

  /** Deletes a website's events and visits older than `before`; returns the events deleted. */
  async deleteOlderThan(id: string, before: Date): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [, events] = await tx.query('DELETE FROM events WHERE website_id = $1 AND occurred_at < $2', [id, before]);
      await tx.query('DELETE FROM sessions WHERE website_id = $1 AND started_at < $2', [id, before]);
      // Rolled-up days that began before the cutoff go; the day holding it is recomputed.
      await tx.query(
        `WITH gone AS (DELETE FROM rollup_days WHERE website_id = $1 AND day_start < $2 RETURNING day)
         DELETE FROM rollup_values WHERE website_id = $1 AND day IN (SELECT day FROM gone)`,
        [id, before],
      );
      await tx.query(markRollupsDirty('(VALUES ($1::text, $2::timestamptz)) AS u(w, t)', '0'), [id, before]);
      return events;
    });
  }

  /**
   * Deletes the website and all its analytics data (events carry no foreign key, by design).
   * The website row goes first: the event writer holds a key-share lock on the row of every
   * website it writes for, so a write in progress finishes (and its rows are deleted here) or
   * waits and then finds the website gone (and stores nothing).
   */
  async delete(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Rollup tables reference the website and go with it.
      await tx.query('DELETE FROM websites WHERE id = $1', [id]);
      for (const table of ['events', 'sessions', 'visitor_sessions', 'event_keys', 'rollup_dirty']) {
        await tx.query(`DELETE FROM ${table} WHERE website_id = $1`, [id]);
      }
    });
  }
}
