import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class PrivacyRepository {
  constructor(private readonly db: DataSource) {}

  /** Deletes every event, visit and visit state of one visitor of one website (and their trace in rollups); returns the counts. */
  async eraseVisitor(websiteId: string, visitorId: string): Promise<{ events: number; sessions: number }> {
    return this.db.transaction(async (tx) => {
      // The days this visitor was seen are rolled up again without them.
      await tx.query(
        `SELECT footfall_mark_rollups_dirty(array_agg(website_id), array_agg(occurred_at), 0::smallint)
         FROM events WHERE website_id = $1 AND visitor_id = $2`,
        [websiteId, visitorId],
      );
      const [, events] = await tx.query('DELETE FROM events WHERE website_id = $1 AND visitor_id = $2', [websiteId, visitorId]);
      const [, sessions] = await tx.query('DELETE FROM sessions WHERE website_id = $1 AND visitor_id = $2', [websiteId, visitorId]);
      await tx.query('DELETE FROM visitor_sessions WHERE website_id = $1 AND visitor_id = $2', [websiteId, visitorId]);
      return { events, sessions };
    });
  }
}
