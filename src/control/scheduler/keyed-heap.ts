// A binary heap with removal and replacement by key (the scheduling queue's activeQ and backoffQ).

/** A binary heap with removal by key. */
export class KeyedHeap<T> {
  readonly #items: { key: string; value: T }[] = [];
  readonly #index = new Map<string, number>();
  readonly #less: (a: T, b: T) => boolean;

  constructor(options: { less: (a: T, b: T) => boolean }) {
    this.#less = options.less;
  }

  get size(): number {
    return this.#items.length;
  }

  has(key: string): boolean {
    return this.#index.has(key);
  }

  get(key: string): T | undefined {
    const i = this.#index.get(key);
    return i === undefined ? undefined : this.#items[i]?.value;
  }

  peek(): T | undefined {
    return this.#items[0]?.value;
  }

  /** Adds or replaces the value under `key`. */
  push(key: string, value: T): void {
    const i = this.#index.get(key);
    if (i !== undefined) {
      (this.#items[i] as { value: T }).value = value;
      this.#fix(i);
      return;
    }
    this.#items.push({ key, value });
    this.#index.set(key, this.#items.length - 1);
    this.#up(this.#items.length - 1);
  }

  pop(): T | undefined {
    const top = this.#items[0];
    if (top === undefined) return undefined;
    this.delete(top.key);
    return top.value;
  }

  delete(key: string): T | undefined {
    const i = this.#index.get(key);
    if (i === undefined) return undefined;
    const removed = this.#items[i] as { key: string; value: T };
    const last = this.#items.pop() as { key: string; value: T };
    this.#index.delete(key);
    if (i < this.#items.length) {
      this.#items[i] = last;
      this.#index.set(last.key, i);
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

  #lessAt(i: number, j: number): boolean {
    return this.#less(
      (this.#items[i] as { value: T }).value,
      (this.#items[j] as { value: T }).value,
    );
  }

  #swap(i: number, j: number): void {
    const a = this.#items[i] as { key: string; value: T };
    const b = this.#items[j] as { key: string; value: T };
    this.#items[i] = b;
    this.#items[j] = a;
    this.#index.set(b.key, i);
    this.#index.set(a.key, j);
  }

  #up(start: number): boolean {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#lessAt(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
    return i !== start;
  }

  #down(start: number): void {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < this.#items.length && this.#lessAt(left, best)) best = left;
      if (right < this.#items.length && this.#lessAt(right, best)) best = right;
      if (best === i) return;
      this.#swap(i, best);
      i = best;
    }
  }
}
