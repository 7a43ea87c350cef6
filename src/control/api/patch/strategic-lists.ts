// List merging of a strategic merge patch: merge-key lists, primitive sets, `$patch` items in
// lists, `$deleteFromPrimitiveList` and `$setElementOrder` (apimachinery v0.32 semantics).

import type { DraftMap, DraftNode } from './draft.js';
import { goScalarEqual, isDraftList, isDraftMap } from './draft.js';
import { goSprint } from './go-fmt.js';
import type { PatchMeta, PatchSchema } from './patch-meta.js';
import { lookupList, schemaKindName } from './patch-meta.js';
import {
  directiveListName,
  hasPatchDirective,
  patchDirective,
  removeDirectives,
  setElementOrderPrefix,
} from './strategic-directives.js';
import { SmpFailure, badArgType, badPatchType, noMergeKey, unknown } from './strategic-errors.js';
import {
  findByKey,
  mapType,
  normalizeElementOrder,
  partitionByPresence,
  sliceElementType,
} from './strategic-order.js';

/** What list merging needs from the map merger (passed in to keep the modules acyclic). */
export interface SmpContext {
  /** False for server-side apply: `$`-keys are plain data, not directives. */
  directives: boolean;
  mergeMap(original: DraftMap, patch: DraftMap, schema: PatchSchema): DraftMap | SmpFailure;
}

type ListResult = DraftNode[] | SmpFailure;

function dedupe(items: readonly DraftNode[]): DraftNode[] {
  const kept: DraftNode[] = [];
  for (const item of items) if (!kept.some((other) => goScalarEqual(other, item))) kept.push(item);
  return kept;
}

function deleteMatching(
  list: readonly DraftNode[],
  mergeKey: string,
  value: DraftNode | undefined,
): ListResult {
  let remaining = [...list];
  for (;;) {
    const found = findByKey(remaining, mergeKey, value);
    if (found instanceof SmpFailure) return found;
    if (found === undefined) return remaining;
    remaining = [...remaining.slice(0, found.index), ...remaining.slice(found.index + 1)];
  }
}

/** Applies `$patch: delete | replace` items; returns the live list to merge into and the rest. */
function applySpecialItems(
  original: readonly DraftNode[],
  patch: readonly DraftNode[],
  mergeKey: string,
): { original: DraftNode[]; patch: DraftNode[] } | SmpFailure {
  let live = [...original];
  const plain: DraftNode[] = [];
  let replace = false;
  for (const node of patch) {
    const item = node as DraftMap;
    if (!item.has(patchDirective)) {
      plain.push(item);
      continue;
    }
    const directive = item.get(patchDirective) ?? null;
    if (directive === 'delete') {
      if (!item.has(mergeKey)) return noMergeKey(item, mergeKey);
      const remaining = deleteMatching(live, mergeKey, item.get(mergeKey));
      if (remaining instanceof SmpFailure) return remaining;
      live = remaining;
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      return unknown('merging lists cannot yet be specified in the patch');
    } else {
      return badPatchType(directive, item);
    }
  }
  return replace ? { original: plain, patch: [] } : { original: live, patch: plain };
}

/** Merges patch items into live items with the same merge key value; new ones are appended. */
function mergeByKey(
  ctx: SmpContext,
  original: readonly DraftNode[],
  patch: readonly DraftNode[],
  mergeKey: string,
  schema: PatchSchema,
): ListResult {
  const result = [...original];
  for (const node of patch) {
    const item = node as DraftMap;
    if (!item.has(mergeKey)) return noMergeKey(item, mergeKey);
    const found = findByKey(result, mergeKey, item.get(mergeKey));
    if (found instanceof SmpFailure) return found;
    if (found === undefined) {
      result.push(item);
      continue;
    }
    const merged = ctx.mergeMap(found.item, item, schema);
    if (merged instanceof SmpFailure) return merged;
    result[found.index] = merged;
  }
  return result;
}

/** Merges two lists of a `merge` field (or applies a deletion list); upstream mergeSlice. */
function mergeSlice(
  ctx: SmpContext,
  lists: { original: DraftNode[]; patch: DraftNode[] },
  schema: PatchSchema,
  mergeKey: string,
  isDeleteList: boolean,
): ListResult {
  let { original, patch } = lists;
  if (original.length === 0 && patch.length === 0) return original;
  const elementType = sliceElementType([original, patch]);
  if (elementType instanceof SmpFailure) return elementType;
  let merged: ListResult;
  if (elementType !== mapType) {
    if (isDeleteList) return original.filter((item) => !patch.some((d) => goScalarEqual(d, item)));
    merged = dedupe([...original, ...patch]);
  } else {
    if (mergeKey === '') {
      return unknown(`cannot merge lists without merge key for ${schemaKindName(schema)}`);
    }
    const special = ctx.directives ? applySpecialItems(original, patch, mergeKey) : lists;
    if (special instanceof SmpFailure) return special;
    ({ original, patch } = special);
    merged = mergeByKey(ctx, original, patch, mergeKey, schema);
    if (merged instanceof SmpFailure) return merged;
  }
  const parts = partitionByPresence(merged, patch, mergeKey);
  if (parts instanceof SmpFailure) return parts;
  const split = { patchItems: parts.present, serverOnly: parts.rest };
  return normalizeElementOrder(split, patch, original, mergeKey, elementType);
}

/**
 * Merges a list field by its strategy: `merge` lists (and deletion lists) merge, any other
 * list is replaced by the patch's list as it is.
 */
export function mergeListField(
  ctx: SmpContext,
  lists: { original: DraftNode[]; patch: DraftNode[] },
  schema: PatchSchema,
  meta: PatchMeta,
  isDeleteList: boolean,
): ListResult {
  if (meta.strategy !== 'merge' && !isDeleteList) return lists.patch;
  return mergeSlice(ctx, lists, schema, meta.mergeKey, isDeleteList);
}

function mergeKeyValueEqual(
  left: DraftNode,
  right: DraftNode,
  mergeKey: string,
): boolean | SmpFailure {
  if (mergeKey === '') return goScalarEqual(left, right);
  if (!isDraftMap(left)) return badArgType('map', left);
  if (!isDraftMap(right)) return badArgType('map', right);
  if (!left.has(mergeKey)) return noMergeKey(left, mergeKey);
  if (!right.has(mergeKey)) return noMergeKey(right, mergeKey);
  return goScalarEqual(left.get(mergeKey), right.get(mergeKey));
}

/** The patch's items must appear in the $setElementOrder list, in the same relative order. */
function validateOrder(
  patchList: readonly DraftNode[],
  order: readonly DraftNode[],
  mergeKey: string,
): SmpFailure | undefined {
  if (order.length === 0 || patchList.length === 0) return undefined;
  let items = patchList;
  if (mergeKey !== '') {
    const notMap = patchList.find((item) => !isDraftMap(item));
    if (notMap !== undefined) return badArgType('map', notMap);
    items = patchList.filter((item) => (item as DraftMap).get(patchDirective) !== 'delete');
  }
  let p = 0;
  let s = 0;
  while (p < items.length && s < order.length) {
    if (hasPatchDirective(items[p])) {
      p++;
      continue;
    }
    const equal = mergeKeyValueEqual(items[p] as DraftNode, order[s] as DraftNode, mergeKey);
    if (equal instanceof SmpFailure) return equal;
    if (equal) p++;
    s++;
  }
  if (p < items.length && s >= order.length) {
    return unknown(
      `The order in patch list:\n${goSprint([...patchList])}\n doesn't match ` +
        `${setElementOrderPrefix} list:\n${goSprint([...order])}\n`,
    );
  }
  return undefined;
}

/** The list at `key` of a map, or a failure when present but not a list. */
function listAt(map: DraftMap, key: string): DraftNode[] | undefined | SmpFailure {
  if (!map.has(key)) return undefined;
  const value = map.get(key);
  return isDraftList(value) ? value : badArgType('slice', value);
}

/** One `$setElementOrder/<list>` directive: merges that list and orders its items. */
function applyOneElementOrder(
  ctx: SmpContext,
  maps: { original: DraftMap; patch: DraftMap },
  key: string,
  schema: PatchSchema,
): SmpFailure | undefined {
  const { original, patch } = maps;
  const order = patch.get(key);
  patch.delete(key);
  if (!isDraftList(order)) return badArgType('slice', order);
  const name = directiveListName(key, setElementOrderPrefix);
  if (name instanceof SmpFailure) return name;
  const originalList = listAt(original, name);
  if (originalList instanceof SmpFailure) return originalList;
  const patchList = listAt(patch, name);
  if (patchList instanceof SmpFailure) return patchList;
  const found = lookupList(schema, name);
  if ('error' in found) return unknown(found.error);
  const mergeKey = found.meta.mergeKey;
  const invalid = validateOrder(patchList ?? [], order, mergeKey);
  if (invalid) return invalid;
  if (originalList === undefined && patchList === undefined) return undefined;
  let merged: ListResult;
  if (patchList === undefined) merged = originalList ?? [];
  else if (originalList === undefined) merged = removeDirectives(patchList).value as DraftNode[];
  else {
    const lists = { original: originalList, patch: patchList };
    merged = mergeListField(ctx, lists, found.schema, found.meta, false);
  }
  if (merged instanceof SmpFailure) return merged;
  const parts = partitionByPresence(merged, order, mergeKey);
  if (parts instanceof SmpFailure) return parts;
  const elementType = sliceElementType([originalList ?? [], patchList ?? []]);
  if (elementType instanceof SmpFailure) return elementType;
  const split = { patchItems: parts.present, serverOnly: parts.rest };
  const both = normalizeElementOrder(split, order, originalList ?? [], mergeKey, elementType);
  if (both instanceof SmpFailure) return both;
  original.set(name, both);
  patch.delete(name);
  return undefined;
}

/**
 * Processes every `$setElementOrder/<list>` of `patch` (upstream mergePatchIntoOriginal): the
 * list is merged now, ordered by the directive first, and removed from the patch.
 */
export function applyElementOrders(
  ctx: SmpContext,
  maps: { original: DraftMap; patch: DraftMap },
  keys: readonly string[],
  schema: PatchSchema,
): SmpFailure | undefined {
  for (const key of keys) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const failure = applyOneElementOrder(ctx, maps, key, schema);
    if (failure) return failure;
  }
  return undefined;
}
