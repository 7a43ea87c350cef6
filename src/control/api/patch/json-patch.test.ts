// JSON patch: every operation, upstream's quirks and error texts, and a model-based property.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../store/types.js';
import { applyJsonPatch } from './json-patch.js';
import { genericInvalidMessage } from './patch-error.js';

const doc: JsonValue = { a: { b: [1, 2, 3], 'x/y': 'slash', 'm~n': 'tilde' }, s: 'text', n: null };

function applied(ops: JsonValue, original: JsonValue = doc): JsonValue {
  const result = applyJsonPatch(original, ops);
  if (!result.ok)
    throw new Error(`unexpected failure: ${result.error.detail ?? result.error.message}`);
  return result.value;
}

function failure(ops: JsonValue, original: JsonValue = doc) {
  const result = applyJsonPatch(original, ops);
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

describe('applyJsonPatch operations', () => {
  it('adds members and inserts, appends and prepends array items', () => {
    expect(applied([{ op: 'add', path: '/c', value: { d: 1 } }])).toMatchObject({ c: { d: 1 } });
    expect(applied([{ op: 'add', path: '/a/b/1', value: 9 }])).toMatchObject({
      a: { b: [1, 9, 2, 3] },
    });
    expect(applied([{ op: 'add', path: '/a/b/-', value: 9 }])).toMatchObject({
      a: { b: [1, 2, 3, 9] },
    });
    expect(applied([{ op: 'add', path: '/a/b/3', value: 9 }])).toMatchObject({
      a: { b: [1, 2, 3, 9] },
    });
    // Upstream counts a negative add index from the end of the grown list: -1 appends.
    expect(applied([{ op: 'add', path: '/a/b/-1', value: 9 }])).toMatchObject({
      a: { b: [1, 2, 3, 9] },
    });
    expect(applied([{ op: 'add', path: '/a/b/-2', value: 9 }])).toMatchObject({
      a: { b: [1, 2, 9, 3] },
    });
  });

  it('decodes ~1 and ~0 in pointers', () => {
    const result = applied([
      { op: 'replace', path: '/a/x~1y', value: 'S' },
      { op: 'remove', path: '/a/m~0n' },
    ]);
    expect(result).toEqual({ a: { b: [1, 2, 3], 'x/y': 'S' }, s: 'text', n: null });
  });

  it('removes, replaces, moves and copies', () => {
    expect(applied([{ op: 'remove', path: '/a/b/0' }])).toMatchObject({ a: { b: [2, 3] } });
    expect(applied([{ op: 'replace', path: '/a/b/-1', value: 0 }])).toMatchObject({
      a: { b: [1, 2, 0] },
    });
    const moved = applied([{ op: 'move', from: '/a/b', path: '/b' }]) as Record<string, JsonValue>;
    expect(moved.b).toEqual([1, 2, 3]);
    expect(moved.a).toEqual({ 'x/y': 'slash', 'm~n': 'tilde' });
    expect(applied([{ op: 'copy', from: '/a/b/2', path: '/a/b/0' }])).toMatchObject({
      a: { b: [3, 1, 2, 3] },
    });
  });

  it('replaces a missing member by adding it, as upstream v4 does', () => {
    expect(applied([{ op: 'replace', path: '/new', value: 1 }])).toMatchObject({ new: 1 });
  });

  it('replaces the whole document at the root path, but ignores a scalar there', () => {
    expect(applied([{ op: 'replace', path: '', value: { z: 1 } }])).toEqual({ z: 1 });
    expect(applied([{ op: 'replace', path: '', value: 5 }])).toEqual(doc);
  });

  it('passes tests of equal values, of the whole document, and of a missing member against null', () => {
    const ops = [
      { op: 'test', path: '/a/b', value: [1, 2, 3] },
      { op: 'test', path: '/n', value: null },
      { op: 'test', path: '/missing', value: null },
      { op: 'test', path: '', value: doc },
    ];
    expect(applied(ops)).toEqual(doc);
  });

  it('reads a missing value as null', () => {
    expect(applied([{ op: 'add', path: '/v' }])).toMatchObject({ v: null });
  });

  it('treats a null body as no operations', () => {
    expect(applied(null)).toEqual(doc);
  });

  it('leaves its inputs unchanged', () => {
    const original = { a: [1] };
    applied([{ op: 'add', path: '/a/-', value: 2 }], original);
    expect(original).toEqual({ a: [1] });
  });
});

describe('applyJsonPatch errors', () => {
  const cases: Array<[string, JsonValue, string]> = [
    [
      'a failed test',
      [{ op: 'test', path: '/s', value: 'other' }],
      'testing value /s failed: test failed',
    ],
    [
      'a test of the root',
      [{ op: 'test', path: '', value: {} }],
      'testing value  failed: test failed',
    ],
    [
      'a missing member tested against a value',
      [{ op: 'test', path: '/q', value: 1 }],
      'testing value /q failed: test failed',
    ],
    [
      'a test under a missing parent',
      [{ op: 'test', path: '/q/r', value: 1 }],
      'test operation does not apply: is missing path: /q/r: missing value',
    ],
    [
      'an add under a missing parent',
      [{ op: 'add', path: '/q/r', value: 1 }],
      'add operation does not apply: doc is missing path: "/q/r": missing value',
    ],
    [
      'an add at the root',
      [{ op: 'add', path: '', value: {} }],
      'add operation does not apply: doc is missing path: "": missing value',
    ],
    [
      'an add past the end',
      [{ op: 'add', path: '/a/b/5', value: 1 }],
      "error in add for path: '/a/b/5': Unable to access invalid index: 5: invalid index referenced",
    ],
    [
      'an add at a bad index',
      [{ op: 'add', path: '/a/b/x', value: 1 }],
      `error in add for path: '/a/b/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`,
    ],
    [
      'a remove of a missing member',
      [{ op: 'remove', path: '/q' }],
      "error in remove for path: '/q': Unable to remove nonexistent key: q: missing value",
    ],
    [
      'a remove past the end',
      [{ op: 'remove', path: '/a/b/3' }],
      "error in remove for path: '/a/b/3': Unable to access invalid index: 3: invalid index referenced",
    ],
    [
      'a remove under a missing parent',
      [{ op: 'remove', path: '/q/r' }],
      'remove operation does not apply: doc is missing path: "/q/r": missing value',
    ],
    [
      'a replace past the end',
      [{ op: 'replace', path: '/a/b/7', value: 1 }],
      'replace operation does not apply: doc is missing key: /a/b/7: missing value',
    ],
    [
      'a replace without path',
      [{ op: 'replace', value: 1 }],
      'replace operation failed to decode path: operation missing path field: missing value',
    ],
    [
      'a move from a missing member',
      [{ op: 'move', from: '/q', path: '/r' }],
      "error in move for path: 'q': Unable to remove nonexistent key: q: missing value",
    ],
    [
      'a move without from',
      [{ op: 'move', path: '/r' }],
      'move operation failed to decode from: operation, missing from field: missing value',
    ],
    [
      'a move into its own child',
      [{ op: 'move', from: '/a', path: '/a/c' }],
      'move operation does not apply: doc is missing destination path: /a/c: missing value',
    ],
    [
      'a copy from a bad index',
      [{ op: 'copy', from: '/a/b/9', path: '/r' }],
      "error in copy for from: '/a/b/9': Unable to access invalid index: 9: invalid index referenced",
    ],
    [
      'a copy to a missing parent',
      [{ op: 'copy', from: '/s', path: '/q/r' }],
      'copy operation does not apply: doc is missing destination path: /q/r: missing value',
    ],
    ['an unknown op', [{ op: 'frobnicate', path: '/s' }], 'Unexpected kind: frobnicate'],
    ['an op without op', [{ path: '/s' }], 'Unexpected kind: unknown'],
  ];

  it.each(cases)('answers 422 for %s, with upstream text in detail', (_name, ops, detail) => {
    const error = failure(ops);
    expect(error).toMatchObject({ code: 422, reason: 'Invalid', message: genericInvalidMessage });
    expect(error.detail).toBe(detail);
  });

  it('stops at the first failed operation', () => {
    const error = failure([
      { op: 'add', path: '/x', value: 1 },
      { op: 'test', path: '/x', value: 2 },
      { op: 'remove', path: '/nothing' },
    ]);
    expect(error.detail).toBe('testing value /x failed: test failed');
  });

  it('rejects operations that do not decode, worded per fieldValidation', () => {
    expect(failure({ op: 'add' })).toEqual({
      code: 400,
      reason: 'BadRequest',
      message:
        'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
    });
    expect(applyJsonPatch(doc, ['x'], { fieldValidation: 'Ignore' })).toMatchObject({
      ok: false,
      error: { message: 'json: cannot unmarshal string into Go value of type jsonpatch.Operation' },
    });
    expect(failure([{ op: 'add', path: 5 }]).message).toBe(
      'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.path of type string',
    );
  });

  it('limits the operation count and the bytes copied', () => {
    const ops = [
      { op: 'test', path: '/s', value: 'text' },
      { op: 'test', path: '/s', value: 'text' },
    ];
    expect(applyJsonPatch(doc, ops, { limits: { operationsMax: 1 } })).toMatchObject({
      ok: false,
      error: {
        code: 413,
        message: 'The allowed maximum operations in a JSON patch is 1, got 2',
      },
    });
    const copy = [{ op: 'copy', from: '/s', path: '/t' }];
    const result = applyJsonPatch(doc, copy, { limits: { copyBytesMax: 5 } });
    expect(result).toMatchObject({ ok: false, error: { code: 422 } });
    expect(result.ok ? '' : result.error.detail).toBe(
      'Unable to complete the copy, the accumulated size increase of copy is 6, exceeding the limit 5',
    );
  });
});

// ---- A reference model over plain values, written independently of the Map-based engine. ----

type Plain = JsonValue;
type Box = { root: Plain };
const fail = Symbol('fail');

function clone(value: Plain): Plain {
  return JSON.parse(JSON.stringify(value)) as Plain;
}

function isPlainObject(value: unknown): value is Record<string, Plain> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function indexOf(list: Plain[], token: string, extra: number): number | typeof fail {
  if (!/^[+-]?\d+$/.test(token)) return fail;
  let index = Number(token);
  if (index < -(list.length + extra) || index >= list.length + extra) return fail;
  if (index < 0) index += list.length + extra;
  return index;
}

function parentOf(
  box: Box,
  path: string,
): { holder: Plain[] | Record<string, Plain>; last: string } | typeof fail {
  const tokens = path.split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (tokens.length < 2) return fail;
  let holder: Plain = box.root;
  for (const token of tokens.slice(1, -1)) {
    let next: Plain | undefined;
    if (Array.isArray(holder)) {
      const index = indexOf(holder, token, 0);
      if (index === fail) return fail;
      next = holder[index];
    } else if (isPlainObject(holder)) next = holder[token];
    if (next === undefined || next === null || typeof next !== 'object') return fail;
    holder = next;
  }
  if (typeof holder !== 'object' || holder === null) return fail;
  return {
    holder: holder as Plain[] | Record<string, Plain>,
    last: tokens[tokens.length - 1] as string,
  };
}

function read(p: {
  holder: Plain[] | Record<string, Plain>;
  last: string;
}): Plain | undefined | typeof fail {
  if (!Array.isArray(p.holder))
    return Object.hasOwn(p.holder, p.last) ? p.holder[p.last] : undefined;
  const index = indexOf(p.holder, p.last, 0);
  return index === fail ? fail : p.holder[index];
}

function insert(
  p: { holder: Plain[] | Record<string, Plain>; last: string },
  value: Plain,
): boolean {
  if (!Array.isArray(p.holder)) {
    p.holder[p.last] = value;
    return true;
  }
  if (p.last === '-') {
    p.holder.push(value);
    return true;
  }
  const index = indexOf(p.holder, p.last, 1);
  if (index === fail) return false;
  p.holder.splice(index, 0, value);
  return true;
}

function erase(p: { holder: Plain[] | Record<string, Plain>; last: string }): boolean {
  if (!Array.isArray(p.holder)) {
    if (!Object.hasOwn(p.holder, p.last)) return false;
    delete p.holder[p.last];
    return true;
  }
  const index = indexOf(p.holder, p.last, 0);
  if (index === fail) return false;
  p.holder.splice(index, 1);
  return true;
}

function equal(a: Plain | undefined, b: Plain | undefined): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: Plain | undefined): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isPlainObject(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  return value;
}

interface ModelOp {
  op: string;
  path: string;
  from: string;
  value: Plain;
}

function modelStep(box: Box, op: ModelOp): boolean {
  if (op.op === 'replace' && op.path === '') {
    if (typeof op.value === 'object' && op.value !== null) box.root = clone(op.value);
    return true;
  }
  if (op.op === 'test' && op.path === '') return equal(box.root, op.value);
  if (op.op === 'move' || op.op === 'copy') {
    const source = parentOf(box, op.from);
    if (source === fail) return false;
    const value = read(source);
    if (value === fail) return false;
    if (op.op === 'move' && !erase(source)) return false;
    const target = parentOf(box, op.path);
    return target !== fail && insert(target, value === undefined ? null : clone(value));
  }
  const parent = parentOf(box, op.path);
  if (parent === fail) return false;
  switch (op.op) {
    case 'add':
      return insert(parent, clone(op.value));
    case 'remove':
      return erase(parent);
    case 'replace': {
      if (Array.isArray(parent.holder)) {
        const index = indexOf(parent.holder, parent.last, 0);
        if (index === fail) return false;
        parent.holder[index] = clone(op.value);
      } else parent.holder[parent.last] = clone(op.value);
      return true;
    }
    default: {
      const actual = read(parent);
      if (actual === fail) return false;
      if (actual === undefined || actual === null) return op.value === null;
      return equal(actual, op.value);
    }
  }
}

function model(original: Plain, ops: ModelOp[]): Plain | typeof fail {
  const box: Box = { root: clone(original) };
  for (const op of ops) if (!modelStep(box, op)) return fail;
  return box.root;
}

describe('applyJsonPatch against a reference model', () => {
  const token = fc.constantFrom('a', 'b', 'c', '0', '1', '-1', '-', 'x~1y', '01');
  const pointer = fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    {
      weight: 6,
      arbitrary: fc.array(token, { minLength: 1, maxLength: 3 }).map((t) => `/${t.join('/')}`),
    },
  );
  const { value } = fc.letrec<{ value: Plain }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.oneof(fc.integer({ min: -2, max: 2 }), fc.constantFrom('s', null, true)),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('a', 'b', 'c', 'x/y'), tie('value'), { maxKeys: 3 }),
    ),
  }));
  const op = fc.record({
    op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test'),
    path: pointer,
    from: pointer,
    value,
  });
  const documentArb = fc.dictionary(fc.constantFrom('a', 'b', 'c'), value, { maxKeys: 3 });

  it('gives the same result or failure as the model', () => {
    fc.assert(
      fc.property(documentArb, fc.array(op, { maxLength: 6 }), (original, ops) => {
        const expected = model(original, ops);
        const result = applyJsonPatch(original, ops as unknown as JsonValue);
        if (expected === fail) expect(result.ok).toBe(false);
        else expect(result).toEqual({ ok: true, value: expected });
      }),
      { numRuns: 500 },
    );
  });
});
