/**
 * A bounded cache that keeps recently used entries (an approximate LRU in two generations).
 * New and re-used entries go to the young map; when it is full it becomes the old map and the
 * previous old map is dropped. Hits never delete from a Map: in V8, delete+set on a large Map
 * costs time proportional to its size, which made an exact Map-based LRU ~100x slower.
 */
export class LruCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly generationSize: number;

  /** Holds at most `capacity` entries (two generations of capacity / 2). */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError('LruCache capacity must be an integer of at least 2');
    this.generationSize = Math.floor(capacity / 2);
  }

  /** Entries held, counting one that sits in both generations twice. */
  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: K): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const aged = this.old.get(key);
    if (aged !== undefined) this.addYoung(key, aged);
    return aged;
  }

  /** Forgets the key (rare: a Map delete costs more than a get or set, see above). */
  delete(key: K): void {
    this.young.delete(key);
    this.old.delete(key);
  }

  set(key: K, value: V): void {
    if (this.young.has(key)) this.young.set(key, value);
    else this.addYoung(key, value);
  }

  private addYoung(key: K, value: V): void {
    this.young.set(key, value);
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}
