import { InvalidationTopic, Invalidations } from './invalidations';

/**
 * A short-lived cache of database rows that forgets an entry as soon as any Footfall process
 * announces a change to it (see Invalidations), and is bypassed while such notices cannot be
 * heard. The time-to-live only bounds what a change made behind Footfall's back can cost.
 */
export class InvalidatedCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  /** Raised by every change heard: a row read before it may already be stale. */
  private generation = 0;

  /**
   * keyed: the announced id is the cache key (websites); otherwise any notice on the topic
   * forgets everything (API keys are cached by hash, announced by id).
   */
  constructor(
    private readonly invalidations: Invalidations,
    topic: InvalidationTopic,
    keyed: boolean,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {
    invalidations.subscribe(topic, (id) => this.forget(keyed ? id : null));
  }

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.invalidations.live ? this.entries.get(key) : undefined;
    if (hit && hit.until > now) return hit.value;
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation && this.invalidations.live) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { value, until: now + this.ttlMs });
    }
    return value;
  }

  /** Forgets one entry, or all (null). */
  forget(key: string | null): void {
    this.generation++;
    if (key === null) this.entries.clear();
    else this.entries.delete(key);
  }
}
