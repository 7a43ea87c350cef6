// Sorted set of store keys (code-unit order) kept as a list of bounded chunks, for prefix scans.
//
// A flat sorted array costs O(n) per insert at 150,000 keys; chunks of at most `chunkSizeMax` keys
// keep inserts and removals at O(log n + chunkSizeMax) while iteration stays a plain array walk.
import { assert } from '../util/assert.js';

const chunkSizeMaxDefault = 512;

/** Index of the first element of the sorted `keys` that is >= key (or > key when `after`). */
function searchSorted(keys: readonly string[], key: string, after: boolean): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const probe = keys[middle]!;
    if (probe < key || (after && probe === key)) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class SortedKeyIndex {
  private chunks: string[][] = [];
  private sizeValue = 0;
  private readonly chunkSizeMax: number;

  constructor(options: { chunkSizeMax?: number } = {}) {
    this.chunkSizeMax = options.chunkSizeMax ?? chunkSizeMaxDefault;
    assert(Number.isInteger(this.chunkSizeMax), 'chunkSizeMax must be an integer');
    assert(this.chunkSizeMax >= 4, 'chunkSizeMax must be at least 4');
  }

  get size(): number {
    return this.sizeValue;
  }

  /** Replaces the content with keys that are already strictly ascending. */
  loadSorted(keys: readonly string[]): void {
    const half = this.chunkSizeMax >>> 1;
    this.chunks = [];
    for (let start = 0; start < keys.length; start += half) {
      this.chunks.push(keys.slice(start, start + half));
    }
    for (let i = 1; i < keys.length; i++) {
      assert(keys[i - 1]! < keys[i]!, 'loadSorted needs strictly ascending keys');
    }
    this.sizeValue = keys.length;
  }

  has(key: string): boolean {
    const chunk = this.chunks[this.chunkFor(key)];
    if (chunk === undefined) return false;
    return chunk[searchSorted(chunk, key, false)] === key;
  }

  insert(key: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.sizeValue = 1;
      return;
    }
    const chunkIndex = Math.min(this.chunkFor(key), this.chunks.length - 1);
    const chunk = this.chunks[chunkIndex]!;
    const position = searchSorted(chunk, key, false);
    assert(chunk[position] !== key, `key "${key}" is already indexed`);
    chunk.splice(position, 0, key);
    this.sizeValue += 1;
    if (chunk.length > this.chunkSizeMax) {
      const half = chunk.length >>> 1;
      this.chunks.splice(chunkIndex, 1, chunk.slice(0, half), chunk.slice(half));
    }
  }

  remove(key: string): void {
    const chunkIndex = this.chunkFor(key);
    const chunk = this.chunks[chunkIndex];
    assert(chunk !== undefined, `key "${key}" is not indexed`);
    const position = searchSorted(chunk, key, false);
    assert(chunk[position] === key, `key "${key}" is not indexed`);
    chunk.splice(position, 1);
    this.sizeValue -= 1;
    this.mergeSmallChunk(chunkIndex);
  }

  /** Keys >= start (or > start when `after`), ascending. Do not mutate the index while iterating. */
  *keysFrom(start: string, after: boolean): Generator<string, void, undefined> {
    let chunkIndex = this.chunkFor(start);
    let position = -1;
    for (; chunkIndex < this.chunks.length; chunkIndex++) {
      const chunk = this.chunks[chunkIndex]!;
      if (position < 0) position = searchSorted(chunk, start, after);
      for (; position < chunk.length; position++) yield chunk[position]!;
      position = 0;
    }
  }

  /** How many keys are < key (or <= key when `inclusive`). O(chunk count). */
  countBelow(key: string, inclusive: boolean): number {
    const chunkIndex = this.chunkFor(key);
    let count = 0;
    for (let i = 0; i < chunkIndex && i < this.chunks.length; i++) count += this.chunks[i]!.length;
    const chunk = this.chunks[chunkIndex];
    if (chunk !== undefined) count += searchSorted(chunk, key, inclusive);
    return count;
  }

  /** Index of the first chunk whose last key is >= key; chunks.length when there is none. */
  private chunkFor(key: string): number {
    let low = 0;
    let high = this.chunks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const chunk = this.chunks[middle]!;
      if (chunk[chunk.length - 1]! < key) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Drops an empty chunk, or joins a small one with its successor when both fit in one. */
  private mergeSmallChunk(chunkIndex: number): void {
    const chunk = this.chunks[chunkIndex]!;
    if (chunk.length === 0) {
      this.chunks.splice(chunkIndex, 1);
      return;
    }
    const next = this.chunks[chunkIndex + 1];
    if (next === undefined || chunk.length > this.chunkSizeMax >>> 2) return;
    if (chunk.length + next.length > this.chunkSizeMax >>> 1) return;
    this.chunks.splice(chunkIndex, 2, chunk.concat(next));
  }
}
