import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Goal } from '../analytics/goal-pattern';

const COLUMNS = 'id, goal_type, event_name, page_path, display_name';

/** Why a goal was not stored. */
export type InsertRefusal = 'website_gone' | 'limit_reached' | 'display_name_taken' | 'goal_exists';

@Injectable()
export class GoalsRepository {
  constructor(private readonly db: DataSource) {}

  /** The website's goals, in display_name order (code-unit order, the same on every server). */
  async list(websiteId: string): Promise<Goal[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM goals WHERE website_id = $1 ORDER BY display_name COLLATE "C"`, [websiteId]);
  }

  /**
   * Stores the goal unless the website already has `limit` goals, one with its display name, or
   * one for the same event or path. Creations for one website take turns on its row, so the
   * limit and the answer about duplicates hold when requests race; the lock (no key update)
   * does not wait for the event writer's key-share locks on that row.
   */
  async insert(websiteId: string, goal: Goal, limit: number): Promise<Goal | InsertRefusal> {
    return this.db.transaction(async (tx) => {
      const site = await tx.query('SELECT 1 FROM websites WHERE id = $1 FOR NO KEY UPDATE', [websiteId]);
      if (!site.length) return 'website_gone';
      const [existing]: { goals: number; display_name_taken: boolean; goal_exists: boolean }[] = await tx.query(
        `SELECT count(*)::int AS goals,
                coalesce(bool_or(display_name = $2), false) AS display_name_taken,
                coalesce(bool_or(goal_type = $3 AND event_name IS NOT DISTINCT FROM $4 AND page_path IS NOT DISTINCT FROM $5), false) AS goal_exists
         FROM goals WHERE website_id = $1`,
        [websiteId, goal.display_name, goal.goal_type, goal.event_name, goal.page_path],
      );
      if (existing.goal_exists) return 'goal_exists';
      if (existing.display_name_taken) return 'display_name_taken';
      if (existing.goals >= limit) return 'limit_reached';
      const [row] = await tx.query(
        `INSERT INTO goals (website_id, id, goal_type, event_name, page_path, display_name)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [websiteId, goal.id, goal.goal_type, goal.event_name, goal.page_path, goal.display_name],
      );
      return row;
    });
  }

  /** True when the goal existed (and is gone). */
  async delete(websiteId: string, id: string): Promise<boolean> {
    const [, deleted] = await this.db.query('DELETE FROM goals WHERE website_id = $1 AND id = $2', [websiteId, id]);
    return deleted > 0;
  }
}
