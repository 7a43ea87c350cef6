// Strategic merge patch: kubectl's captured 3-way patches, every directive, the errors, and
// agreement with JSON merge patch where no strategy applies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../store/types.js';
import {
  arr,
  int32,
  intOrString,
  map,
  obj,
  ref,
  str,
  stringList,
  stringMap,
} from '../schema/schema.js';
import { applyMergePatch } from './merge-patch.js';
import { genericInvalidMessage } from './patch-error.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

const sub = obj('Sub', '', { name: str(''), v: int32('') });
const item = obj('Item', '', {
  name: str(''),
  value: int32(''),
  other: str(''),
  nested: arr(sub, '', { patchStrategy: 'merge', patchMergeKey: 'name' }),
});
const strategy = obj('Strategy', '', {
  type: str(''),
  rollingUpdate: obj('RollingUpdate', '', { maxSurge: intOrString('') }),
});
const schema = obj('Test', '', {
  mergingList: arr(item, '', { patchStrategy: 'merge', patchMergeKey: 'name' }),
  retainList: arr(item, '', { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name' }),
  mergingIntList: arr(int32(''), '', { patchStrategy: 'merge' }),
  nonMergingList: arr(item, ''),
  plainList: stringList(''),
  listOfLists: arr(arr(str(''), ''), '', { patchStrategy: 'merge' }),
  replacedMap: map(str(''), '', { patchStrategy: 'replace' }),
  labels: stringMap(''),
  strategy: ref(strategy, '', { patchStrategy: 'retainKeys' }),
});

type Case = [name: string, original: JsonObject, patch: JsonObject, expected: JsonObject];

const named = (...names: string[]): JsonValue[] => names.map((name) => ({ name }));

const merges: Case[] = [
  [
    'merges maps and deletes keys set to null',
    { labels: { a: '1', b: '2' } },
    { labels: { b: null, c: '3' } },
    { labels: { a: '1', c: '3' } },
  ],
  [
    'drops nulls from a value inserted where nothing was',
    {},
    { labels: { a: null, b: 'x' }, mergingList: [{ name: 'a', other: null }] },
    { labels: { b: 'x' }, mergingList: [{ name: 'a' }] },
  ],
  [
    'merges a merge-key list item by item and keeps live-only items in place',
    {
      mergingList: [
        { name: 'a', other: 'x' },
        { name: 'b', value: 2 },
      ],
    },
    { mergingList: [{ name: 'b', value: 3 }] },
    {
      mergingList: [
        { name: 'a', other: 'x' },
        { name: 'b', value: 3 },
      ],
    },
  ],
  [
    'puts a new item before the live-only items that follow it, as upstream orders',
    { mergingList: named('a', 'b') },
    { mergingList: named('c') },
    { mergingList: named('c', 'a', 'b') },
  ],
  [
    'orders merged items by $setElementOrder',
    {
      mergingList: [
        { name: '1', other: 'a' },
        { name: '2', value: 2 },
      ],
    },
    {
      '$setElementOrder/mergingList': named('4', '1', '2', '3'),
      mergingList: [
        { name: '4', value: 4 },
        { name: '3', value: 3 },
      ],
    },
    {
      mergingList: [
        { name: '4', value: 4 },
        { name: '1', other: 'a' },
        { name: '2', value: 2 },
        { name: '3', value: 3 },
      ],
    },
  ],
  [
    'keeps live-only items around the ordered ones',
    { mergingList: named('x', 'a', 'b') },
    { '$setElementOrder/mergingList': named('b', 'a') },
    { mergingList: named('x', 'b', 'a') },
  ],
  [
    'merges nested merge-key lists inside list items',
    { mergingList: [{ name: 'a', nested: [{ name: 'n', v: 1 }] }] },
    { mergingList: [{ name: 'a', nested: [{ name: 'm', v: 2 }] }] },
    {
      mergingList: [
        {
          name: 'a',
          nested: [
            { name: 'm', v: 2 },
            { name: 'n', v: 1 },
          ],
        },
      ],
    },
  ],
  [
    'deletes list items with $patch: delete',
    { mergingList: named('a', 'b', 'b') },
    { mergingList: [{ name: 'b', $patch: 'delete' }] },
    { mergingList: named('a') },
  ],
  [
    'replaces a merge-key list with $patch: replace',
    { mergingList: named('a', 'b') },
    { mergingList: [{ name: 'c' }, { $patch: 'replace' }] },
    { mergingList: named('c') },
  ],
  [
    'merges primitive merge lists as sets',
    { mergingIntList: [1, 2] },
    { mergingIntList: [2, 3] },
    { mergingIntList: [1, 2, 3] },
  ],
  [
    'orders a primitive list by $setElementOrder',
    { mergingIntList: [1, 2] },
    { '$setElementOrder/mergingIntList': [3, 2, 1], mergingIntList: [3] },
    { mergingIntList: [3, 2, 1] },
  ],
  [
    'removes primitives with $deleteFromPrimitiveList',
    { mergingIntList: [1, 2, 3, 2] },
    { '$deleteFromPrimitiveList/mergingIntList': [2] },
    { mergingIntList: [1, 3] },
  ],
  [
    'removes primitives from a list without merge strategy too',
    { plainList: ['a', 'b'] },
    { '$deleteFromPrimitiveList/plainList': ['a'] },
    { plainList: ['b'] },
  ],
  [
    'adds no list when deleting from a missing one',
    {},
    { '$deleteFromPrimitiveList/mergingIntList': [1] },
    {},
  ],
  [
    'replaces lists without a merge strategy',
    { nonMergingList: named('a', 'b'), plainList: ['x'] },
    { nonMergingList: named('c'), plainList: ['y', 'z'] },
    { nonMergingList: named('c'), plainList: ['y', 'z'] },
  ],
  [
    'replaces a map with $patch: replace',
    { labels: { a: '1' } },
    { labels: { $patch: 'replace', b: '2' } },
    { labels: { b: '2' } },
  ],
  [
    'empties a map with $patch: delete',
    { labels: { a: '1' } },
    { labels: { $patch: 'delete' } },
    { labels: {} },
  ],
  [
    'adds nothing for a $patch map where the live object has none',
    {},
    { labels: { $patch: 'replace', a: '1' } },
    {},
  ],
  [
    'replaces the whole object with a top-level $patch: delete',
    { labels: { a: '1' } },
    { $patch: 'delete' },
    {},
  ],
  [
    'replaces maps whose field has the replace strategy',
    { replacedMap: { a: '1' } },
    { replacedMap: { b: '2' } },
    { replacedMap: { b: '2' } },
  ],
  [
    'keeps only $retainKeys keys (the deployment strategy change)',
    { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
    { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } },
    { strategy: { type: 'Recreate' } },
  ],
  [
    'applies $retainKeys inside merge-key list items',
    { retainList: [{ name: 'v', other: 'x', value: 1 }] },
    { retainList: [{ name: 'v', $retainKeys: ['name', 'value'], value: 2 }] },
    { retainList: [{ name: 'v', value: 2 }] },
  ],
  [
    'merges fields the schema does not know like plain maps and replaces their lists',
    { extra: { a: 1, b: { c: 1 }, l: [1, 2] } },
    { extra: { a: null, b: { d: 2 }, l: [3] } },
    { extra: { b: { c: 1, d: 2 }, l: [3] } },
  ],
];

const failures: Array<[string, JsonObject, JsonObject, number, string]> = [
  [
    'a merge item without its merge key',
    { mergingList: named('a') },
    { mergingList: [{ value: 1 }] },
    400,
    'map: map[value:1] does not contain declared merge key: name',
  ],
  [
    '$patch: merge on a map',
    { labels: { a: '1' } },
    { labels: { $patch: 'merge' } },
    400,
    'unknown patch type: merge in map: map[$patch:merge]',
  ],
  [
    '$patch: merge in a list',
    { mergingList: named('a') },
    { mergingList: [{ $patch: 'merge' }] },
    400,
    'merging lists cannot yet be specified in the patch',
  ],
  [
    'an unknown $patch in a list',
    { mergingList: named('a') },
    { mergingList: [{ name: 'a', $patch: 'explode' }] },
    400,
    'unknown patch type: explode in map: map[$patch:explode name:a]',
  ],
  [
    'a malformed $deleteFromPrimitiveList key',
    { mergingIntList: [1] },
    { '$deleteFromPrimitiveListX/mergingIntList': [1] },
    400,
    'invalid patch format of primitive list',
  ],
  [
    'a malformed $setElementOrder key',
    { mergingList: named('a') },
    { $setElementOrderX: named('a') },
    400,
    'invalid patch format of setElementOrder list',
  ],
  [
    'a $setElementOrder that is not a list',
    { mergingList: named('a') },
    { '$setElementOrder/mergingList': 'a' },
    400,
    'expected a []interface {}, but received a string',
  ],
  [
    'a patch list out of $setElementOrder order',
    { mergingList: named('a', 'b') },
    { '$setElementOrder/mergingList': named('a', 'b'), mergingList: named('b', 'a') },
    400,
    "The order in patch list:\n[map[name:b] map[name:a]]\n doesn't match $setElementOrder list:\n[map[name:a] map[name:b]]\n",
  ],
  [
    'a patched key missing from $retainKeys',
    { strategy: { type: 'A' } },
    { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } },
    400,
    'invalid patch format of retainKeys',
  ],
  [
    '$retainKeys that is not a list',
    { strategy: { type: 'A' } },
    { strategy: { $retainKeys: 'type' } },
    400,
    'invalid patch format of retainKeys',
  ],
  [
    'list items of different types',
    { mergingIntList: [1] },
    { mergingIntList: ['a'] },
    400,
    'list element types are not identical: [[1] [a]]',
  ],
];

describe('applyStrategicMergePatch directives', () => {
  it.each(merges)('%s', (_name, original, patch, expected) => {
    expect(applyStrategicMergePatch(schema, original, patch)).toEqual({
      ok: true,
      value: expected,
    });
  });

  it.each(failures)('rejects %s with upstream text', (_name, original, patch, code, message) => {
    expect(applyStrategicMergePatch(schema, original, patch)).toMatchObject({
      ok: false,
      error: { code, message },
    });
  });

  it('answers 422 for lists of lists, hiding the cause as upstream does', () => {
    const result = applyStrategicMergePatch(
      schema,
      { listOfLists: [['a']] },
      { listOfLists: [['b']] },
    );
    expect(result).toEqual({
      ok: false,
      error: {
        code: 422,
        reason: 'Invalid',
        message: genericInvalidMessage,
        detail: 'lists of lists are not supported',
      },
    });
  });

  it('reads directives as plain data when they are off (server-side apply)', () => {
    const result = applyStrategicMergePatch(
      schema,
      { labels: { a: '1' }, mergingList: [{ name: 'a', value: 1 }] },
      { labels: { $patch: 'delete' }, mergingList: [{ name: 'a', other: 'x' }, { name: 'b' }] },
      { directives: false },
    );
    expect(result).toEqual({
      ok: true,
      value: {
        labels: { a: '1', $patch: 'delete' },
        mergingList: [{ name: 'a', value: 1, other: 'x' }, { name: 'b' }],
      },
    });
  });

  it('leaves its inputs unchanged', () => {
    const original = { mergingList: [{ name: 'a', value: 1 }] };
    const patch = { mergingList: [{ name: 'a', $patch: 'delete' }] };
    applyStrategicMergePatch(schema, original, patch);
    expect(original).toEqual({ mergingList: [{ name: 'a', value: 1 }] });
    expect(patch).toEqual({ mergingList: [{ name: 'a', $patch: 'delete' }] });
  });
});

describe('applyStrategicMergePatch without a strategy', () => {
  const key = fc.constantFrom('a', 'b', 'c', 'd');
  const scalar = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean());
  const { tree } = fc.letrec<{ tree: JsonValue }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(scalar, { maxLength: 3 }),
      fc.dictionary(key, fc.option(tie('tree'), { nil: null }), { maxKeys: 4 }),
    ),
  }));
  const object = fc.dictionary(key, fc.option(tree, { nil: null }), { maxKeys: 4 });

  it('equals JSON merge patch on schema-less maps without directives', () => {
    fc.assert(
      fc.property(object, object, (original, patch) => {
        const expected = applyMergePatch(original, patch);
        expect(applyStrategicMergePatch(undefined, original, patch)).toEqual({
          ok: true,
          value: expected,
        });
      }),
      { numRuns: 300 },
    );
  });
});
