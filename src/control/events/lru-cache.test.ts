// Tests of the LRU map: recency on get and add, eviction of the least recently used.

import fc from 'fast-check';
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

  it('agrees with a recency-ordered map model after any gets and adds', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('get' as const), key: fc.nat(7) }),
      fc.record({ kind: fc.constant('add' as const), key: fc.nat(7), value: fc.nat(99) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 80 }), (cap, ops) => {
        const cache = new LruCache<number>({ capacity: cap });
        // Model: Map insertion order is recency order, the first key the least recently used.
        const model = new Map<string, number>();
        for (const o of ops) {
          const key = `k${o.key}`;
          if (o.kind === 'get') {
            const value = model.get(key);
            if (value !== undefined) {
              model.delete(key);
              model.set(key, value);
            }
            expect(cache.get(key)).toBe(value);
          } else {
            model.delete(key);
            model.set(key, o.value);
            if (model.size > cap) model.delete(model.keys().next().value as string);
            cache.add(key, o.value);
          }
          expect(cache.size).toBe(model.size);
        }
        for (const [key, value] of model) expect(cache.get(key)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});
