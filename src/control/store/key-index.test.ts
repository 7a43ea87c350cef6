// Tests of the chunked sorted key index against a plain sorted array.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedKeyIndex } from './key-index.js';

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Short keys over a tiny alphabet, so inserts collide and orders interleave. */
const keyArb = fc.string({
  unit: fc.constantFrom('a', 'b', 'B', '/', '-', '\uffff'),
  maxLength: 4,
});

const operationArb = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), key: keyArb }),
  fc.record({ op: fc.constant('remove' as const), key: keyArb }),
);

describe('SortedKeyIndex', () => {
  it('matches a sorted array under random inserts, removals and scans', () => {
    fc.assert(
      fc.property(
        fc.array(operationArb, { maxLength: 300 }),
        keyArb,
        fc.boolean(),
        (ops, probe, after) => {
          const index = new SortedKeyIndex({ chunkSizeMax: 4 });
          const model = new Set<string>();
          for (const { op, key } of ops) {
            if (op === 'insert' && !model.has(key)) {
              index.insert(key);
              model.add(key);
            } else if (op === 'remove' && model.has(key)) {
              index.remove(key);
              model.delete(key);
            }
          }
          const sorted = [...model].sort(byCodeUnits);
          expect(index.size).toBe(sorted.length);
          expect([...index.keysFrom('', false)]).toEqual(sorted);
          const expectedFrom = sorted.filter((key) => key > probe || (!after && key === probe));
          expect([...index.keysFrom(probe, after)]).toEqual(expectedFrom);
          expect(index.countBelow(probe, after)).toBe(sorted.length - expectedFrom.length);
          expect(index.has(probe)).toBe(model.has(probe));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('loads keys that are already sorted and keeps accepting inserts', () => {
    const index = new SortedKeyIndex({ chunkSizeMax: 4 });
    const keys = Array.from({ length: 50 }, (_, i) => `/k/${String(i).padStart(3, '0')}`);
    index.loadSorted(keys);
    index.insert('/k/0105');
    index.remove('/k/000');
    expect([...index.keysFrom('/k/010', true)].slice(0, 3)).toEqual([
      '/k/0105',
      '/k/011',
      '/k/012',
    ]);
    expect(index.size).toBe(50);
  });

  it('refuses duplicate inserts, removals of missing keys and unsorted loads', () => {
    const index = new SortedKeyIndex();
    index.insert('/a');
    expect(() => index.insert('/a')).toThrow(/already indexed/);
    expect(() => index.remove('/b')).toThrow(/not indexed/);
    expect(() => index.loadSorted(['/b', '/a'])).toThrow(/ascending/);
  });
});
