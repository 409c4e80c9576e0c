import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { markRollupsDirty } from '../rollups/rollup-marks';

@Injectable()
export class PrivacyRepository {
  constructor(private readonly db: DataSource) {}

  /** Deletes every event, visit and visit state of one visitor of one website (and their trace in rollups); returns the counts. */
  async eraseVisitor(websiteId: string, visitorId: string): Promise<{ events: number; sessions: number }> {
    return this.db.transaction(async (tx) => {
      // The days this visitor was seen are rolled up again without them.
      await tx.query(markRollupsDirty('(SELECT website_id, occurred_at FROM events WHERE website_id = $1 AND visitor_id = $2) AS u(w, t)', '0'), [
        websiteId,
        visitorId,
      ]);
      const [, events] = await tx.query('DELETE FROM events WHERE website_id = $1 AND visitor_id = $2', [websiteId, visitorId]);
      const [, sessions] = await tx.query('DELETE FROM sessions WHERE website_id = $1 AND visitor_id = $2', [websiteId, visitorId]);
      await tx.query('DELETE FROM visitor_sessions WHERE website_id = $1 AND visitor_id = $2', [websiteId, visitorId]);
      return { events, sessions };
    });
  }
}
