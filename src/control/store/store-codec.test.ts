// Tests of the store's canonical JSON encoding and resourceVersion stamping.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalStringify } from '../api/values/canonical-json.js';
import { canonicalJson, deepFreezeJson, stampResourceVersion } from './store-codec.js';
import { frozen } from './testing/store-fixtures.js';
import type { JsonValue } from './types.js';

/** An independent, obviously correct canonical encoder to compare with. */
function reference(value: JsonValue): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v as JsonValue)}`).join(',')}}`;
}

function hasNegativeZero(value: unknown): boolean {
  if (typeof value === 'number') return Object.is(value, -0);
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(hasNegativeZero);
}

/** Arbitrary JSON-safe values (-0 is not JSON-safe: it would come back as 0). */
const jsonArb = fc
  .jsonValue({ maxDepth: 4 })
  .filter((value) => !hasNegativeZero(value))
  .map((value) => value as JsonValue);
const awkwardString = fc.string({
  unit: fc.constantFrom('a', '"', '\\', '\n', '\u0001', '\ud800', '\udc00', 'é', '\u2028'),
});

describe('canonicalJson', () => {
  it('equals a reference encoder with sorted keys and parses back to the same value', () => {
    fc.assert(
      fc.property(jsonArb, (value) => {
        const text = canonicalJson(value);
        expect(text).toBe(reference(value));
        expect(JSON.parse(text)).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it('produces the same bytes as the API values canonicalStringify', () => {
    fc.assert(
      fc.property(jsonArb, (value) => {
        expect(canonicalJson(value)).toBe(canonicalStringify(value));
      }),
      { numRuns: 200 },
    );
  });

  it('escapes strings exactly like JSON.stringify', () => {
    fc.assert(
      fc.property(awkwardString, awkwardString, (key, text) => {
        expect(canonicalJson({ [key]: text })).toBe(JSON.stringify({ [key]: text }));
      }),
    );
  });

  it('sorts keys by code units, integer-like keys included, for any key count', () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${39 - i}`, i]));
    expect(canonicalJson({ b: 1, 10: 2, 2: 3, B: 4 })).toBe('{"10":2,"2":3,"B":4,"b":1}');
    expect(Object.keys(JSON.parse(canonicalJson(many)) as object)).toEqual(
      Object.keys(many).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });

  it('refuses values that are not JSON-safe', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -0]) {
      expect(() => canonicalJson({ n: bad })).toThrow();
    }
    expect(() => canonicalJson({ u: undefined } as unknown as JsonValue)).toThrow(/JSON-safe/);
  });
});

describe('stampResourceVersion and deepFreezeJson', () => {
  it('copies only the root and metadata', () => {
    const original = frozen({ metadata: { name: 'a', resourceVersion: '1' }, spec: { x: [1] } });
    const stamped = stampResourceVersion(original, 42);
    expect(stamped).toEqual({ metadata: { name: 'a', resourceVersion: '42' }, spec: { x: [1] } });
    expect(stamped.spec).toBe(original.spec);
    expect(original.metadata.resourceVersion).toBe('1');
  });

  it('freezes every nested object and array of a parsed value', () => {
    const value = deepFreezeJson(JSON.parse('{"a":{"b":[{"c":1}]}}') as JsonValue) as {
      a: { b: { c: number }[] };
    };
    expect([value, value.a, value.a.b, value.a.b[0]].every((v) => Object.isFrozen(v))).toBe(true);
  });
});
