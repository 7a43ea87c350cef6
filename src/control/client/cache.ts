// An informer's local store: frozen objects by `namespace/name` key, with optional indexes.
//
// Like client-go's thread-safe store + Indexer: one map of objects and, per index function, a map
// from index value to keys. Reads never copy: objects are deep-frozen and shared with handlers.
// list(), keys() and byIndex() return key order, so callers iterate deterministically.

import { assert } from '../util/assert.js';
import type { KubeObject } from './types.js';

/** Maps an object to the values it is indexed under (e.g. a pod to `[spec.nodeName]`). */
export type IndexFunction<T> = (object: T) => readonly string[];

/** client-go's MetaNamespaceKeyFunc: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKeyOf(object: KubeObject): string {
  const { namespace, name } = object.metadata;
  assert(typeof name === 'string' && name !== '', 'object has no metadata.name');
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}

/** Splits a key back into namespace ('' for cluster-scoped) and name. */
export function splitObjectKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: '', name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/**
 * Recursively freezes a parsed JSON value in place and returns it; an already frozen part is
 * left as is. Hot path (every watch event): index loops and for-in, no key arrays (a parsed
 * value's objects are plain, with no inherited enumerable keys).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  } else {
    const record = value as Record<string, unknown>;
    for (const key in record) deepFreeze(record[key]);
  }
  return Object.freeze(value);
}

/** What handlers and controllers may do with an informer's store. */
export interface CacheReader<T extends KubeObject> {
  readonly size: number;
  get(key: string): T | undefined;
  /** Every object, in key order. */
  list(): readonly T[];
  keys(): readonly string[];
  /** Objects whose index function returned `value`, in key order; [] for an unknown value. */
  byIndex(indexName: string, value: string): T[];
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class ObjectCache<T extends KubeObject> implements CacheReader<T> {
  private readonly objects = new Map<string, T>();
  private readonly indexers: ReadonlyMap<string, IndexFunction<T>>;
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  /** Sorted keys, rebuilt lazily after a key was added or removed. */
  private sortedKeys: string[] | undefined = [];

  constructor(options: { indexers?: Record<string, IndexFunction<T>> } = {}) {
    this.indexers = new Map(Object.entries(options.indexers ?? {}));
    for (const name of this.indexers.keys()) this.indices.set(name, new Map());
  }

  get size(): number {
    return this.objects.size;
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  keys(): readonly string[] {
    if (this.sortedKeys === undefined) this.sortedKeys = [...this.objects.keys()].sort(compareKeys);
    return this.sortedKeys;
  }

  list(): readonly T[] {
    return this.keys().map((key) => this.objects.get(key) as T);
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indices.get(indexName);
    assert(index !== undefined, `no index named "${indexName}"`);
    const keys = index.get(value);
    if (keys === undefined) return [];
    return [...keys].sort(compareKeys).map((key) => this.objects.get(key) as T);
  }

  /** Stores `object` under `key`; returns the object it replaced. */
  set(key: string, object: T): T | undefined {
    const old = this.objects.get(key);
    this.objects.set(key, object);
    if (old === undefined) this.sortedKeys = undefined;
    if (this.indexers.size > 0) this.reindex(key, old, object);
    return old;
  }

  /** Removes `key`; returns the object it held. */
  delete(key: string): T | undefined {
    const old = this.objects.get(key);
    if (old === undefined) return undefined;
    this.objects.delete(key);
    this.sortedKeys = undefined;
    if (this.indexers.size > 0) this.reindex(key, old, undefined);
    return old;
  }

  private reindex(key: string, old: T | undefined, next: T | undefined): void {
    for (const [name, indexFunction] of this.indexers) {
      const index = this.indices.get(name) as Map<string, Set<string>>;
      const before = old === undefined ? [] : indexFunction(old);
      const after = next === undefined ? [] : indexFunction(next);
      for (const value of before) {
        if (after.includes(value)) continue;
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
      for (const value of after) {
        let keys = index.get(value);
        if (keys === undefined) index.set(value, (keys = new Set()));
        keys.add(key);
      }
    }
  }
}
