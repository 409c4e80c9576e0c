import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { EnrichedEvent } from '../../enrichment/enriched-event';
import { IngestFailure } from '../ingest-error';
import { ingestErrorOf, isDataError } from '../unexpected-error';
import { LruCache } from '../../enrichment/lru-cache';
import { BelievedVisit, eventKeyOf, EventsRepository, ID_BLOCK, VisitRow, VISITS_CHANGED } from './events.repository';
import { assignSessions, SessionAssignment, visitorKey, VisitState } from './sessionizer';
import { sessionDeltas, StoredEvent } from './stored-event';

/** Per input event: its id, whether it was a retry of an already stored event, and its visit. */
export interface WriteOutcome {
  ids: string[];
  duplicate: boolean[];
  /** The visit (session id) each event was stored in; null for a retry of an event stored by an earlier request. */
  sessionIds: (string | null)[];
}

interface Pending {
  events: EnrichedEvent[];
  resolve(outcome: WriteOutcome): void;
  reject(err: unknown): void;
}

/** Counters for /metrics. */
export interface WriterStats {
  queuedEvents: number;
  batches: number;
  eventsWritten: number;
  lastBatchSize: number;
  lastFlushMs: number;
  flushMsTotal: number;
  shed: number;
  failures: number;
  /** Batches stored in one statement, and batches that took the locked path (keys, or a visitor changed). */
  optimistic: number;
  locked: number;
}

const RETRYABLE = new Set(['40P01', '40001']); // deadlock, serialization failure
// Lost races to create a partition: duplicate_table, unique_violation (on pg_type), deadlock.
const PARTITION_RACE = new Set(['42P07', '23505', '40P01']);
// Remembered visit states are kept as one short string each: far fewer objects for the GC than
// a state object with two Dates, for up to WRITER_VISIT_CACHE visitors. The user id, which may
// hold spaces, comes last, after a marker that tells an empty one from none.
const packVisit = (s: VisitState) => `${s.sessionId} ${s.startedAt.getTime()} ${s.lastSeenAt.getTime()}${s.userId === null ? '' : ` =${s.userId}`}`;
function unpackVisit(packed: string): VisitState {
  const [sessionId, startedAt, lastSeenAt] = packed.split(' ', 3);
  const user = packed.indexOf(' =');
  return { sessionId, startedAt: new Date(Number(startedAt)), lastSeenAt: new Date(Number(lastSeenAt)), userId: user < 0 ? null : packed.slice(user + 2) };
}
const keyOf = (e: EnrichedEvent) => eventKeyOf(e.websiteId, e.eventKey!);

/** Websites deleted after their events were accepted, before they were stored. */
class WebsitesGone extends Error {
  readonly ids: ReadonlySet<string>;
  constructor(ids: string[]) {
    super(`websites deleted meanwhile: ${ids.join(', ')}`);
    this.ids = new Set(ids);
  }
}

/**
 * Group commit: events of concurrent requests are written together, one transaction per batch,
 * and each request is answered only after the transaction holding its events has committed.
 * Beyond WRITER_MAX_QUEUE queued events, requests are shed (503 + Retry-After) instead of queued.
 */
@Injectable()
export class EventWriter implements OnApplicationShutdown {
  private readonly logger = new Logger(EventWriter.name);
  private readonly queue: Pending[] = [];
  private queuedEvents = 0;
  private inflight = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Months (year * 12 + month, UTC) whose partitions are known to exist. */
  private readonly partitions = new Set<number>();
  private nextId = 0n;
  private blockEnd = 0n;
  private idle: (() => void)[] = [];
  /**
   * The visit state this process last stored for each visitor. A batch whose visitors are all
   * here, or new, is stored in one statement that checks the rows are still so (another instance,
   * an erasure or a concurrent batch may have changed them); otherwise the locked path runs.
   */
  private readonly visits: LruCache<string, string> | null;
  readonly stats: WriterStats = {
    queuedEvents: 0, batches: 0, eventsWritten: 0, lastBatchSize: 0, lastFlushMs: 0, flushMsTotal: 0, shed: 0, failures: 0, optimistic: 0, locked: 0,
  };

  constructor(
    private readonly repo: EventsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.visits = config.writer.visitCache > 0 ? new LruCache(Math.max(2, config.writer.visitCache)) : null;
  }

  write(events: EnrichedEvent[]): Promise<WriteOutcome> {
    // Nothing to store (every event of a request dropped by its website's shields): nothing to wait for.
    if (!events.length) return Promise.resolve({ ids: [], duplicate: [], sessionIds: [] });
    if (this.queuedEvents + events.length > this.config.writer.maxQueue) {
      this.stats.shed++;
      return Promise.reject(new IngestFailure({ code: 'overloaded', message: 'Too many events are waiting to be stored; retry shortly', retryAfter: 2 }));
    }
    return new Promise<WriteOutcome>((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.queuedEvents += events.length;
      this.stats.queuedEvents = this.queuedEvents;
      this.schedule();
    });
  }

  /** Resolves once nothing is queued or being written. */
  async drain(): Promise<void> {
    if (!this.queue.length && !this.inflight) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  private schedule(): void {
    if (this.timer || this.inflight >= this.config.writer.concurrency || !this.queue.length) return;
    const full = this.queuedEvents >= this.config.writer.maxBatch;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, full ? 0 : this.config.writer.flushIntervalMs);
  }

  private async flush(): Promise<void> {
    const batch: Pending[] = [];
    let size = 0;
    while (this.queue.length && (size === 0 || size + this.queue[0].events.length <= this.config.writer.maxBatch)) {
      const p = this.queue.shift()!;
      batch.push(p);
      size += p.events.length;
    }
    if (!batch.length) return;
    this.queuedEvents -= size;
    this.stats.queuedEvents = this.queuedEvents;
    this.inflight++;
    this.schedule();
    const started = Date.now();
    try {
      await this.persistOrSplit(batch);
      this.stats.batches++;
      this.stats.eventsWritten += size;
      this.stats.lastBatchSize = size;
      this.stats.lastFlushMs = Date.now() - started;
      this.stats.flushMsTotal += this.stats.lastFlushMs;
    } finally {
      this.inflight--;
      this.schedule();
      if (!this.queue.length && !this.inflight) this.idle.splice(0).forEach((r) => r());
    }
  }

  /**
   * A data error in a shared batch must fail only the request that caused it; so must a website
   * deleted while its events were on the way (the others' events are stored).
   */
  private async persistOrSplit(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await this.persistWithRetry(batch.map((p) => p.events));
      batch.forEach((p, i) => p.resolve(outcomes[i]));
    } catch (err) {
      if (err instanceof WebsitesGone) {
        const rest = batch.filter((p) => {
          const gone = p.events.find((e) => err.ids.has(e.websiteId));
          if (gone) p.reject(new IngestFailure({ code: 'unknown_website', message: `Unknown website_id: ${gone.websiteId}`, websiteId: gone.websiteId }));
          return !gone;
        });
        if (rest.length) await this.persistOrSplit(rest);
        return;
      }
      if (batch.length > 1 && isDataError(err)) {
        for (const p of batch) await this.persistOrSplit([p]);
        return;
      }
      this.stats.failures++;
      this.logger.warn(`writing ${batch.length} request(s) failed: ${(err as Error).message}`);
      const failure = new IngestFailure(ingestErrorOf(err));
      batch.forEach((p) => p.reject(failure));
    }
  }

  private async persistWithRetry(requests: EnrichedEvent[][]): Promise<WriteOutcome[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.persist(requests);
      } catch (err) {
        if (attempt >= 2 || !RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
      }
    }
  }

  private async persist(requests: EnrichedEvent[][]): Promise<WriteOutcome[]> {
    const all = requests.flat();
    // A key repeated inside the batch is stored once; later copies answer with the first's id.
    const firstOfKey = new Map<string, number>();
    const unique: number[] = [];
    all.forEach((e, i) => {
      if (e.eventKey === null) return unique.push(i);
      const k = keyOf(e);
      if (!firstOfKey.has(k)) {
        firstOfKey.set(k, i);
        unique.push(i);
      }
    });
    const ids = await this.takeIds(unique.length);
    const idOf = new Map<number, string>(unique.map((i, n) => [i, ids[n]]));
    await this.ensurePartitions(unique.map((i) => all[i].occurredAt));

    // Idempotency keys are claimed in the same transaction as their events: the locked path.
    const keyed = unique.filter((i) => all[i].eventKey !== null);
    let existing = new Map<string, string>();
    if (keyed.length || !this.visits || !(await this.storeOptimistic(unique.map((i) => ({ event: all[i], id: idOf.get(i)! }))))) {
      this.stats.locked++;
      let visits = new Map<string, VisitState>();
      existing = await this.repo.transaction(async (tx) => {
        const gone = await this.repo.lockWebsites(tx, [...new Set(unique.map((i) => all[i].websiteId))]);
        if (gone.length) throw new WebsitesGone(gone);
        const taken = await this.repo.claimKeys(tx, keyed.map((i) => ({ websiteId: all[i].websiteId, key: all[i].eventKey!, id: idOf.get(i)! })));
        const fresh = unique.filter((i) => all[i].eventKey === null || !taken.has(keyOf(all[i])));
        if (fresh.length) visits = await this.store(tx, fresh.map((i) => ({ event: all[i], id: idOf.get(i)! })));
        return taken;
      });
      for (const [k, state] of visits) this.visits?.set(k, packVisit(state));
    } else {
      this.stats.optimistic++;
    }

    const outcomes: WriteOutcome[] = [];
    let offset = 0;
    for (const events of requests) {
      const o: WriteOutcome = { ids: [], duplicate: [], sessionIds: [] };
      events.forEach((e, j) => {
        const i = offset + j;
        const k = e.eventKey === null ? null : keyOf(e);
        const prior = k === null ? undefined : existing.get(k);
        const first = k === null ? i : firstOfKey.get(k)!;
        o.ids.push(prior ?? idOf.get(first)!);
        o.duplicate.push(prior !== undefined || first !== i);
        // Stored events were completed in place (complete()); an earlier request's are not looked up.
        o.sessionIds.push(prior === undefined ? ((all[first] as Partial<StoredEvent>).sessionId ?? null) : null);
      });
      offset += events.length;
      outcomes.push(o);
    }
    return outcomes;
  }

  /**
   * One statement, no lock taken first, when every visitor's state is known (remembered) or
   * believed new. Returns false, having stored nothing, when a visitor row was not as believed.
   */
  private async storeOptimistic(items: { event: EnrichedEvent; id: string }[]): Promise<boolean> {
    const cache = this.visits!;
    // Each visitor of the batch, with the state this instance remembers (null: never seen).
    const was = new Map<string, { websiteId: string; visitorId: string; state: VisitState | null }>();
    const known = new Map<string, VisitState>();
    for (const { event } of items) {
      const k = visitorKey(event.websiteId, event.visitorId);
      if (was.has(k)) continue;
      const packed = cache.get(k);
      const state = packed === undefined ? null : unpackVisit(packed);
      was.set(k, { websiteId: event.websiteId, visitorId: event.visitorId, state });
      if (state) known.set(k, state);
    }
    const { assignments, states } = assignSessions(items.map((x) => x.event), known);
    const rows = this.complete(items, assignments);
    await this.ensurePartitions(rows.map((r) => r.sessionStartedAt));
    // The state to leave: a visitor believed new always has one; a known one may keep its own.
    const believed = new Map<string, BelievedVisit>();
    for (const [k, v] of was) believed.set(k, { websiteId: v.websiteId, visitorId: v.visitorId, was: v.state, state: (states.get(k) ?? v.state)! });
    try {
      await this.repo.writeOptimistic([...believed.values()], sessionDeltas(rows), rows);
    } catch (err) {
      if ((err as { code?: string }).code !== VISITS_CHANGED) throw err;
      for (const k of believed.keys()) cache.delete(k);
      return false;
    }
    for (const [k, v] of believed) cache.set(k, packVisit(v.state));
    return true;
  }

  /**
   * The writer owns these events now: completing them in place spares a copy of every event. Their
   * own fields stay as they came, so a batch written again (another path, a retry) starts afresh.
   */
  private complete(items: { event: EnrichedEvent; id: string }[], assignments: SessionAssignment[]): StoredEvent[] {
    return items.map((x, n) => {
      const a = assignments[n];
      return Object.assign(x.event, { id: x.id, sessionId: a.sessionId, sessionStartedAt: a.startedAt, storedUserId: a.userId }) as StoredEvent;
    });
  }

  /** The locked path: locks (or creates) the visitors' rows, then stores. Returns each visitor's state after. */
  private async store(tx: Parameters<Parameters<EventsRepository['transaction']>[0]>[0], items: { event: EnrichedEvent; id: string }[]): Promise<Map<string, VisitState>> {
    const initial = new Map<string, VisitRow>();
    for (const { event } of [...items].sort((a, b) => a.event.occurredAt.getTime() - b.event.occurredAt.getTime())) {
      const k = visitorKey(event.websiteId, event.visitorId);
      if (!initial.has(k)) {
        const state = { sessionId: crypto.randomUUID(), startedAt: event.occurredAt, lastSeenAt: event.occurredAt, userId: event.userId };
        initial.set(k, { websiteId: event.websiteId, visitorId: event.visitorId, state });
      }
    }
    const stored = await this.repo.lockVisits(tx, [...initial.values()]);
    const { assignments, states } = assignSessions(items.map((x) => x.event), stored);
    const rows = this.complete(items, assignments);
    await this.ensurePartitions(rows.map((r) => r.sessionStartedAt));
    const after = new Map([...stored].map(([k, s]) => [k, states.get(k) ?? s]));
    // A visitor seen once in this batch keeps the row just inserted: nothing to write back.
    for (const [k, s] of states) {
      const before = stored.get(k);
      const same = before && before.sessionId === s.sessionId && +before.startedAt === +s.startedAt && +before.lastSeenAt === +s.lastSeenAt;
      if (same && before.userId === s.userId) states.delete(k);
    }
    const changed = [...states].map(([k, state]) => ({ ...initial.get(k)!, state }));
    await this.repo.writeBatch(tx, changed, sessionDeltas(rows), rows);
    return after;
  }

  /** Event ids come from blocks reserved from the sequence, one round trip per ID_BLOCK events. */
  private async takeIds(n: number): Promise<string[]> {
    const ids: string[] = [];
    while (ids.length < n) {
      if (this.nextId >= this.blockEnd) {
        this.nextId = await this.repo.reserveIdBlock();
        this.blockEnd = this.nextId + ID_BLOCK;
      }
      ids.push(String(this.nextId++));
    }
    return ids;
  }

  private async ensurePartitions(dates: Date[]): Promise<void> {
    for (const d of dates) {
      const month = d.getUTCFullYear() * 12 + d.getUTCMonth();
      if (this.partitions.has(month)) continue;
      for (let attempt = 0; ; attempt++) {
        try {
          await this.repo.ensurePartitions(d);
          break;
        } catch (err) {
          // Another connection created it at the same moment: it exists now, which is all we need.
          if (attempt >= 2 || !PARTITION_RACE.has((err as { code?: string }).code ?? '')) throw err;
        }
      }
      this.partitions.add(month);
    }
  }
}
