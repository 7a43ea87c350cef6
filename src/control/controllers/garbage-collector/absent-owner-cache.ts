// The owners known not to exist (upstream ReferenceCache: an LRU of 500 identities), shared by
// the graph builder (owners whose deletion it observed) and the collector (owners a GET missed).
import { assert } from '../../util/assert.js';
import type { ObjectIdentity } from './references.js';
import { identityKey } from './references.js';

export class AbsentOwnerCache {
  readonly #sizeMax: number;
  /** Keys in recency order: the first is the least recently used. */
  readonly #keys = new Set<string>();

  constructor(options: { sizeMax?: number } = {}) {
    this.#sizeMax = options.sizeMax ?? 500;
    assert(Number.isSafeInteger(this.#sizeMax) && this.#sizeMax > 0, 'sizeMax must be positive');
  }

  get size(): number {
    return this.#keys.size;
  }

  add(identity: ObjectIdentity): void {
    const key = identityKey(identity);
    this.#keys.delete(key);
    this.#keys.add(key);
    if (this.#keys.size <= this.#sizeMax) return;
    const oldest = this.#keys.values().next().value as string;
    this.#keys.delete(oldest);
  }

  /** Whether the identity is known absent; a hit counts as a use, as golang-lru's Get. */
  has(identity: ObjectIdentity): boolean {
    const key = identityKey(identity);
    if (!this.#keys.has(key)) return false;
    this.#keys.delete(key);
    this.#keys.add(key);
    return true;
  }
}
