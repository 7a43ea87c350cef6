// Mutable working copies of JSON values for the patch engines: objects are Maps, like Go maps.
//
// Patch algorithms mutate their inputs as upstream's Go code does; working on a private copy
// keeps the caller's frozen values untouched, and Maps make keys such as `__proto__` plain data.

import type { JsonObject, JsonValue } from '../../store/types.js';
import { assert } from '../../util/assert.js';
import { isObject } from '../schema/json.js';

export type DraftMap = Map<string, DraftNode>;
export type DraftNode = string | number | boolean | null | DraftNode[] | DraftMap;

export function isDraftMap(node: DraftNode | undefined): node is DraftMap {
  return node instanceof Map;
}

export function isDraftList(node: DraftNode | undefined): node is DraftNode[] {
  return Array.isArray(node);
}

/** A deep mutable copy of a JSON value. */
export function toDraft(value: JsonValue): DraftNode {
  if (value === null || typeof value !== 'object') {
    assert(typeof value !== 'number' || Number.isFinite(value), 'JSON numbers are finite');
    return value;
  }
  if (Array.isArray(value)) return value.map((item: JsonValue) => toDraft(item));
  const map: DraftMap = new Map();
  for (const key of Object.keys(value)) map.set(key, toDraft((value as JsonObject)[key] ?? null));
  return map;
}

/** A plain JSON value of a draft; keys keep their Map order, `-0` becomes 0. */
export function fromDraft(node: DraftNode): JsonValue {
  if (isDraftMap(node)) {
    return Object.fromEntries([...node].map(([key, child]) => [key, fromDraft(child)]));
  }
  if (isDraftList(node)) return node.map(fromDraft);
  if (typeof node === 'number' && Object.is(node, -0)) return 0;
  return node;
}

/** A plain JSON object of a draft map. */
export function fromDraftMap(node: DraftMap): JsonObject {
  const value = fromDraft(node);
  assert(isObject(value), 'a draft map converts to an object');
  return value;
}

export function cloneDraft(node: DraftNode): DraftNode {
  if (isDraftMap(node)) return new Map([...node].map(([key, child]) => [key, cloneDraft(child)]));
  if (isDraftList(node)) return node.map(cloneDraft);
  return node;
}

/** Structural equality (map key order ignored). */
export function draftEqual(a: DraftNode | undefined, b: DraftNode | undefined): boolean {
  if (a === b) return true;
  if (isDraftList(a) && isDraftList(b)) {
    return a.length === b.length && a.every((item, i) => draftEqual(item, b[i]));
  }
  if (isDraftMap(a) && isDraftMap(b)) {
    if (a.size !== b.size) return false;
    for (const [key, child] of a) if (!b.has(key) || !draftEqual(child, b.get(key))) return false;
    return true;
  }
  return false;
}

/**
 * Go's `==` on two interface values decoded from JSON: scalars compare by type and value
 * (integers decode as int64 and other numbers as float64, so 1 and 1.5 never meet); maps and
 * slices are not comparable and never equal here.
 */
export function goScalarEqual(a: DraftNode | undefined, b: DraftNode | undefined): boolean {
  if (typeof a === 'object' && a !== null) return false;
  return a === b;
}

/** Nesting depth of a draft (a scalar is 0, `{}` and `[]` are 1), without recursion. */
export function draftDepth(node: DraftNode): number {
  let deepest = 0;
  const stack: Array<[DraftNode, number]> = [[node, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [DraftNode, number];
    if (!isDraftMap(current) && !isDraftList(current)) continue;
    deepest = Math.max(deepest, depth + 1);
    const children = isDraftMap(current) ? [...current.values()] : current;
    for (const child of children) stack.push([child, depth + 1]);
  }
  return deepest;
}
