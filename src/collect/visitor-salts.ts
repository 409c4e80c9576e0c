import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

/** Salts older than this are deleted, so yesterday's visitor ids cannot be recomputed for long. */
export const SALT_RETENTION_DAYS = 2;

/**
 * The secret daily salt of cookieless visitor ids. Stored in Postgres so every instance derives
 * the same id for the same visitor on the same day; created by whichever instance asks first.
 */
@Injectable()
export class VisitorSalts {
  /** Today's salt and the UTC day it covers, as [start, end) in ms: checked per event without formatting a date. */
  private cached: { start: number; end: number; salt: string } | null = null;

  constructor(private readonly db: DataSource) {}

  async forDay(at: Date): Promise<string> {
    const t = at.getTime();
    if (this.cached && t >= this.cached.start && t < this.cached.end) return this.cached.salt;
    const day = at.toISOString().slice(0, 10);
    await this.db.query('INSERT INTO visitor_salts (day, salt) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING', [day, randomBytes(32).toString('base64url')]);
    const [row] = await this.db.query('SELECT salt FROM visitor_salts WHERE day = $1', [day]);
    const start = Date.parse(day);
    this.cached = { start, end: start + 86_400_000, salt: row.salt };
    return row.salt;
  }

  /** Deletes salts older than the retention; returns how many. */
  async expire(now = new Date()): Promise<number> {
    const [, count] = await this.db.query("DELETE FROM visitor_salts WHERE day < ($1::date - make_interval(days => $2))", [now.toISOString().slice(0, 10), SALT_RETENTION_DAYS]);
    return count;
  }
}
