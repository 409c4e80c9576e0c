import { LruCache } from '../../enrichment/lru-cache';
import { visitorKey, VisitState } from './sessionizer';

/** A visitor of a batch and the visit this process last stored for it (null: never seen here). */
export interface RecalledVisit {
  websiteId: string;
  visitorId: string;
  state: VisitState | null;
}

// Kept as one short string each: far fewer objects for the GC than a state object with two
// Dates, for up to WRITER_VISIT_CACHE visitors. The user id, which may hold spaces, comes last,
// after a marker that tells an empty one from none.
const pack = (s: VisitState) => `${s.sessionId} ${s.startedAt.getTime()} ${s.lastSeenAt.getTime()}${s.userId === null ? '' : ` =${s.userId}`}`;
function unpack(packed: string): VisitState {
  const [sessionId, startedAt, lastSeenAt] = packed.split(' ', 3);
  const user = packed.indexOf(' =');
  return { sessionId, startedAt: new Date(Number(startedAt)), lastSeenAt: new Date(Number(lastSeenAt)), userId: user < 0 ? null : packed.slice(user + 2) };
}

/**
 * The visit state this process last stored for each of its most recent visitors. The writer
 * stores a batch whose visitors are all remembered here, or new, in one statement that checks
 * their rows are still so (another instance, an erasure or a concurrent batch may have changed
 * them), and forgets them when they are not.
 */
export class VisitStateCache {
  private readonly states: LruCache<string, string>;

  /** Remembers about `capacity` visitors (at least 2). */
  constructor(capacity: number) {
    this.states = new LruCache(Math.max(2, capacity));
  }

  /** Each visitor of these events, once, with its remembered state. */
  recall(events: readonly { websiteId: string; visitorId: string }[]): Map<string, RecalledVisit> {
    const visits = new Map<string, RecalledVisit>();
    for (const { websiteId, visitorId } of events) {
      const key = visitorKey(websiteId, visitorId);
      if (visits.has(key)) continue;
      const packed = this.states.get(key);
      visits.set(key, { websiteId, visitorId, state: packed === undefined ? null : unpack(packed) });
    }
    return visits;
  }

  /** Remembers visit states just stored, by visitorKey. */
  remember(states: Iterable<[key: string, state: VisitState]>): void {
    for (const [key, state] of states) this.states.set(key, pack(state));
  }

  forget(keys: Iterable<string>): void {
    for (const key of keys) this.states.delete(key);
  }
}
