import { EnrichedEvent } from '../../enrichment/enriched-event';

/** An enriched event with the id and visit the writer gave it: one row of `events`. */
export interface StoredEvent extends EnrichedEvent {
  id: string;
  sessionId: string;
  sessionStartedAt: Date;
  /** The user id stored with the event: its own, else the one its visit was identified with. */
  storedUserId: string | null;
}

/** One row of `sessions` built from the events of a batch (counters are added to the stored row). */
export interface SessionDelta {
  websiteId: string;
  startedAt: Date;
  sessionId: string;
  visitorId: string;
  lastSeenAt: Date;
  pageviews: number;
  events: number;
  entryPath: string | null;
  exitPath: string | null;
  lastPageviewAt: Date | null;
  /** The latest user id among the batch's events of the visit (the visit row keeps the latest). */
  userId: string | null;
  first: StoredEvent;
}

/** Sums a batch's events into one delta per session. */
export function sessionDeltas(rows: readonly StoredEvent[]): SessionDelta[] {
  const byId = new Map<string, SessionDelta>();
  const sorted = [...rows].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (const r of sorted) {
    let d = byId.get(r.sessionId);
    if (!d) {
      d = {
        websiteId: r.websiteId,
        startedAt: r.sessionStartedAt,
        sessionId: r.sessionId,
        visitorId: r.visitorId,
        lastSeenAt: r.occurredAt,
        pageviews: 0,
        events: 0,
        entryPath: null,
        exitPath: null,
        lastPageviewAt: null,
        userId: null,
        first: r,
      };
      byId.set(r.sessionId, d);
    }
    d.events++;
    d.lastSeenAt = r.occurredAt;
    if (r.storedUserId !== null) d.userId = r.storedUserId;
    if (r.kind === 'pageview') {
      d.pageviews++;
      d.entryPath ??= r.path;
      d.exitPath = r.path;
      d.lastPageviewAt = r.occurredAt;
    }
  }
  return [...byId.values()];
}
