// Tests of canonical JSON text, deep freezing and the JSON-safety checks.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalStringify, deepFreeze, isJsonSafe, toJsonSafe } from './canonical-json.js';
import type { JsonValue } from './canonical-json.js';

/** Rebuilds every object with its keys in reverse insertion order. */
function reverseKeys(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(reverseKeys);
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(out, key, {
      value: reverseKeys((value as Record<string, JsonValue>)[key] ?? null),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

class Point {
  x = 1;
}

describe('canonicalStringify', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    const value = { b: 1, a: [{ d: null, c: true }], '': 'x', n: { z: -1.5e-7, y: 'é"\\\n' } };
    expect(canonicalStringify(value)).toBe(
      '{"":"x","a":[{"c":true,"d":null}],"b":1,"n":{"y":"é\\"\\\\\\n","z":-1.5e-7}}',
    );
  });

  it('orders keys by UTF-16 code units, not numerically or by locale', () => {
    const value = { é: 1, z: 2, Z: 3, a: 4, '10': 5, '9': 6, '😀': 7, '\uffff': 8 };
    expect(canonicalStringify(value)).toBe(
      '{"10":5,"9":6,"Z":3,"a":4,"z":2,"é":1,"😀":7,"\uffff":8}',
    );
  });

  it('accepts objects without a prototype and escapes like JSON.stringify', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.b = '\u2028';
    bare.a = '\ud800';
    expect(canonicalStringify(bare)).toBe(`{"a":${JSON.stringify('\ud800')},"b":"\u2028"}`);
  });

  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;

  it.each<[string, unknown, RegExp]>([
    ['undefined', undefined, /\$ has type undefined/],
    ['NaN', Number.NaN, /\$ is NaN/],
    ['Infinity', Number.POSITIVE_INFINITY, /\$ is Infinity/],
    ['-Infinity', Number.NEGATIVE_INFINITY, /\$ is -Infinity/],
    ['-0', -0, /\$ is -0/],
    ['a nested -0', { a: [1, -0] }, /\$\.a\[1\] is -0/],
    ['a function', () => 1, /has type function/],
    ['a bigint', 1n, /has type bigint/],
    ['a symbol', Symbol('s'), /has type symbol/],
    ['an undefined member', { a: undefined }, /\$\.a has type undefined/],
    ['an array hole', [1, , 3], /\$\[1\] is a hole/],
    ['a class instance', new Point(), /not a plain object/],
    ['a Map', new Map([[1, 2]]), /not a plain object/],
    ['a cycle', cyclic, /\$\.self is a cycle/],
    ['symbol keys', { [Symbol('k')]: 1 }, /symbol keys/],
  ])('throws on %s', (_name, value, message) => {
    expect(() => canonicalStringify(value)).toThrow(message);
    expect(isJsonSafe(value)).toBe(false);
  });

  it('accepts a shared (non-cyclic) subtree', () => {
    const shared = { x: 1 };
    expect(canonicalStringify({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });
});

describe('deepFreeze', () => {
  it('freezes every reachable object in place and returns the same reference', () => {
    const value = { a: { b: [{ c: 1 }] }, d: 'x' };
    const frozen = deepFreeze(value);
    expect(frozen).toBe(value);
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.a)).toBe(true);
    expect(Object.isFrozen(value.a.b)).toBe(true);
    expect(Object.isFrozen(value.a.b[0])).toBe(true);
    expect(() => {
      (value.a.b[0] as { c: number }).c = 2;
    }).toThrow(TypeError);
  });

  it('walks into already-frozen parents and survives cycles', () => {
    const child = { x: 1 };
    const parent = Object.freeze({ child });
    deepFreeze(parent);
    expect(Object.isFrozen(child)).toBe(true);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(deepFreeze(cyclic)).toBe(cyclic);
    expect(Object.isFrozen(cyclic)).toBe(true);
  });

  it('leaves primitives alone', () => {
    expect(deepFreeze(3)).toBe(3);
    expect(deepFreeze(null)).toBe(null);
  });
});

describe('toJsonSafe', () => {
  it('turns -0 into 0 at any depth and shares unchanged parts', () => {
    const input = JSON.parse('{"a":-0,"b":{"c":[1,-0]},"d":{"e":1}}') as Record<string, unknown>;
    const output = toJsonSafe(input) as Record<string, unknown>;
    expect(canonicalStringify(output)).toBe('{"a":0,"b":{"c":[1,0]},"d":{"e":1}}');
    expect(output.d).toBe(input.d);
    expect(Object.is((input as { a: number }).a, -0)).toBe(true);
  });

  it('returns the input itself when nothing changes', () => {
    const input = JSON.parse('{"a":[1,"x",null,true],"b":{}}') as unknown;
    expect(toJsonSafe(input)).toBe(input);
  });

  it('keeps a "__proto__" member as a plain member', () => {
    const input = JSON.parse('{"__proto__":{"x":-0},"y":1}') as unknown;
    const output = toJsonSafe(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(Object.keys(output)).toEqual(['__proto__', 'y']);
    expect(canonicalStringify(output)).toBe('{"__proto__":{"x":0},"y":1}');
  });

  it('refuses values JSON cannot hold, such as 1e400 parsed to Infinity', () => {
    expect(toJsonSafe(JSON.parse('1e400'))).toBeUndefined();
    expect(toJsonSafe({ a: [Number.NaN] })).toBeUndefined();
    expect(toJsonSafe({ a: undefined })).toBeUndefined();
    expect(toJsonSafe(new Point())).toBeUndefined();
  });
});

describe('canonical JSON properties', () => {
  const json = fc.jsonValue({ maxDepth: 4 }).map((value) => toJsonSafe(value) ?? null);

  it('is unchanged by a JSON round trip and independent of key insertion order', () => {
    fc.assert(
      fc.property(json, (value) => {
        const text = canonicalStringify(value);
        expect(canonicalStringify(JSON.parse(text))).toBe(text);
        expect(canonicalStringify(reverseKeys(value))).toBe(text);
        expect(JSON.parse(text)).toEqual(value);
        expect(isJsonSafe(value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
