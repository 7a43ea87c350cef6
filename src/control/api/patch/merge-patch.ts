// JSON merge patch (RFC 7386) as the API server applies it (evanphx/json-patch v4 MergePatch),
// and the diff that produces one.
//
// RFC 7386: a patch object merges key by key into an object, `null` deletes a key, any other
// value replaces. Upstream also drops nulls inside a value it inserts where the target had
// nothing (or a non-object), and does so inside lists too (`{"a":[{"b":null}]}` sets
// `a: [{}]`), where the RFC keeps list contents verbatim; this module follows upstream.

import type { JsonValue } from '../../store/types.js';
import type { DraftMap, DraftNode } from './draft.js';
import { draftEqual, fromDraft, isDraftList, isDraftMap, toDraft } from './draft.js';

/** Removes null members of objects, recursing through objects and lists (lists keep nulls). */
function pruneNulls(node: DraftNode): void {
  if (isDraftMap(node)) {
    for (const [key, child] of [...node]) {
      if (child === null) node.delete(key);
      else pruneNulls(child);
    }
  } else if (isDraftList(node)) {
    for (const item of node) if (item !== null) pruneNulls(item);
  }
}

function mergeValue(current: DraftNode, patch: DraftNode): DraftNode {
  if (!isDraftMap(current)) {
    pruneNulls(patch);
    return patch;
  }
  if (!isDraftMap(patch)) return patch;
  mergeMaps(current, patch);
  return current;
}

function mergeMaps(target: DraftMap, patch: DraftMap): void {
  for (const [key, value] of patch) {
    const current = target.get(key);
    if (value === null) {
      target.delete(key);
    } else if (current === undefined || current === null) {
      pruneNulls(value);
      target.set(key, value);
    } else {
      target.set(key, mergeValue(current, value));
    }
  }
}

/** Merges a parsed merge patch into a draft (both are consumed). */
export function mergePatchDraft(original: DraftNode, patch: DraftNode): DraftNode {
  if (!isDraftMap(patch)) {
    pruneNulls(patch);
    return patch;
  }
  if (!isDraftMap(original)) {
    pruneNulls(patch);
    return patch;
  }
  mergeMaps(original, patch);
  return original;
}

/** Applies a JSON merge patch; a patch that is not an object replaces the whole value. */
export function applyMergePatch(original: JsonValue, patch: JsonValue): JsonValue {
  return fromDraft(mergePatchDraft(toDraft(original), toDraft(patch)));
}

function diffMaps(original: DraftMap, modified: DraftMap): DraftMap {
  const patch: DraftMap = new Map();
  for (const key of original.keys()) if (!modified.has(key)) patch.set(key, null);
  for (const [key, value] of modified) {
    const before = original.get(key);
    if (before !== undefined && draftEqual(before, value)) continue;
    if (isDraftMap(before) && isDraftMap(value)) {
      const child = diffMaps(before, value);
      if (child.size > 0) patch.set(key, child);
    } else {
      patch.set(key, value);
    }
  }
  return patch;
}

/**
 * The merge patch that turns `original` into `modified`, as kubectl computes one: removed keys
 * become null, changed objects recurse, anything else changed is sent whole (lists included).
 * Exact for any `modified` without nulls (a null would be read as "delete").
 */
export function createMergePatch(original: JsonValue, modified: JsonValue): JsonValue {
  const before = toDraft(original);
  const after = toDraft(modified);
  if (!isDraftMap(before) || !isDraftMap(after)) return modified;
  return fromDraft(diffMaps(before, after));
}
