// Tests of the duplicate-key scan: upstream's paths, robustness on garbage, and properties.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDuplicateFields } from './duplicate-fields.js';

describe('findDuplicateFields', () => {
  it.each<[string, string, string[]]>([
    ['a top-level key as the bare key', '{"kind":"Pod","kind":"Pod"}', ['kind']],
    ['a nested key with dots', '{"metadata":{"name":"a","name":"b"}}', ['metadata.name']],
    [
      'a key inside a list item with its index',
      '{"spec":{"containers":[{"name":"a"},{"image":"x","name":"b","image":"y"}]}}',
      ['spec.containers[1].image'],
    ],
    [
      'a map key verbatim, dots included',
      '{"metadata":{"labels":{"app.kubernetes.io/name":"a","app.kubernetes.io/name":"b"}}}',
      ['metadata.labels.app.kubernetes.io/name'],
    ],
    ['a key of an object in a top-level list', '[{"a":1},{"a":1,"a":2}]', ['[1].a']],
    ['a key in a list inside a list', '{"a":[[{"b":1,"b":2}]]}', ['a[0][0].b']],
    ['a repeated object as one duplicate', '{"spec":{},"spec":{"x":1}}', ['spec']],
    ['an escaped spelling of the same key', '{"a":1,"\\u0061":2}', ['a']],
    ['a key below an empty top-level key', '{"":{"x":1,"x":2}}', ['.x']],
    ['a repeated empty key', '{"":1,"":2}', ['']],
  ])('reports %s', (_, text, expected) => {
    expect(findDuplicateFields(text)).toEqual(expected);
  });

  it('reports a path once however often the key repeats', () => {
    expect(findDuplicateFields('{"a":1,"a":2,"a":3}')).toEqual(['a']);
  });

  it('reports paths in document order of the repeats', () => {
    const text = '{"b":{"y":1,"x":1,"y":2},"a":1,"b":2,"a":3}';
    expect(findDuplicateFields(text)).toEqual(['b.y', 'b', 'a']);
  });

  it('tells equal keys in different objects apart', () => {
    expect(findDuplicateFields('{"a":{"n":1},"b":{"n":1},"c":[{"n":1},{"n":2}]}')).toEqual([]);
  });

  it('ignores keys that only look alike inside string values', () => {
    const text = '{"a":"{\\"x\\":1,\\"x\\":2}","b":"\\\\","c":"\\"a\\":"}';
    expect(findDuplicateFields(text)).toEqual([]);
  });

  it('tolerates whitespace everywhere JSON allows it', () => {
    const text = ' {\n\t"a" : [ 1 , { "b" : true , "b" : null } ] ,\r\n "a" : -1.5e3 } ';
    expect(findDuplicateFields(text)).toEqual(['a[1].b', 'a']);
  });

  it('stops at pathCountMax paths', () => {
    const entries = Array.from({ length: 150 }, (_, i) => `"k${i}":1,"k${i}":2`);
    const found = findDuplicateFields(`{${entries.join(',')}}`);
    expect(found).toHaveLength(100);
    expect(found[99]).toBe('k99');
    expect(findDuplicateFields('{"a":1,"a":2,"b":1,"b":2}', { pathCountMax: 1 })).toEqual(['a']);
  });

  it('scans deep nesting without recursion and gives up past nestingDepthMax', () => {
    const depth = 200_000;
    const deep = `${'['.repeat(depth)}{"a":1,"a":2}${']'.repeat(depth)}`;
    expect(findDuplicateFields(deep, { nestingDepthMax: depth + 1 })).toHaveLength(1);
    expect(findDuplicateFields(deep)).toEqual([]);
  });

  it.each([
    '',
    '{',
    '{"a":1,"a":2',
    '{"a":1,"a":2]',
    '[{"a":1,"a":2}}',
    '{"a',
    '{"\\u00zz":1,"\\u00zz":2}',
    '}}}',
  ])('returns [] for malformed text %j', (text) => {
    expect(findDuplicateFields(text)).toEqual([]);
  });

  it('scans a large body in one pass', () => {
    const item = { name: 'c', image: 'nginx', env: [{ name: 'A', value: 'x'.repeat(40) }] };
    const body = JSON.stringify({
      spec: { containers: Array.from({ length: 20_000 }, () => item) },
    });
    expect(body.length).toBeGreaterThan(1_500_000);
    const text = `${body.slice(0, -2)},"containers":1}}`;
    expect(findDuplicateFields(text)).toEqual(['spec.containers']);
  });
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every object with at least one key, with the path the strict decoder gives it. */
function objectsWithKeys(value: Json, path: string | undefined, out: [Json, string | undefined][]) {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => objectsWithKeys(item, `${path ?? ''}[${i}]`, out));
    return;
  }
  const keys = Object.keys(value);
  if (keys.length > 0) out.push([value, path]);
  for (const key of keys) {
    objectsWithKeys(value[key] as Json, path === undefined ? key : `${path}.${key}`, out);
  }
}

/** JSON text of `value`, with `extra` appended as one more entry of the object `target`. */
function withExtraEntry(value: Json, target: Json, extra: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value))
    return `[${value.map((v) => withExtraEntry(v, target, extra)).join(',')}]`;
  const entries = Object.keys(value).map(
    (key) => `${JSON.stringify(key)}:${withExtraEntry(value[key] as Json, target, extra)}`,
  );
  if (value === target) entries.push(extra);
  return `{${entries.join(',')}}`;
}

/** `"key"` with every character \u-escaped: the same key, spelled differently. */
function escapedKey(key: string): string {
  const hex = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;
  return `"${Array.from({ length: key.length }, (_, i) => hex(key.charCodeAt(i))).join('')}"`;
}

describe('findDuplicateFields properties', () => {
  it('finds nothing in JSON.stringify output, indented or not', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (value, indent) => {
        expect(findDuplicateFields(JSON.stringify(value, null, indent))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('finds exactly an injected duplicate, at its path', () => {
    const withTarget = fc
      .jsonValue()
      .map((value) => {
        const targets: [Json, string | undefined][] = [];
        objectsWithKeys(value as Json, undefined, targets);
        return { value: value as Json, targets };
      })
      .filter(({ targets }) => targets.length > 0);
    fc.assert(
      fc.property(withTarget, fc.nat(), fc.nat(), fc.boolean(), (sample, pick, keyPick, escape) => {
        const [target, path] = sample.targets[pick % sample.targets.length] as [Json, string];
        const keys = Object.keys(target as object);
        const key = keys[keyPick % keys.length] as string;
        const extra = `${escape ? escapedKey(key) : JSON.stringify(key)}:0`;
        const expected = path === undefined ? key : `${path}.${key}`;
        expect(findDuplicateFields(withExtraEntry(sample.value, target, extra))).toEqual([
          expected,
        ]);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text or truncated JSON', () => {
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), fc.nat(), (text, value, cut) => {
        const json = JSON.stringify(value);
        expect(Array.isArray(findDuplicateFields(text))).toBe(true);
        expect(Array.isArray(findDuplicateFields(json.slice(0, cut % (json.length + 1))))).toBe(
          true,
        );
      }),
      { numRuns: 300 },
    );
  });
});
