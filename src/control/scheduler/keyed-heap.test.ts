import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedHeap } from './keyed-heap.js';

describe('KeyedHeap', () => {
  it('pops in order and supports removal and replacement by key', () => {
    const heap = new KeyedHeap<number>({ less: (a, b) => a < b });
    [5, 3, 8, 1, 9, 2].forEach((n) => heap.push(`k${n}`, n));
    heap.delete('k3');
    heap.push('k8', 0);
    const out: number[] = [];
    for (let v = heap.pop(); v !== undefined; v = heap.pop()) out.push(v);
    expect(out).toEqual([0, 1, 2, 5, 9]);
  });

  it('agrees with a sorted map after any sequence of pushes, deletes and pops', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), key: fc.nat(9), value: fc.nat(50) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.nat(9) }),
      fc.record({ kind: fc.constant('pop' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        // Ties broken by key so the order is total.
        type Entry = { key: string; value: number };
        const less = (a: Entry, b: Entry) =>
          a.value < b.value || (a.value === b.value && a.key < b.key);
        const heap = new KeyedHeap<Entry>({ less });
        const model = new Map<string, Entry>();
        const modelMin = () =>
          [...model.values()].sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0))[0];
        for (const o of ops) {
          if (o.kind === 'push') {
            const entry = { key: `k${o.key}`, value: o.value };
            heap.push(entry.key, entry);
            model.set(entry.key, entry);
          } else if (o.kind === 'delete') {
            expect(heap.delete(`k${o.key}`)).toEqual(model.get(`k${o.key}`));
            model.delete(`k${o.key}`);
          } else {
            const expected = modelMin();
            expect(heap.pop()).toEqual(expected);
            if (expected !== undefined) model.delete(expected.key);
          }
          expect(heap.size).toBe(model.size);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('breaks ties exactly as a swapping binary heap does, so queue order is unchanged', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), key: fc.nat(30), value: fc.nat(3) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.nat(30) }),
      fc.record({ kind: fc.constant('pop' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        // Values tie often: which tied key comes out first depends on the heap's layout.
        type Entry = { key: string; value: number };
        const less = (a: Entry, b: Entry) => a.value < b.value;
        const heap = new KeyedHeap<Entry>({ less });
        const reference = new SwappingHeap(less);
        for (const o of ops) {
          if (o.kind === 'push') {
            const entry = { key: `k${o.key}`, value: o.value };
            heap.push(entry.key, entry);
            reference.push(entry.key, entry);
          } else if (o.kind === 'delete') {
            expect(heap.delete(`k${o.key}`)).toEqual(reference.delete(`k${o.key}`));
          } else {
            expect(heap.pop()).toEqual(reference.pop());
          }
        }
        expect(heap.values()).toEqual(reference.values());
      }),
      { numRuns: 200 },
    );
  });
});

/** The textbook heap with swaps (the layout KeyedHeap must keep reproducing). */
class SwappingHeap<T> {
  readonly items: { key: string; value: T }[] = [];
  readonly index = new Map<string, number>();
  constructor(readonly less: (a: T, b: T) => boolean) {}

  push(key: string, value: T): void {
    const i = this.index.get(key);
    if (i !== undefined) {
      (this.items[i] as { value: T }).value = value;
      this.fix(i);
      return;
    }
    this.items.push({ key, value });
    this.index.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top === undefined) return undefined;
    this.delete(top.key);
    return top.value;
  }

  delete(key: string): T | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    const removed = this.items[i] as { key: string; value: T };
    const last = this.items.pop() as { key: string; value: T };
    this.index.delete(key);
    if (i < this.items.length) {
      this.items[i] = last;
      this.index.set(last.key, i);
      this.fix(i);
    }
    return removed.value;
  }

  values(): T[] {
    return this.items.map((item) => item.value);
  }

  private fix(i: number): void {
    if (!this.up(i)) this.down(i);
  }

  private lessAt(i: number, j: number): boolean {
    return this.less((this.items[i] as { value: T }).value, (this.items[j] as { value: T }).value);
  }

  private swap(i: number, j: number): void {
    const a = this.items[i] as { key: string; value: T };
    const b = this.items[j] as { key: string; value: T };
    this.items[i] = b;
    this.items[j] = a;
    this.index.set(b.key, i);
    this.index.set(a.key, j);
  }

  private up(start: number): boolean {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.lessAt(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
    return i !== start;
  }

  private down(start: number): void {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < this.items.length && this.lessAt(left, best)) best = left;
      if (right < this.items.length && this.lessAt(right, best)) best = right;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }
}
