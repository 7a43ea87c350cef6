// JSON merge patch: RFC 7386's examples, upstream's null pruning, and the diff's round trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../store/types.js';
import { applyMergePatch, createMergePatch } from './merge-patch.js';

describe('applyMergePatch', () => {
  // RFC 7386 appendix A.
  const rfcExamples: Array<[JsonValue, JsonValue, JsonValue]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];

  it.each(rfcExamples)('merges %j with %j as RFC 7386 says', (original, patch, expected) => {
    expect(applyMergePatch(original, patch)).toEqual(expected);
  });

  it('drops nulls inside objects of an inserted list, as upstream does', () => {
    expect(applyMergePatch({}, { a: [{ b: null, c: 1 }, null] })).toEqual({ a: [{ c: 1 }, null] });
    expect(applyMergePatch({ a: [1] }, { a: [{ b: null }] })).toEqual({ a: [{}] });
  });

  it('keeps a list patched over an object as it is, as upstream does', () => {
    expect(applyMergePatch({ a: { x: 1 } }, { a: [{ b: null }] })).toEqual({ a: [{ b: null }] });
  });

  it('treats __proto__ as an ordinary key', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}}') as JsonValue;
    const result = applyMergePatch({}, patch) as Record<string, JsonValue>;
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves its inputs unchanged', () => {
    const original = Object.freeze({ a: Object.freeze({ b: 1 }) });
    const patch = Object.freeze({ a: Object.freeze({ c: 2 }) });
    expect(applyMergePatch(original, patch)).toEqual({ a: { b: 1, c: 2 } });
    expect(original).toEqual({ a: { b: 1 } });
  });
});

describe('createMergePatch', () => {
  it('sends removed keys as null and changed lists whole', () => {
    const patch = createMergePatch(
      { a: 1, b: { c: [1, 2], d: 'x' }, e: 'gone' },
      { a: 1, b: { c: [1, 3], d: 'x' }, f: true },
    );
    expect(patch).toEqual({ b: { c: [1, 3] }, e: null, f: true });
  });

  it('is empty for equal objects', () => {
    expect(createMergePatch({ a: { b: [1] } }, { a: { b: [1] } })).toEqual({});
  });

  const key = fc.constantFrom('a', 'b', 'c', 'd');
  const scalar = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean());
  const { value: noNulls } = fc.letrec<{ value: JsonValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  }));
  const object = fc.dictionary(key, noNulls, { maxKeys: 4 });

  it('yields b when its patch is applied to a', () => {
    fc.assert(
      fc.property(object, object, (a, b) => {
        expect(applyMergePatch(a, createMergePatch(a, b))).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });
});
