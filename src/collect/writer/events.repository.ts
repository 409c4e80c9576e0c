import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { visitorKey, VisitState } from './sessionizer';
import { byText } from '../../common/text-order';
import { markRollupsDirty, ROLLUP_MARK_SHARDS, ROLLUP_SLOT_MS } from '../../rollups/rollup-marks';
import { SessionDelta, StoredEvent } from './stored-event';

/** Ids per nextval; must match the sequence's INCREMENT BY (migration 0003). */
export const ID_BLOCK = 1000n;

/** A column the writer fills: its name, SQL type, and value in a row. */
type Column<T> = [name: string, type: string, value: (row: T) => unknown];

const EVENT_COLUMNS: Column<StoredEvent>[] = [
  ['website_id', 'text', (r) => r.websiteId],
  ['occurred_at', 'timestamptz', (r) => r.occurredAt],
  ['id', 'bigint', (r) => r.id],
  ['kind', 'text', (r) => r.kind],
  ['name', 'text', (r) => r.name],
  ['visitor_id', 'text', (r) => r.visitorId],
  ['session_id', 'uuid', (r) => r.sessionId],
  ['hostname', 'text', (r) => r.hostname],
  ['path', 'text', (r) => r.path],
  ['query', 'text', (r) => r.query],
  ['title', 'text', (r) => r.title],
  ['referrer', 'text', (r) => r.referrer],
  ['referrer_domain', 'text', (r) => r.referrerDomain],
  ['utm_source', 'text', (r) => r.utmSource],
  ['utm_medium', 'text', (r) => r.utmMedium],
  ['utm_campaign', 'text', (r) => r.utmCampaign],
  ['utm_term', 'text', (r) => r.utmTerm],
  ['utm_content', 'text', (r) => r.utmContent],
  ['props', 'jsonb', (r) => r.props],
  ['browser', 'text', (r) => r.browser],
  ['browser_version', 'text', (r) => r.browserVersion],
  ['os', 'text', (r) => r.os],
  ['os_version', 'text', (r) => r.osVersion],
  ['device_type', 'text', (r) => r.deviceType],
  ['is_bot', 'boolean', (r) => r.isBot],
  ['country', 'text', (r) => r.country],
  ['region', 'text', (r) => r.region],
  ['city', 'text', (r) => r.city],
  ['language', 'text', (r) => r.language],
  ['screen', 'text', (r) => r.screen],
  ['screen_width', 'integer', (r) => r.screenWidth],
  ['screen_height', 'integer', (r) => r.screenHeight],
  ['user_id', 'text', (r) => r.storedUserId],
  ['event_key', 'text', (r) => r.eventKey],
];

/** A batch's delta of one visit: its counters are added to the stored row on conflict; the row keeps its first event's attributes. */
const SESSION_COLUMNS: Column<SessionDelta>[] = [
  ['website_id', 'text', (d) => d.websiteId],
  ['started_at', 'timestamptz', (d) => d.startedAt],
  ['session_id', 'uuid', (d) => d.sessionId],
  ['visitor_id', 'text', (d) => d.visitorId],
  ['last_seen_at', 'timestamptz', (d) => d.lastSeenAt],
  ['pageviews', 'integer', (d) => d.pageviews],
  ['events', 'integer', (d) => d.events],
  ['entry_path', 'text', (d) => d.entryPath],
  ['exit_path', 'text', (d) => d.exitPath],
  ['last_pageview_at', 'timestamptz', (d) => d.lastPageviewAt],
  ['user_id', 'text', (d) => d.userId],
  // A visit's origin, place, device and language: these columns of its first event.
  ...[
    'hostname', 'referrer', 'referrer_domain', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content',
    'country', 'region', 'city', 'browser', 'browser_version', 'os', 'os_version', 'device_type', 'is_bot', 'language', 'screen',
  ].map(
    (name): Column<SessionDelta> => {
      const [, type, value] = EVENT_COLUMNS.find(([n]) => n === name)!;
      return [name, type, (d) => value(d.first)];
    },
  ),
];

/** A visitor's row of visitor_sessions: the visit it is in. */
export interface VisitRow {
  websiteId: string;
  visitorId: string;
  state: VisitState;
}

const VISIT_COLUMNS: Column<VisitRow>[] = [
  ['website_id', 'text', (v) => v.websiteId],
  ['visitor_id', 'text', (v) => v.visitorId],
  ['session_id', 'uuid', (v) => v.state.sessionId],
  ['started_at', 'timestamptz', (v) => v.state.startedAt],
  ['last_seen_at', 'timestamptz', (v) => v.state.lastSeenAt],
  ['user_id', 'text', (v) => v.state.userId],
];

/** A visitor the optimistic write moves on from the state it was believed to be in (null: believed new). */
export type BelievedVisit = VisitRow & { was: VisitState | null };

/** A known visitor's row, then the session, last-seen time and user id its stored row must still hold. */
const MOVED_COLUMNS: Column<BelievedVisit>[] = [
  ...VISIT_COLUMNS,
  ['was_session_id', 'uuid', (v) => v.was!.sessionId],
  ['was_last_seen_at', 'timestamptz', (v) => v.was!.lastSeenAt],
  ['was_user_id', 'text', (v) => v.was!.userId],
];

/** Visitors in one fixed order, so statements that lock the same visitor rows cannot deadlock. */
const byVisitor = (a: VisitRow, b: VisitRow) => byText(a.websiteId, b.websiteId) || byText(a.visitorId, b.visitorId);

const namesOf = (columns: Column<never>[]) => columns.map(([name]) => name).join(', ');
/** `$first::text[], ...`: one array parameter per column, to unnest. */
const arrayParams = (columns: Column<never>[], first: number) => columns.map(([, type], i) => `$${first + i}::${type}[]`).join(', ');

/** Elements that must be quoted in an array literal: empty, NULL, or holding a separator, brace, quote, backslash or space. */
const NEEDS_QUOTES = /^$|^null$|[{}",\\\s]/i;

/**
 * One array element in Postgres' array literal syntax. Most values (ids, times, paths) need no
 * quotes and are used as they are, sparing a string per element.
 */
export function arrayElement(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return NEEDS_QUOTES.test(v) ? quoted(v) : v;
  if (v instanceof Date) return v.toISOString();
  return typeof v === 'object' ? quoted(JSON.stringify(v)) : String(v);
}

const quoted = (text: string) => (text.includes('"') || text.includes('\\') ? `"${text.replace(/["\\]/g, '\\$&')}"` : `"${text}"`);

/**
 * The rows as one array literal per column: a batch travels as a fixed number of text parameters,
 * built here in one pass each instead of by the driver's per-element escaping.
 */
function columnArrays<T>(rows: readonly T[], columns: Column<T>[]): string[] {
  const elements = new Array<string>(rows.length);
  return columns.map(([, , value]) => {
    for (let i = 0; i < rows.length; i++) elements[i] = arrayElement(value(rows[i]));
    return `{${elements.join(',')}}`;
  });
}

/**
 * CTEs storing sessions and events, their parameters numbered from $first, then the rollup marks
 * (three parameters): the part both write statements share. Returns the SQL and the next free number.
 */
const writeSessionsAndEvents = (first: number): [string, number] => {
  const s = first;
  const e = s + SESSION_COLUMNS.length;
  const m = e + EVENT_COLUMNS.length;
  return [
    `sessions_written AS (
    INSERT INTO sessions (${namesOf(SESSION_COLUMNS)})
    SELECT * FROM unnest(${arrayParams(SESSION_COLUMNS, s)})
    ON CONFLICT (website_id, started_at, session_id) DO UPDATE SET
      last_seen_at = greatest(sessions.last_seen_at, EXCLUDED.last_seen_at),
      pageviews = sessions.pageviews + EXCLUDED.pageviews,
      events = sessions.events + EXCLUDED.events,
      entry_path = COALESCE(sessions.entry_path, EXCLUDED.entry_path),
      exit_path = CASE WHEN sessions.last_pageview_at IS NULL OR EXCLUDED.last_pageview_at >= sessions.last_pageview_at
                       THEN COALESCE(EXCLUDED.exit_path, sessions.exit_path) ELSE sessions.exit_path END,
      last_pageview_at = greatest(sessions.last_pageview_at, EXCLUDED.last_pageview_at),
      user_id = COALESCE(EXCLUDED.user_id, sessions.user_id)
  ), events_written AS (
    INSERT INTO events (${namesOf(EVENT_COLUMNS)})
    SELECT * FROM unnest(${arrayParams(EVENT_COLUMNS, e)})
  ), marks AS (
    ${markRollupsDirty(`unnest($${m}::text[], $${m + 1}::timestamptz[]) AS u(w, t)`, `$${m + 2}::smallint`)}
  )`,
    m + 3,
  ];
};

// Fixed statements whatever the batch size: every column travels as one array parameter. The
// data-modifying CTEs all run to completion, within the statement's transaction.

const VISITS = VISIT_COLUMNS.length;

/** After lockVisits, in its transaction: the visitors' rows are locked, so they are just updated. */
const WRITE_LOCKED = `WITH visits AS (
    UPDATE visitor_sessions s SET session_id = u.sid, started_at = u.st, last_seen_at = u.ls, user_id = u.uid
    FROM unnest(${arrayParams(VISIT_COLUMNS, 1)}) AS u(w, v, sid, st, ls, uid)
    WHERE s.website_id = u.w AND s.visitor_id = u.v
  ), ${writeSessionsAndEvents(1 + VISITS)[0]}
  SELECT 1`;

const [OPTIMISTIC_TAIL, EXPECTED_ROWS_AT] = writeSessionsAndEvents(1 + VISITS + MOVED_COLUMNS.length);

/**
 * Key-share locks on the rows of the batch's websites: a website cannot be deleted while its
 * events are being written, and one deleted meanwhile is not returned (see WebsitesRepository.delete).
 */
const LIVE_WEBSITES = (param: number) => `SELECT id FROM websites WHERE id = ANY($${param}::text[]) FOR KEY SHARE`;

/**
 * On its own (one round trip): visitors believed new are inserted and known ones moved on from
 * the state the writer last left them in; unless every one of those rows was as expected, the
 * check fails the whole statement (SQLSTATE FF001) and nothing is stored. The main query reads
 * both visitor CTEs, so the check runs before the sessions and events are written. Visitors count
 * only for websites that still exist, locked first (the visitor CTEs read \`live\`): a website
 * deleted meanwhile fails the check too.
 */
const WRITE_OPTIMISTIC = `WITH live AS (
    ${LIVE_WEBSITES(EXPECTED_ROWS_AT + 1)}
  ), fresh AS (
    INSERT INTO visitor_sessions (${namesOf(VISIT_COLUMNS)})
    SELECT * FROM unnest(${arrayParams(VISIT_COLUMNS, 1)}) AS u(w, v, sid, st, ls, uid) WHERE u.w IN (SELECT id FROM live)
    ON CONFLICT DO NOTHING RETURNING 1
  ), moved AS (
    UPDATE visitor_sessions s SET session_id = u.sid, started_at = u.st, last_seen_at = u.ls, user_id = u.uid
    FROM unnest(${arrayParams(MOVED_COLUMNS, 1 + VISITS)}) AS u(w, v, sid, st, ls, uid, was_sid, was_ls, was_uid)
    WHERE s.website_id = u.w AND s.visitor_id = u.v AND s.session_id = u.was_sid AND s.last_seen_at = u.was_ls
      AND s.user_id IS NOT DISTINCT FROM u.was_uid AND u.w IN (SELECT id FROM live)
    RETURNING 1
  ), ${OPTIMISTIC_TAIL}
  SELECT footfall_expect_visits((SELECT count(*) FROM fresh) + (SELECT count(*) FROM moved), $${EXPECTED_ROWS_AT})`;

/** Event ids already recorded for these (website, key) pairs. */
const TAKEN_KEYS = `SELECT k.website_id, k.event_key, k.event_id::text FROM event_keys k
  JOIN unnest($1::text[], $2::text[]) AS u(w, k2) ON k.website_id = u.w AND k.event_key = u.k2`;

/** Key of the maps of claimKeys and existingKeys: an idempotency key is unique per website. */
export const eventKeyOf = (websiteId: string, key: string) => `${websiteId}\u0000${key}`;

const takenIds = (rows: { website_id: string; event_key: string; event_id: string }[]) =>
  new Map(rows.map((r) => [eventKeyOf(r.website_id, r.event_key), r.event_id]));

/** SQLSTATE of footfall_expect_visits (migration 0007). */
export const VISITS_CHANGED = 'FF001';

interface PgClient {
  query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * Runs one of the writer's fixed statements as a named prepared statement on the transaction's
 * connection: Postgres parses and plans it once per connection instead of once per batch.
 */
async function prepared<T>(tx: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const client = (await tx.queryRunner!.connect()) as PgClient;
  return (await client.query({ name, text, values })).rows as T[];
}

/** The writer's SQL: ids, idempotency keys, visitor state, sessions and events. */
@Injectable()
export class EventsRepository {
  constructor(private readonly db: DataSource) {}

  /** Reserves the next block of ID_BLOCK event ids (the sequence steps by ID_BLOCK); returns its first id. */
  async reserveIdBlock(): Promise<bigint> {
    const [row] = await this.db.query("SELECT nextval('events_id_seq')::text AS id");
    return BigInt(row.id);
  }

  /** Creates the monthly partitions of events and sessions holding `at`, when missing. */
  async ensurePartitions(at: Date): Promise<void> {
    await this.db.query("SELECT footfall_ensure_partition('events', $1), footfall_ensure_partition('sessions', $1)", [at]);
  }

  /** Postgres' default READ COMMITTED: naming the level would cost one more round trip per batch. */
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /**
   * Locks the rows of these websites against deletion until the transaction ends (first thing in
   * it, before any visitor row: the order a website's deletion takes too); returns those missing.
   */
  async lockWebsites(tx: EntityManager, ids: string[]): Promise<string[]> {
    const found = await prepared<{ id: string }>(tx, 'footfall_lock_websites', LIVE_WEBSITES(1), [ids]);
    const live = new Set(found.map((r) => r.id));
    return ids.filter((id) => !live.has(id));
  }

  /**
   * Records idempotency keys for new event ids; returns the existing event id of every key that
   * was already taken (by an earlier request, or a concurrent one that committed first).
   */
  async claimKeys(tx: EntityManager, keys: { websiteId: string; key: string; id: string }[]): Promise<Map<string, string>> {
    if (!keys.length) return new Map();
    const params = [keys.map((k) => k.websiteId), keys.map((k) => k.key), keys.map((k) => k.id)];
    const claimed = await prepared<{ website_id: string; event_key: string }>(
      tx,
      'footfall_claim_keys',
      `INSERT INTO event_keys (website_id, event_key, event_id) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
       ON CONFLICT DO NOTHING RETURNING website_id, event_key`,
      params,
    );
    const mine = new Set(claimed.map((c) => eventKeyOf(c.website_id, c.event_key)));
    const taken = keys.filter((k) => !mine.has(eventKeyOf(k.websiteId, k.key)));
    if (!taken.length) return new Map();
    const rows = await prepared<{ website_id: string; event_key: string; event_id: string }>(
      tx,
      'footfall_taken_keys',
      TAKEN_KEYS,
      [taken.map((k) => k.websiteId), taken.map((k) => k.key)],
    );
    return takenIds(rows);
  }

  /** Event ids already recorded for these keys (read-only pre-check, outside any transaction). */
  async existingKeys(keys: { websiteId: string; key: string }[]): Promise<Map<string, string>> {
    if (!keys.length) return new Map();
    const rows: { website_id: string; event_key: string; event_id: string }[] = await this.db.query(TAKEN_KEYS, [
      keys.map((k) => k.websiteId),
      keys.map((k) => k.key),
    ]);
    return takenIds(rows);
  }

  /**
   * Locks the visit rows of these visitors (creating missing ones from `initial`) and returns the
   * stored state of each.
   */
  async lockVisits(tx: EntityManager, initial: VisitRow[]): Promise<Map<string, VisitState>> {
    const sorted = [...initial].sort(byVisitor);
    // New visitors: inserted (and so locked) by this transaction with their initial state.
    const inserted = await prepared<{ website_id: string; visitor_id: string }>(
      tx,
      'footfall_new_visitors',
      `INSERT INTO visitor_sessions (${namesOf(VISIT_COLUMNS)}) SELECT * FROM unnest(${arrayParams(VISIT_COLUMNS, 1)})
       ON CONFLICT DO NOTHING RETURNING website_id, visitor_id`,
      columnArrays(sorted, VISIT_COLUMNS),
    );
    const fresh = new Set(inserted.map((r) => visitorKey(r.website_id, r.visitor_id)));
    const visits = new Map<string, VisitState>();
    const existing: VisitRow[] = [];
    for (const x of sorted) {
      const k = visitorKey(x.websiteId, x.visitorId);
      if (fresh.has(k)) visits.set(k, x.state);
      else existing.push(x);
    }
    if (!existing.length) return visits;
    // Returning visitors: lock their rows in the same fixed order.
    const rows = await prepared<{ website_id: string; visitor_id: string; session_id: string; started_at: Date; last_seen_at: Date; user_id: string | null }>(
      tx,
      'footfall_lock_visitors',
      `SELECT s.website_id, s.visitor_id, s.session_id, s.started_at, s.last_seen_at, s.user_id FROM visitor_sessions s
       JOIN unnest($1::text[], $2::text[]) AS u(w, v) ON s.website_id = u.w AND s.visitor_id = u.v
       ORDER BY s.website_id, s.visitor_id FOR UPDATE OF s`,
      columnArrays(existing, VISIT_COLUMNS.slice(0, 2)),
    );
    for (const r of rows) {
      visits.set(visitorKey(r.website_id, r.visitor_id), { sessionId: r.session_id, startedAt: r.started_at, lastSeenAt: r.last_seen_at, userId: r.user_id });
    }
    return visits;
  }

  /**
   * Stores a batch in one statement, in the transaction of lockVisits: the visitors' new visit
   * state, the sessions' counters, the events, and the rollup change marks of the events' slots
   * and of their visits' starts. The marks' row locks are held until the commit that follows
   * (see migration 0005); a random shard keeps concurrent batches of one website apart.
   */
  async writeBatch(tx: EntityManager, visits: VisitRow[], deltas: SessionDelta[], rows: readonly StoredEvent[]): Promise<void> {
    if (!rows.length) return;
    await prepared(tx, 'footfall_write_locked', WRITE_LOCKED, [...columnArrays(visits, VISIT_COLUMNS), ...batchParams(deltas, rows)]);
  }

  /**
   * Stores a batch in one statement of its own (see WRITE_OPTIMISTIC), given the visit state each
   * visitor had (`was`: none for visitors believed new) and the state to leave. Fails with
   * VISITS_CHANGED, storing nothing, when a visitor row is not as believed.
   */
  async writeOptimistic(visits: BelievedVisit[], deltas: SessionDelta[], rows: readonly StoredEvent[]): Promise<void> {
    const sorted = [...visits].sort(byVisitor);
    const runner = this.db.createQueryRunner();
    try {
      await prepared(runner.manager, 'footfall_write_optimistic', WRITE_OPTIMISTIC, [
        ...columnArrays(sorted.filter((v) => v.was === null), VISIT_COLUMNS),
        ...columnArrays(sorted.filter((v) => v.was !== null), MOVED_COLUMNS),
        ...batchParams(deltas, rows),
        visits.length,
        [...new Set(visits.map((v) => v.websiteId))],
      ]);
    } finally {
      await runner.release();
    }
  }
}

/** Sessions and events as one array literal per column, then the rollup marks of their slots. */
function batchParams(deltas: SessionDelta[], rows: readonly StoredEvent[]): unknown[] {
  return [...columnArrays(deltas, SESSION_COLUMNS), ...columnArrays(rows, EVENT_COLUMNS), ...markParams(rows)];
}

function markParams(rows: readonly StoredEvent[]): unknown[] {
  const slots = new Map<string, Set<number>>();
  for (const r of rows) {
    let set = slots.get(r.websiteId);
    if (!set) slots.set(r.websiteId, (set = new Set()));
    set.add(Math.floor(r.occurredAt.getTime() / ROLLUP_SLOT_MS));
    set.add(Math.floor(r.sessionStartedAt.getTime() / ROLLUP_SLOT_MS));
  }
  const sites: string[] = [];
  const instants: string[] = [];
  for (const [site, set] of slots) {
    for (const slot of set) {
      sites.push(site);
      instants.push(new Date(slot * ROLLUP_SLOT_MS).toISOString());
    }
  }
  return [sites, instants, Math.floor(Math.random() * ROLLUP_MARK_SHARDS)];
}
