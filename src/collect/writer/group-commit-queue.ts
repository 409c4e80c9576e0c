/** How a GroupCommitQueue gathers requests into commits. */
export interface GroupCommitOptions {
  /** Most items in one commit; a larger request is committed on its own. */
  maxBatch: number;
  /** How long to wait for more requests before committing (0: next turn of the event loop). */
  flushIntervalMs: number;
  /** Items waiting beyond which a request is refused at once (shed). */
  maxQueue: number;
  /** Commits in flight at once. */
  concurrency: number;
}

/** A commit's answer for one request of its batch. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** Counters for /metrics. */
export interface QueueStats {
  /** Items waiting for a commit. */
  queued: number;
  /** Commits done, and the items of their batches (requests the commit refused included). */
  batches: number;
  items: number;
  lastBatchSize: number;
  lastFlushMs: number;
  flushMsTotal: number;
  /** Requests refused because the queue was full. */
  shed: number;
}

/** Commits a batch: one request's items per element; answers each request, in order. */
export type Commit<T, R> = (requests: T[][]) => Promise<Settled<R>[]>;

interface Pending<T, R> {
  items: T[];
  resolve(value: R): void;
  reject(err: unknown): void;
}

/**
 * Group commit: requests arriving together are committed together, in batches of at most
 * maxBatch items, and each request is answered only once the commit holding it has ended.
 * Beyond maxQueue waiting items a request is refused (with the error `full` makes) instead of queued.
 */
export class GroupCommitQueue<T, R> {
  private readonly queue: Pending<T, R>[] = [];
  private queued = 0;
  private inflight = 0;
  private timer: NodeJS.Timeout | null = null;
  private idle: (() => void)[] = [];
  readonly stats: QueueStats = { queued: 0, batches: 0, items: 0, lastBatchSize: 0, lastFlushMs: 0, flushMsTotal: 0, shed: 0 };

  constructor(
    private readonly options: GroupCommitOptions,
    private readonly commit: Commit<T, R>,
    private readonly full: () => Error,
  ) {}

  push(items: T[]): Promise<R> {
    if (this.queued + items.length > this.options.maxQueue) {
      this.stats.shed++;
      return Promise.reject(this.full());
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      this.queued += items.length;
      this.stats.queued = this.queued;
      this.schedule();
    });
  }

  /** Resolves once nothing is queued or being committed. */
  async drain(): Promise<void> {
    if (!this.queue.length && !this.inflight) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.timer || this.inflight >= this.options.concurrency || !this.queue.length) return;
    const full = this.queued >= this.options.maxBatch;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, full ? 0 : this.options.flushIntervalMs);
  }

  private async flush(): Promise<void> {
    const batch: Pending<T, R>[] = [];
    let size = 0;
    while (this.queue.length && (size === 0 || size + this.queue[0].items.length <= this.options.maxBatch)) {
      const p = this.queue.shift()!;
      batch.push(p);
      size += p.items.length;
    }
    if (!batch.length) return;
    this.queued -= size;
    this.stats.queued = this.queued;
    this.inflight++;
    this.schedule();
    const started = Date.now();
    try {
      const settled = await this.commit(batch.map((p) => p.items));
      batch.forEach((p, i) => {
        const s = settled[i];
        if (s.ok) p.resolve(s.value);
        else p.reject(s.error);
      });
      this.stats.batches++;
      this.stats.items += size;
      this.stats.lastBatchSize = size;
      this.stats.lastFlushMs = Date.now() - started;
      this.stats.flushMsTotal += this.stats.lastFlushMs;
    } catch (err) {
      batch.forEach((p) => p.reject(err));
    } finally {
      this.inflight--;
      this.schedule();
      if (!this.queue.length && !this.inflight) this.idle.splice(0).forEach((r) => r());
    }
  }
}
