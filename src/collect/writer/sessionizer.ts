import { randomUUID } from 'node:crypto';

/** 30 minutes without an event from a visitor end their visit. */
export const SESSION_TIMEOUT_MS = 30 * 60 * 1000;

/** A visitor's current visit, as stored in visitor_sessions. */
export interface VisitState {
  sessionId: string;
  startedAt: Date;
  lastSeenAt: Date;
  /** The user id the visit was last identified with; null until an event brings one. */
  userId: string | null;
}

export interface SessionEventInput {
  websiteId: string;
  visitorId: string;
  occurredAt: Date;
  userId?: string | null;
}

export interface SessionAssignment {
  sessionId: string;
  /** The session's start, which keys its row in the (partitioned) sessions table. */
  startedAt: Date;
  /** The event's own user id, else the one its visit was identified with. */
  userId: string | null;
}

export const visitorKey = (websiteId: string, visitorId: string) => `${websiteId}\u0000${visitorId}`;

/**
 * Assigns a session to every event, given each visitor's stored visit. Pure: the writer locks
 * the visitor rows, calls this, then stores `states` back, so every instance agrees.
 *
 * Events are taken in time order per visitor. An event within 30 minutes of the visit's last
 * event continues it; a later one starts a new visit. An event far older than the current visit
 * (a backfill or import) joins an earlier visit of the same batch when within 30 minutes of it,
 * else starts a visit of its own, without moving the visitor's current visit back in time.
 *
 * An event with a user id identifies its visit; the visit's events without one carry that id. A
 * new visit starts unidentified (or with its first event's id).
 */
export function assignSessions(
  events: readonly SessionEventInput[],
  stored: ReadonlyMap<string, VisitState>,
  newId: () => string = randomUUID,
): { assignments: SessionAssignment[]; states: Map<string, VisitState> } {
  const assignments: SessionAssignment[] = new Array(events.length);
  const states = new Map<string, VisitState>();
  const backfills = new Map<string, Omit<VisitState, 'userId'>[]>();
  const order = events.map((_, i) => i).sort((a, b) => events[a].occurredAt.getTime() - events[b].occurredAt.getTime());

  for (const i of order) {
    const e = events[i];
    const key = visitorKey(e.websiteId, e.visitorId);
    const t = e.occurredAt.getTime();
    const userId = e.userId ?? null;
    let state = states.get(key) ?? stored.get(key);
    if (!state || t > state.lastSeenAt.getTime() + SESSION_TIMEOUT_MS) {
      state = { sessionId: newId(), startedAt: e.occurredAt, lastSeenAt: e.occurredAt, userId };
    } else if (t >= state.startedAt.getTime() - SESSION_TIMEOUT_MS) {
      // Only the visit's latest event may change who it is identified as.
      const latest = t >= state.lastSeenAt.getTime();
      state = { ...state, lastSeenAt: latest ? e.occurredAt : state.lastSeenAt, userId: latest && userId !== null ? userId : state.userId };
    } else {
      assignments[i] = { ...backfillVisit(backfills, key, e.occurredAt, newId), userId };
      continue;
    }
    states.set(key, state);
    assignments[i] = { sessionId: state.sessionId, startedAt: state.startedAt, userId: userId ?? state.userId };
  }
  return { assignments, states };
}

function backfillVisit(backfills: Map<string, Omit<VisitState, 'userId'>[]>, key: string, at: Date, newId: () => string): Omit<SessionAssignment, 'userId'> {
  const visits = backfills.get(key) ?? [];
  const t = at.getTime();
  let visit = visits.find((v) => t >= v.startedAt.getTime() && t <= v.lastSeenAt.getTime() + SESSION_TIMEOUT_MS);
  if (visit) {
    if (t > visit.lastSeenAt.getTime()) visit.lastSeenAt = at;
  } else {
    visit = { sessionId: newId(), startedAt: at, lastSeenAt: at };
    visits.push(visit);
    backfills.set(key, visits);
  }
  return { sessionId: visit.sessionId, startedAt: visit.startedAt };
}
