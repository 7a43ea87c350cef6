// The directives of a strategic merge patch ($patch, $retainKeys, $setElementOrder/<list>,
// $deleteFromPrimitiveList/<list>) and the helpers that read or strip them.

import type { DraftMap, DraftNode } from './draft.js';
import { goScalarEqual, isDraftList, isDraftMap } from './draft.js';
import type { SmpFailure } from './strategic-errors.js';
import {
  badPatchFormatForPrimitiveList,
  badPatchFormatForRetainKeys,
  badPatchFormatForSetElementOrderList,
} from './strategic-errors.js';

export const patchDirective = '$patch';
export const retainKeysDirective = '$retainKeys';
export const setElementOrderPrefix = '$setElementOrder';
export const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';

/** Whether `item` is a map carrying a `$patch` directive. */
export function hasPatchDirective(item: DraftNode | undefined): boolean {
  return isDraftMap(item) && item.has(patchDirective);
}

/**
 * The list name of a `$setElementOrder/<list>` or `$deleteFromPrimitiveList/<list>` key; the
 * prefix must be exactly the part before the first `/`.
 */
export function directiveListName(
  key: string,
  prefix: typeof setElementOrderPrefix | typeof deleteFromPrimitiveListPrefix,
): string | SmpFailure {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    return prefix === setElementOrderPrefix
      ? badPatchFormatForSetElementOrderList()
      : badPatchFormatForPrimitiveList();
  }
  return key.slice(slash + 1);
}

/**
 * Drops every map carrying `$patch` (and list items that are such maps) from a value that is
 * inserted as it is; reports whether the value itself is to be kept. Mutates `node`.
 */
export function removeDirectives(node: DraftNode): { value: DraftNode; keep: boolean } {
  if (isDraftMap(node)) {
    if (node.has(patchDirective)) return { value: null, keep: false };
    for (const [key, child] of [...node]) {
      const result = removeDirectives(child);
      if (result.keep) node.set(key, result.value);
      else node.delete(key);
    }
    return { value: node, keep: true };
  }
  if (isDraftList(node)) {
    const kept: DraftNode[] = [];
    for (const item of node) {
      const result = removeDirectives(item);
      if (result.keep) kept.push(result.value);
    }
    return { value: kept, keep: true };
  }
  return { value: node, keep: true };
}

/** Removes null members of maps at any depth (lists keep null items). Mutates `node`. */
export function discardNulls(node: DraftNode): void {
  if (isDraftMap(node)) {
    for (const [key, child] of [...node]) {
      if (child === null) node.delete(key);
      else discardNulls(child);
    }
  } else if (isDraftList(node)) {
    for (const item of node) discardNulls(item);
  }
}

/**
 * `$retainKeys`: clears the members of `original` not listed; every non-null member the patch
 * sets (directives aside) must be listed. Removes the directive from `patch`.
 */
export function applyRetainKeys(original: DraftMap, patch: DraftMap): SmpFailure | undefined {
  if (!patch.has(retainKeysDirective)) return undefined;
  const listed = patch.get(retainKeysDirective);
  patch.delete(retainKeysDirective);
  if (!isDraftList(listed)) return badPatchFormatForRetainKeys();
  const isListed = (key: string): boolean => listed.some((item) => goScalarEqual(item, key));
  for (const [key, value] of patch) {
    if (value === null || key.startsWith(deleteFromPrimitiveListPrefix)) continue;
    if (key.startsWith(setElementOrderPrefix)) continue;
    if (!isListed(key)) return badPatchFormatForRetainKeys();
  }
  for (const key of [...original.keys()]) if (!isListed(key)) original.delete(key);
  return undefined;
}
