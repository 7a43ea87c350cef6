// A bounded least-recently-used map, as k8s.io/utils/lru: get and add both mark an entry used.
//
// A map from key to node plus a doubly linked recency list (as groupcache's lru, which
// k8s.io/utils/lru wraps): a use relinks one node and an eviction unlinks the tail, both O(1).
// (Re-inserting into a Map to track recency instead leaves deleted slots at the front of its
// table that every oldest-key lookup has to step over.)

import { assert } from '../util/assert.js';

interface LruNode<V> {
  key: string;
  value: V;
  /** Towards the most recently used end; undefined at the head. */
  newer: LruNode<V> | undefined;
  /** Towards the least recently used end; undefined at the tail. */
  older: LruNode<V> | undefined;
}

export class LruCache<V> {
  readonly capacity: number;
  private readonly nodes = new Map<string, LruNode<V>>();
  /** Most recently used. */
  private head: LruNode<V> | undefined;
  /** Least recently used: the next to be evicted. */
  private tail: LruNode<V> | undefined;

  constructor(options: { capacity: number }) {
    assert(Number.isSafeInteger(options.capacity), 'LRU capacity must be an integer');
    assert(options.capacity >= 1, `LRU capacity must be at least 1, got ${options.capacity}`);
    this.capacity = options.capacity;
  }

  get size(): number {
    return this.nodes.size;
  }

  get(key: string): V | undefined {
    const node = this.nodes.get(key);
    if (node === undefined) return undefined;
    this.moveToHead(node);
    return node.value;
  }

  /** Inserts or replaces; evicts the least recently used entry past capacity. */
  add(key: string, value: V): void {
    const existing = this.nodes.get(key);
    if (existing !== undefined) {
      existing.value = value;
      this.moveToHead(existing);
      return;
    }
    const node: LruNode<V> = { key, value, newer: undefined, older: undefined };
    this.nodes.set(key, node);
    this.linkAtHead(node);
    if (this.nodes.size > this.capacity) this.evictTail();
  }

  private moveToHead(node: LruNode<V>): void {
    if (node === this.head) return;
    this.unlink(node);
    this.linkAtHead(node);
  }

  private linkAtHead(node: LruNode<V>): void {
    node.newer = undefined;
    node.older = this.head;
    if (this.head !== undefined) this.head.newer = node;
    this.head = node;
    if (this.tail === undefined) this.tail = node;
  }

  private unlink(node: LruNode<V>): void {
    if (node.newer !== undefined) node.newer.older = node.older;
    else this.head = node.older;
    if (node.older !== undefined) node.older.newer = node.newer;
    else this.tail = node.newer;
    node.newer = undefined;
    node.older = undefined;
  }

  private evictTail(): void {
    const oldest = this.tail;
    if (oldest === undefined) return;
    this.unlink(oldest);
    this.nodes.delete(oldest.key);
  }
}
