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
    const stored = new Map<string, VisitState>([[visitorKey('w', 'a'), { sessionId: 'old', startedAt: at(-10), lastSeenAt: at(-5), userId: null }]]);
    const { assignments, states } = assignSessions([ev('a', 10)], stored, ids());
    expect(assignments[0]).toEqual({ sessionId: 'old', startedAt: at(-10), userId: null });
    expect(states.get(visitorKey('w', 'a'))).toEqual({ sessionId: 'old', startedAt: at(-10), lastSeenAt: at(10), userId: null });
  });

  it('starts a new visit exactly past the timeout', () => {
    const stored = new Map<string, VisitState>([[visitorKey('w', 'a'), { sessionId: 'old', startedAt: at(0), lastSeenAt: at(0), userId: null }]]);
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
    const stored = new Map<string, VisitState>([[visitorKey('w', 'a'), { sessionId: 'now', startedAt: at(1000), lastSeenAt: at(1010), userId: null }]]);
    const { assignments, states } = assignSessions([ev('a', 0), ev('a', 10), ev('a', 100)], stored, ids());
    expect(assignments.map((a) => a.sessionId)).toEqual(['s1', 's1', 's2']);
    expect(states.get(visitorKey('w', 'a'))).toBeUndefined();
  });

  it('identifies a visit with the user id of its events: later events without one carry it, a new visit starts without', () => {
    const user = (minutes: number, userId: string | null) => ({ ...ev('a', minutes), userId });
    const { assignments, states } = assignSessions([user(0, null), user(5, 'u-1'), user(10, null), user(60, null)], new Map(), ids());
    expect(assignments.map((a) => [a.sessionId, a.userId])).toEqual([['s1', null], ['s1', 'u-1'], ['s1', 'u-1'], ['s2', null]]);
    expect(states.get(visitorKey('w', 'a'))?.userId).toBeNull();
  });

  it('continues the stored visit\'s user id; only the visit\'s latest event changes it', () => {
    const stored = new Map<string, VisitState>([[visitorKey('w', 'a'), { sessionId: 'old', startedAt: at(0), lastSeenAt: at(10), userId: 'u-1' }]]);
    const late = assignSessions([{ ...ev('a', 5), userId: 'u-old' }, ev('a', 12)], stored, ids());
    expect(late.assignments.map((a) => a.userId)).toEqual(['u-old', 'u-1']);
    expect(late.states.get(visitorKey('w', 'a'))).toMatchObject({ sessionId: 'old', userId: 'u-1' });
    const renamed = assignSessions([{ ...ev('a', 12), userId: 'u-2' }, ev('a', 14)], stored, ids());
    expect(renamed.assignments.map((a) => a.userId)).toEqual(['u-2', 'u-2']);
    expect(renamed.states.get(visitorKey('w', 'a'))?.userId).toBe('u-2');
  });

  it('leaves backfilled events with their own user id only', () => {
    const stored = new Map<string, VisitState>([[visitorKey('w', 'a'), { sessionId: 'now', startedAt: at(1000), lastSeenAt: at(1010), userId: 'u-1' }]]);
    const { assignments } = assignSessions([ev('a', 0), { ...ev('a', 5), userId: 'u-0' }], stored, ids());
    expect(assignments.map((a) => a.userId)).toEqual([null, 'u-0']);
  });
});
