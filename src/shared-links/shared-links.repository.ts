import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface SharedLinkRow {
  website_id: string;
  id: string;
  token: string;
  label: string | null;
  password_hash: string | null;
  created_at: Date;
}

/** A link found by its token, with what its session needs of the website. */
export interface OpenedLinkRow extends SharedLinkRow {
  organization_id: string;
  name: string;
  domain: string;
  timezone: string;
}

const COLUMNS = 'l.website_id, l.id, l.token, l.label, l.password_hash, l.created_at';
const FOREIGN_KEY_VIOLATION = '23503';

@Injectable()
export class SharedLinksRepository {
  constructor(private readonly db: DataSource) {}

  /** The stored link, or null when its website was deleted meanwhile. */
  async insert(link: Omit<SharedLinkRow, 'created_at'> & { created_by: string | null }): Promise<SharedLinkRow | null> {
    try {
      const [row] = await this.db.query(
        `INSERT INTO shared_links AS l (website_id, id, token, label, password_hash, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [link.website_id, link.id, link.token, link.label, link.password_hash, link.created_by],
      );
      return row;
    } catch (err) {
      if ((err as { code?: string }).code === FOREIGN_KEY_VIOLATION) return null;
      throw err;
    }
  }

  async list(websiteId: string): Promise<SharedLinkRow[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM shared_links l WHERE l.website_id = $1 ORDER BY l.created_at DESC, l.id`, [websiteId]);
  }

  /** True when the link existed (and is gone). */
  async delete(websiteId: string, id: string): Promise<boolean> {
    const [, deleted] = await this.db.query('DELETE FROM shared_links WHERE website_id = $1 AND id = $2', [websiteId, id]);
    return deleted > 0;
  }

  async findByToken(token: string): Promise<OpenedLinkRow | null> {
    const rows = await this.db.query(
      `SELECT ${COLUMNS}, w.organization_id, w.name, w.domain, w.timezone
       FROM shared_links l JOIN websites w ON w.id = l.website_id WHERE l.token = $1`,
      [token],
    );
    return rows[0] ?? null;
  }

  /** The organization of a link that still exists, for its sessions. */
  async organizationOf(websiteId: string, id: string): Promise<string | null> {
    const rows = await this.db.query(
      'SELECT w.organization_id FROM shared_links l JOIN websites w ON w.id = l.website_id WHERE l.website_id = $1 AND l.id = $2',
      [websiteId, id],
    );
    return rows[0]?.organization_id ?? null;
  }
}
