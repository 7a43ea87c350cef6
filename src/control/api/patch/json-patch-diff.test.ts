import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../store/types.js';
import { applyJsonPatch } from './json-patch.js';
import { createJsonPatch } from './json-patch-diff.js';

// Kubernetes patches apply to objects; upstream's replace at the root path ignores scalars.
const json = fc
  .dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 })
  .map((v) => JSON.parse(JSON.stringify(v)) as JsonValue);

describe('createJsonPatch', () => {
  it('escapes pointer tokens and appends to lists', () => {
    expect(createJsonPatch({ 'a/b': 1, l: [1] }, { 'a/b': 2, 'c~d': 3, l: [1, 2] })).toEqual([
      { op: 'replace', path: '/a~1b', value: 2 },
      { op: 'add', path: '/c~0d', value: 3 },
      { op: 'add', path: '/l/-', value: 2 },
    ]);
  });

  it('round-trips: applying the diff of a and b to a gives b', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        const ops = createJsonPatch(a, b);
        const result = applyJsonPatch(a, ops as unknown as JsonValue);
        expect(result.ok).toBe(true);
        if (result.ok) expect(result.value).toEqual(b);
      }),
      { numRuns: 500 },
    );
  });
});
