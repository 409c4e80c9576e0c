import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { EnrichedEvent } from '../../enrichment/enriched-event';
import { IngestFailure } from '../ingest-error';
import { ingestErrorOf, isDataError } from '../unexpected-error';
import { EventIds } from './event-ids';
import { EventPartitions } from './event-partitions';
import { BelievedVisit, eventKeyOf, EventsRepository, VisitRow, VISITS_CHANGED } from './events.repository';
import { GroupCommitQueue, Settled } from './group-commit-queue';
import { assignSessions, SessionAssignment, visitorKey, VisitState } from './sessionizer';
import { sessionDeltas, StoredEvent } from './stored-event';
import { VisitStateCache } from './visit-state-cache';

/** Per input event: its id, whether it was a retry of an already stored event, and its visit. */
export interface WriteOutcome {
  ids: string[];
  duplicate: boolean[];
  /** The visit (session id) each event was stored in; null for a retry of an event stored by an earlier request. */
  sessionIds: (string | null)[];
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

type Transaction = Parameters<Parameters<EventsRepository['transaction']>[0]>[0];
/** An event of a batch with the id it will be stored under. */
type Item = { event: EnrichedEvent; id: string };

const RETRYABLE = new Set(['40P01', '40001']); // deadlock, serialization failure
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
 * Stores enriched events: concurrent requests share one transaction (GroupCommitQueue), each
 * answered only after it has committed; beyond WRITER_MAX_QUEUE queued events, requests are shed
 * (503 + Retry-After). A batch is stored in one statement when its visitors' states are
 * remembered (VisitStateCache) or new, else after locking their rows.
 */
@Injectable()
export class EventWriter implements OnApplicationShutdown {
  private readonly logger = new Logger(EventWriter.name);
  private readonly queue: GroupCommitQueue<EnrichedEvent, WriteOutcome>;
  private readonly ids: EventIds;
  private readonly partitions: EventPartitions;
  private readonly visits: VisitStateCache | null;
  private readonly counts = { failures: 0, optimistic: 0, locked: 0 };

  constructor(
    private readonly repo: EventsRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.queue = new GroupCommitQueue(
      config.writer,
      (requests) => this.commit(requests),
      () => new IngestFailure({ code: 'overloaded', message: 'Too many events are waiting to be stored; retry shortly', retryAfter: 2 }),
    );
    this.ids = new EventIds(repo);
    this.partitions = new EventPartitions(repo);
    this.visits = config.writer.visitCache > 0 ? new VisitStateCache(config.writer.visitCache) : null;
  }

  get stats(): WriterStats {
    const q = this.queue.stats;
    return {
      queuedEvents: q.queued, batches: q.batches, eventsWritten: q.items, lastBatchSize: q.lastBatchSize, lastFlushMs: q.lastFlushMs,
      flushMsTotal: q.flushMsTotal, shed: q.shed, ...this.counts,
    };
  }

  write(events: EnrichedEvent[]): Promise<WriteOutcome> {
    // Nothing to store (every event of a request dropped by its website's shields): nothing to wait for.
    if (!events.length) return Promise.resolve({ ids: [], duplicate: [], sessionIds: [] });
    return this.queue.push(events);
  }

  /** Resolves once nothing is queued or being written. */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  private async commit(requests: EnrichedEvent[][]): Promise<Settled<WriteOutcome>[]> {
    const settled = new Array<Settled<WriteOutcome>>(requests.length);
    await this.persistOrSplit(requests.map((events, index) => ({ events, index })), settled);
    return settled;
  }

  /**
   * A data error in a shared batch must fail only the request that caused it; so must a website
   * deleted while its events were on the way (the others' events are stored).
   */
  private async persistOrSplit(batch: { events: EnrichedEvent[]; index: number }[], settled: Settled<WriteOutcome>[]): Promise<void> {
    try {
      const outcomes = await this.persistWithRetry(batch.map((r) => r.events));
      batch.forEach((r, i) => (settled[r.index] = { ok: true, value: outcomes[i] }));
    } catch (err) {
      if (err instanceof WebsitesGone) {
        const rest = batch.filter((r) => {
          const gone = r.events.find((e) => err.ids.has(e.websiteId));
          if (gone) settled[r.index] = { ok: false, error: new IngestFailure({ code: 'unknown_website', message: `Unknown website_id: ${gone.websiteId}`, websiteId: gone.websiteId }) };
          return !gone;
        });
        if (rest.length) await this.persistOrSplit(rest, settled);
        return;
      }
      if (batch.length > 1 && isDataError(err)) {
        for (const r of batch) await this.persistOrSplit([r], settled);
        return;
      }
      this.counts.failures++;
      this.logger.warn(`writing ${batch.length} request(s) failed: ${(err as Error).message}`);
      const error = new IngestFailure(ingestErrorOf(err));
      batch.forEach((r) => (settled[r.index] = { ok: false, error }));
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
    const ids = await this.ids.take(unique.length);
    const idOf = new Map<number, string>(unique.map((i, n) => [i, ids[n]]));
    await this.partitions.ensure(unique.map((i) => all[i].occurredAt));

    // Idempotency keys are claimed in the same transaction as their events: the locked path.
    const keyed = unique.filter((i) => all[i].eventKey !== null);
    let existing = new Map<string, string>();
    if (keyed.length || !this.visits || !(await this.storeOptimistic(this.visits, unique.map((i) => ({ event: all[i], id: idOf.get(i)! }))))) {
      this.counts.locked++;
      let visits = new Map<string, VisitState>();
      existing = await this.repo.transaction(async (tx) => {
        const gone = await this.repo.lockWebsites(tx, [...new Set(unique.map((i) => all[i].websiteId))]);
        if (gone.length) throw new WebsitesGone(gone);
        const taken = await this.repo.claimKeys(tx, keyed.map((i) => ({ websiteId: all[i].websiteId, key: all[i].eventKey!, id: idOf.get(i)! })));
        const fresh = unique.filter((i) => all[i].eventKey === null || !taken.has(keyOf(all[i])));
        if (fresh.length) visits = await this.storeLocked(tx, fresh.map((i) => ({ event: all[i], id: idOf.get(i)! })));
        return taken;
      });
      this.visits?.remember(visits);
    } else {
      this.counts.optimistic++;
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
   * One statement, no lock taken first, when every visitor's state is remembered or believed new.
   * Returns false, having stored nothing, when a visitor row was not as believed.
   */
  private async storeOptimistic(cache: VisitStateCache, items: Item[]): Promise<boolean> {
    const recalled = cache.recall(items.map((x) => x.event));
    const known = new Map<string, VisitState>();
    for (const [k, v] of recalled) if (v.state) known.set(k, v.state);
    const { assignments, states } = assignSessions(items.map((x) => x.event), known);
    const rows = this.complete(items, assignments);
    await this.partitions.ensure(rows.map((r) => r.sessionStartedAt));
    // The state to leave: a visitor believed new always has one; a known one may keep its own.
    const believed = new Map<string, BelievedVisit>();
    for (const [k, v] of recalled) believed.set(k, { websiteId: v.websiteId, visitorId: v.visitorId, was: v.state, state: (states.get(k) ?? v.state)! });
    try {
      await this.repo.writeOptimistic([...believed.values()], sessionDeltas(rows), rows);
    } catch (err) {
      if ((err as { code?: string }).code !== VISITS_CHANGED) throw err;
      cache.forget(believed.keys());
      return false;
    }
    cache.remember([...believed].map(([k, v]) => [k, v.state]));
    return true;
  }

  /**
   * The writer owns these events now: completing them in place spares a copy of every event. Their
   * own fields stay as they came, so a batch written again (another path, a retry) starts afresh.
   */
  private complete(items: Item[], assignments: SessionAssignment[]): StoredEvent[] {
    return items.map((x, n) => {
      const a = assignments[n];
      return Object.assign(x.event, { id: x.id, sessionId: a.sessionId, sessionStartedAt: a.startedAt, storedUserId: a.userId }) as StoredEvent;
    });
  }

  /** The locked path: locks (or creates) the visitors' rows, then stores. Returns each visitor's state after. */
  private async storeLocked(tx: Transaction, items: Item[]): Promise<Map<string, VisitState>> {
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
    await this.partitions.ensure(rows.map((r) => r.sessionStartedAt));
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
}
