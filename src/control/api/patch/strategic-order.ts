// Item order of merged lists in a strategic merge patch (apimachinery v0.32 rules).
//
// After a merge, items split into patch items (named by the patch, or by $setElementOrder) and
// server-only items. Patch items take the patch's order, server-only items keep the live order,
// and the two are interleaved: a server-only item goes before the next patch item only when
// both are in the live list and it came first there. So a new item that the live list lacks
// lands before the server-only items that follow it: merging [{name: c}] into [a, b] without
// $setElementOrder gives [c, a, b], as upstream does.

import type { DraftMap, DraftNode } from './draft.js';
import { goScalarEqual, isDraftList, isDraftMap } from './draft.js';
import { goSprint, goTypeName } from './go-fmt.js';
import { patchDirective } from './strategic-directives.js';
import {
  SmpFailure,
  badArgType,
  noListOfLists,
  noMergeKey,
  notAMap,
  unknown,
} from './strategic-errors.js';

/** The Go type of the items of lists (all items of all lists must share it). */
export function sliceElementType(lists: readonly (readonly DraftNode[])[]): string | SmpFailure {
  let type: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const current = goTypeName(item);
      if (type === undefined) {
        if (isDraftList(item)) return noListOfLists();
        type = current;
      } else if (type !== current) {
        const text = `[${lists.map((l) => goSprint([...l])).join(' ')}]`;
        return unknown(`list element types are not identical: ${text}`);
      }
    }
  }
  return type ?? unknown('no elements in any of the given slices');
}

export const mapType = goTypeName(new Map());

/** The first map in `list` whose `key` equals `value` (every item must be a map). */
export function findByKey(
  list: readonly DraftNode[],
  key: string,
  value: DraftNode | undefined,
): { index: number; item: DraftMap } | undefined | SmpFailure {
  for (let index = 0; index < list.length; index++) {
    const item = list[index];
    if (!isDraftMap(item)) return notAMap(index);
    if (item.has(key) && goScalarEqual(item.get(key), value)) return { index, item };
  }
  return undefined;
}

/** Splits `merged` into items present in `by` and the rest, keeping order. */
export function partitionByPresence(
  merged: readonly DraftNode[],
  by: readonly DraftNode[],
  mergeKey: string,
): { present: DraftNode[]; rest: DraftNode[] } | SmpFailure {
  const present: DraftNode[] = [];
  const rest: DraftNode[] = [];
  for (const item of merged) {
    let found: boolean;
    if (mergeKey === '') {
      found = by.some((other) => goScalarEqual(other, item));
    } else {
      if (!isDraftMap(item)) return badArgType('map', item);
      if (!item.has(mergeKey)) return noMergeKey(item, mergeKey);
      const match = findByKey(by, mergeKey, item.get(mergeKey));
      if (match instanceof SmpFailure) return match;
      found = match !== undefined;
    }
    (found ? present : rest).push(item);
  }
  return { present, rest };
}

/** Position of `item` in `order`: by merge key value for maps, by value otherwise; -1 if absent. */
function indexIn(
  order: readonly DraftNode[],
  item: DraftNode,
  mergeKey: string,
  isMap: boolean,
): number {
  const valueOf = (node: DraftNode | undefined): DraftNode | undefined =>
    isMap ? (isDraftMap(node) ? (node.get(mergeKey) ?? null) : null) : node;
  const wanted = valueOf(item);
  return order.findIndex((other) => goScalarEqual(valueOf(other), wanted));
}

function validateMergeKeys(
  mergeKey: string,
  lists: readonly (readonly DraftNode[])[],
): SmpFailure | undefined {
  for (const list of lists) {
    for (const item of list) {
      if (!isDraftMap(item)) return badArgType('map', item);
      if (!item.has(mergeKey)) return noMergeKey(item, mergeKey);
    }
  }
  return undefined;
}

/**
 * Sorts `items` stably by their position in `order`; `$patch: delete` items go last. Every item
 * is found in `order` whenever the lists passed validation; an item that is not keeps its
 * relative place after the found ones.
 */
function sortByOrder(
  items: readonly DraftNode[],
  order: readonly DraftNode[],
  mergeKey: string,
  isMap: boolean,
): DraftNode[] | SmpFailure {
  let toSort = [...items];
  const toDelete: DraftNode[] = [];
  if (isMap) {
    const invalid = validateMergeKeys(mergeKey, [items, order]);
    if (invalid) return invalid;
    toSort = items.filter((item) => (item as DraftMap).get(patchDirective) !== 'delete');
    toDelete.push(...items.filter((item) => (item as DraftMap).get(patchDirective) === 'delete'));
  }
  const keyed = toSort.map((item, position) => {
    const index = indexIn(order, item, mergeKey, isMap);
    return { item, position, index: index < 0 ? Number.MAX_SAFE_INTEGER : index };
  });
  keyed.sort((a, b) => a.index - b.index || a.position - b.position);
  return [...keyed.map((entry) => entry.item), ...toDelete];
}

/**
 * Orders patch items by `patchOrder` and server-only items by `serverOrder`, then interleaves
 * them (upstream normalizeElementOrder + mergeSortedSlice).
 */
export function normalizeElementOrder(
  lists: { patchItems: DraftNode[]; serverOnly: DraftNode[] },
  patchOrder: readonly DraftNode[],
  serverOrder: readonly DraftNode[],
  mergeKey: string,
  elementType: string,
): DraftNode[] | SmpFailure {
  const isMap = elementType === mapType;
  const right = sortByOrder(lists.patchItems, patchOrder, mergeKey, isMap);
  if (!Array.isArray(right)) return right;
  const left = sortByOrder(lists.serverOnly, serverOrder, mergeKey, isMap);
  if (!Array.isArray(left)) return left;
  const merged: DraftNode[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) merged.push(left[i++] as DraftNode);
    else if (i >= left.length) merged.push(right[j++] as DraftNode);
    else {
      const li = indexIn(serverOrder, left[i] as DraftNode, mergeKey, isMap);
      const ri = indexIn(serverOrder, right[j] as DraftNode, mergeKey, isMap);
      if (li >= 0 && ri >= 0 && li < ri) merged.push(left[i++] as DraftNode);
      else merged.push(right[j++] as DraftNode);
    }
  }
  return merged;
}
