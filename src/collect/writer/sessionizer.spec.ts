import { assignSessions, SESSION_TIMEOUT_MS, visitorKey, VisitState } from './sessionizer';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const ev = (visitorId: string, minutes: number, websiteId = 'w') => ({ websiteId, visitorId, occurredAt: at(minutes) });
const ids = () => {
  let n = 0;
  return () => `s${++n}`;
};

describe('assignSessions', () => {
  it('keeps one visit while gaps stay within 30 minutes, and starts another after', () => {
    const { assignments } = assignSessions([ev('a', 0), ev('a', 29), ev('a', 58), ev('a', 89)], new Map(), ids());
    expect(assignments.map((a) => a.sessionId)).toEqual(['s1', 's1', 's1', 's2']);
    expect(assignments[3].startedAt).toEqual(at(89));
  });

  it('orders events by time whatever the input order', () => {
    const { assignments } = assignSessions([ev('a', 40), ev('a', 0), ev('a', 20)], new Map(), ids());
    expect(new Set(assignments.map((a) => a.sessionId)).size).toBe(1);
    expect(assignments[0].startedAt).toEqual(at(0));
  });

  it('continues the stored visit and reports the new state', () => {
    const stored = new Map<string, VisitState>([[visitorKey('w', 'a'), { sessionId: 'old', startedAt: at(-10), lastSeenAt: at(-5) }]]);
    const { assignments, states } = assignSessions([ev('a', 10)], stored, ids());
    expect(assignments[0]).toEqual({ sessionId: 'old', startedAt: at(-10) });
    expect(states.get(visitorKey('w', 'a'))).toEqual({ sessionId: 'old', startedAt: at(-10), lastSeenAt: at(10) });
  });

  it('starts a new visit exactly past the timeout', () => {
    const stored = new Map<string, VisitState>([[visitorKey('w', 'a'), { sessionId: 'old', startedAt: at(0), lastSeenAt: at(0) }]]);
    const within = assignSessions([{ websiteId: 'w', visitorId: 'a', occurredAt: new Date(T0 + SESSION_TIMEOUT_MS) }], stored, ids());
    const past = assignSessions([{ websiteId: 'w', visitorId: 'a', occurredAt: new Date(T0 + SESSION_TIMEOUT_MS + 1) }], stored, ids());
    expect(within.assignments[0].sessionId).toBe('old');
    expect(past.assignments[0].sessionId).toBe('s1');
  });

  it('keeps visitors and websites apart', () => {
    const { assignments } = assignSessions([ev('a', 0), ev('b', 1), ev('a', 2, 'other')], new Map(), ids());
    expect(new Set(assignments.map((a) => a.sessionId)).size).toBe(3);
  });

  it('groups backfilled events older than the current visit without moving it back', () => {
    const stored = new Map<string, VisitState>([[visitorKey('w', 'a'), { sessionId: 'now', startedAt: at(1000), lastSeenAt: at(1010) }]]);
    const { assignments, states } = assignSessions([ev('a', 0), ev('a', 10), ev('a', 100)], stored, ids());
    expect(assignments.map((a) => a.sessionId)).toEqual(['s1', 's1', 's2']);
    expect(states.get(visitorKey('w', 'a'))).toBeUndefined();
  });
});
