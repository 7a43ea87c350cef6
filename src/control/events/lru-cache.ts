// A bounded least-recently-used map, as k8s.io/utils/lru: get and add both mark an entry used.

import { assert } from '../util/assert.js';

export class LruCache<V> {
  readonly capacity: number;
  /** Map order is recency order: the first key is the least recently used. */
  private readonly entries = new Map<string, V>();

  constructor(options: { capacity: number }) {
    assert(Number.isSafeInteger(options.capacity), 'LRU capacity must be an integer');
    assert(options.capacity >= 1, `LRU capacity must be at least 1, got ${options.capacity}`);
    this.capacity = options.capacity;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Inserts or replaces; evicts the least recently used entry past capacity. */
  add(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size <= this.capacity) return;
    const oldest = this.entries.keys().next();
    if (oldest.done !== true) this.entries.delete(oldest.value);
  }
}
