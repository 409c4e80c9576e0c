import { LruCache } from './lru-cache';

describe('LruCache', () => {
  it('never holds more than its capacity', () => {
    const cache = new LruCache<number, number>(10);
    for (let i = 0; i < 1000; i++) cache.set(i, i);
    expect(cache.size).toBeLessThanOrEqual(10);
    expect(cache.get(999)).toBe(999);
    expect(cache.get(0)).toBeUndefined();
  });

  it('keeps an entry that is used while newer ones arrive', () => {
    const cache = new LruCache<string, number>(4);
    cache.set('hot', 1);
    for (let i = 0; i < 100; i++) {
      expect(cache.get('hot')).toBe(1);
      cache.set(`cold${i}`, i);
    }
    expect(cache.get('hot')).toBe(1);
    expect(cache.get('cold0')).toBeUndefined();
  });

  it('replaces a value', () => {
    const cache = new LruCache<string, number>(4);
    cache.set('a', 1);
    cache.set('a', 2);
    expect(cache.get('a')).toBe(2);
    expect(cache.size).toBe(1);
  });

  it('forgets a deleted key in either generation', () => {
    const cache = new LruCache<string, number>(4);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3); // a and b age into the old generation
    cache.delete('a');
    cache.delete('c');
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, undefined]);
  });

  it('rejects a capacity below two', () => {
    expect(() => new LruCache(1)).toThrow(RangeError);
  });
});
