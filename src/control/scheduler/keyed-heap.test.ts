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
});
