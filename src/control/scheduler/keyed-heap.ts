// A binary heap with removal and replacement by key (the scheduling queue's activeQ and backoffQ).

/** One element: its slot in the heap array is kept on it, so a sift writes no map. */
interface Entry<T> {
  readonly key: string;
  value: T;
  slot: number;
}

/** A binary heap with removal by key. */
export class KeyedHeap<T> {
  readonly #items: Entry<T>[] = [];
  readonly #byKey = new Map<string, Entry<T>>();
  readonly #less: (a: T, b: T) => boolean;

  constructor(options: { less: (a: T, b: T) => boolean }) {
    this.#less = options.less;
  }

  get size(): number {
    return this.#items.length;
  }

  has(key: string): boolean {
    return this.#byKey.has(key);
  }

  get(key: string): T | undefined {
    return this.#byKey.get(key)?.value;
  }

  peek(): T | undefined {
    return this.#items[0]?.value;
  }

  /** Adds or replaces the value under `key`. */
  push(key: string, value: T): void {
    const entry = this.#byKey.get(key);
    if (entry !== undefined) {
      entry.value = value;
      this.#fix(entry.slot);
      return;
    }
    const added: Entry<T> = { key, value, slot: this.#items.length };
    this.#items.push(added);
    this.#byKey.set(key, added);
    this.#up(added.slot);
  }

  pop(): T | undefined {
    const top = this.#items[0];
    if (top === undefined) return undefined;
    this.delete(top.key);
    return top.value;
  }

  delete(key: string): T | undefined {
    const removed = this.#byKey.get(key);
    if (removed === undefined) return undefined;
    const i = removed.slot;
    const last = this.#items.pop() as Entry<T>;
    this.#byKey.delete(key);
    if (i < this.#items.length) {
      this.#place(i, last);
      this.#fix(i);
    }
    return removed.value;
  }

  values(): T[] {
    return this.#items.map((item) => item.value);
  }

  #fix(i: number): void {
    if (!this.#up(i)) this.#down(i);
  }

  #place(i: number, entry: Entry<T>): void {
    this.#items[i] = entry;
    entry.slot = i;
  }

  // #up and #down move a hole instead of swapping: the same comparisons, in the same order, as
  // a swapping sift, so tied elements end up where a swapping heap puts them.

  #up(start: number): boolean {
    const items = this.#items;
    const entry = items[start] as Entry<T>;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = items[parent] as Entry<T>;
      if (!this.#less(entry.value, above.value)) break;
      this.#place(i, above);
      i = parent;
    }
    if (i === start) return false;
    this.#place(i, entry);
    return true;
  }

  #down(start: number): void {
    const items = this.#items;
    const entry = items[start] as Entry<T>;
    const length = items.length;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= length) break;
      let best = entry;
      let bestIndex = i;
      const l = items[left] as Entry<T>;
      if (this.#less(l.value, best.value)) {
        best = l;
        bestIndex = left;
      }
      const right = left + 1;
      const r = right < length ? (items[right] as Entry<T>) : undefined;
      if (r !== undefined && this.#less(r.value, best.value)) {
        best = r;
        bestIndex = right;
      }
      if (bestIndex === i) break;
      this.#place(i, best);
      i = bestIndex;
    }
    if (i !== start) this.#place(i, entry);
  }
}
