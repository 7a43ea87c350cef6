// Tests of strict-decoding paths of unknown fields and their pruning.

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../store/types.js';
import { podSchema } from '../types/pod.js';
import { findUnknownFields, pruneUnknownFields } from './unknown-fields.js';
import { int32, map, obj, str } from './schema.js';

const mapOfObjects = obj('Holder', '', {
  entries: map(obj('Entry', '', { size: int32('') }), ''),
  name: str(''),
});

describe('findUnknownFields', () => {
  it.each<[string, JsonObject, string[]]>([
    ['a top-level field', { foo: 1 }, ['foo']],
    ['a nested field', { spec: { foo: 1, bar: 2 } }, ['spec.foo', 'spec.bar']],
    [
      'fields inside list items',
      { spec: { containers: [{ name: 'a' }, { name: 'b', imagePullPolicyy: 'Always' }] } },
      ['spec.containers[1].imagePullPolicyy'],
    ],
    [
      'lists inside lists',
      {
        spec: {
          containers: [{ ports: [{ containerPort: 80 }, { containerPort: 81, hostPortt: 1 }] }],
        },
      },
      ['spec.containers[0].ports[1].hostPortt'],
    ],
    ['fields in a different case', { Spec: {} }, ['Spec']],
    ['nothing in free-form or map values', { metadata: { labels: { anything: 'x' } } }, []],
  ])('reports %s', (_, body, expected) => {
    expect(findUnknownFields(podSchema, body)).toEqual(expected);
  });

  it('names map entries with a dot, like the strict decoder', () => {
    const body = { entries: { small: { size: 1 }, big: { size: 2, colour: 'red' } } };
    expect(findUnknownFields(mapOfObjects, body)).toEqual(['entries.big.colour']);
  });

  it('does not descend into values of the wrong type', () => {
    expect(findUnknownFields(podSchema, { spec: 'x', metadata: [{ foo: 1 }] })).toEqual([]);
  });
});

describe('pruneUnknownFields', () => {
  it('removes unknown fields and keeps the rest', () => {
    const body = { spec: { containers: [{ name: 'a', bogus: 1 }], extra: true }, kind: 'Pod' };
    expect(pruneUnknownFields(podSchema, body)).toEqual({
      spec: { containers: [{ name: 'a' }] },
      kind: 'Pod',
    });
  });

  it('returns the same value, not a copy, when nothing is unknown', () => {
    const body = { spec: { containers: [{ name: 'a' }] }, metadata: { labels: { a: 'b' } } };
    expect(pruneUnknownFields(podSchema, body)).toBe(body);
  });

  it('does not modify its input', () => {
    const body = { spec: { foo: 1 } };
    pruneUnknownFields(podSchema, body);
    expect(body).toEqual({ spec: { foo: 1 } });
  });
});
