// Tests of the LRU map: recency on get and add, eviction of the least recently used.

import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';

describe('LruCache', () => {
  it('evicts the least recently added entry past capacity', () => {
    const cache = new LruCache<number>({ capacity: 2 });
    cache.add('a', 1);
    cache.add('b', 2);
    cache.add('c', 3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('counts a get as a use, so a read entry survives the next eviction', () => {
    const cache = new LruCache<number>({ capacity: 2 });
    cache.add('a', 1);
    cache.add('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.add('c', 3);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('b')).toBeUndefined();
  });

  it('replaces a value and marks it used', () => {
    const cache = new LruCache<number>({ capacity: 2 });
    cache.add('a', 1);
    cache.add('b', 2);
    cache.add('a', 10);
    cache.add('c', 3);
    expect(cache.get('a')).toBe(10);
    expect(cache.get('b')).toBeUndefined();
  });

  it('rejects a capacity below one', () => {
    expect(() => new LruCache<number>({ capacity: 0 })).toThrow(/at least 1/);
  });
});
