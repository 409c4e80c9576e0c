import { randomUUID } from 'node:crypto';

/** 30 minutes without an event from a visitor end their visit. */
export const SESSION_TIMEOUT_MS = 30 * 60 * 1000;

/** A visitor's current visit, as stored in visitor_sessions. */
export interface VisitState {
  sessionId: string;
  startedAt: Date;
  lastSeenAt: Date;
}

export interface SessionEventInput {
  websiteId: string;
  visitorId: string;
  occurredAt: Date;
}

export interface SessionAssignment {
  sessionId: string;
  /** The session's start, which keys its row in the (partitioned) sessions table. */
  startedAt: Date;
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
 */
export function assignSessions(
  events: readonly SessionEventInput[],
  stored: ReadonlyMap<string, VisitState>,
  newId: () => string = randomUUID,
): { assignments: SessionAssignment[]; states: Map<string, VisitState> } {
  const assignments: SessionAssignment[] = new Array(events.length);
  const states = new Map<string, VisitState>();
  const backfills = new Map<string, VisitState[]>();
  const order = events.map((_, i) => i).sort((a, b) => events[a].occurredAt.getTime() - events[b].occurredAt.getTime());

  for (const i of order) {
    const e = events[i];
    const key = visitorKey(e.websiteId, e.visitorId);
    const t = e.occurredAt.getTime();
    let state = states.get(key) ?? stored.get(key);
    if (!state || t > state.lastSeenAt.getTime() + SESSION_TIMEOUT_MS) {
      state = { sessionId: newId(), startedAt: e.occurredAt, lastSeenAt: e.occurredAt };
    } else if (t >= state.startedAt.getTime() - SESSION_TIMEOUT_MS) {
      state = { ...state, lastSeenAt: t > state.lastSeenAt.getTime() ? e.occurredAt : state.lastSeenAt };
    } else {
      assignments[i] = backfillVisit(backfills, key, e.occurredAt, newId);
      continue;
    }
    states.set(key, state);
    assignments[i] = { sessionId: state.sessionId, startedAt: state.startedAt };
  }
  return { assignments, states };
}

function backfillVisit(backfills: Map<string, VisitState[]>, key: string, at: Date, newId: () => string): SessionAssignment {
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
