// Strategic merge patch (apimachinery v0.32 `strategicpatch`, server side), driven by the type
// schemas' patchStrategy / patchMergeKey instead of Go struct tags.
//
// Semantics, as upstream's StrategicMergeMapPatch applies them:
// - maps merge key by key; `null` deletes a key; scalars and type changes replace;
// - lists of a `merge` field merge: maps by their merge key (patch items merged into the live
//   item with the same key, new ones added), scalars as a set; other lists are replaced;
// - `$patch: replace` on a map replaces it, `$patch: delete` empties it, anything else fails;
//   in a merge-key list, `{$patch: delete, <key>: v}` removes the items with key v,
//   `{$patch: replace}` makes the list exactly the other patch items;
// - `$retainKeys: [...]` keeps only the listed keys of the live map;
// - `$deleteFromPrimitiveList/<list>: [...]` removes values from a primitive list;
// - `$setElementOrder/<list>: [...]` orders the merged list (see strategic-order.ts);
// - a patch value inserted where the live object has nothing loses its nulls and any map that
//   carries `$patch` (other directives inside it are kept as data, like upstream).
// Go iterates patch maps in random order; keys are processed here in Go string order (which is
// also the order kubectl writes them in), so a `$deleteFromPrimitiveList/x` runs before `x`.

import type { JsonObject } from '../../store/types.js';
import type { ObjectSchema } from '../schema/schema.js';
import { compareGoStrings } from '../values/go-format.js';
import type { DraftMap, DraftNode } from './draft.js';
import { fromDraftMap, isDraftList, isDraftMap, toDraft } from './draft.js';
import { goTypeName } from './go-fmt.js';
import type { PatchError } from './patch-error.js';
import { badRequest, genericInvalid } from './patch-error.js';
import type { PatchSchema } from './patch-meta.js';
import { lookupField, lookupList } from './patch-meta.js';
import {
  applyRetainKeys,
  deleteFromPrimitiveListPrefix,
  directiveListName,
  discardNulls,
  patchDirective,
  removeDirectives,
} from './strategic-directives.js';
import { SmpFailure, badPatchType, unknown } from './strategic-errors.js';
import type { SmpContext } from './strategic-lists.js';
import { applyElementOrders, mergeListField } from './strategic-lists.js';

export interface StrategicMergeOptions {
  /**
   * Whether `$patch`, `$retainKeys`, `$setElementOrder/` and `$deleteFromPrimitiveList/` keys
   * are directives (true, the default) or plain data (server-side apply configurations).
   */
  directives?: boolean;
}

export type StrategicMergeResult =
  { ok: true; value: JsonObject } | { ok: false; error: PatchError };

function stripDirectives(ctx: SmpContext, node: DraftNode): { value: DraftNode; keep: boolean } {
  return ctx.directives ? removeDirectives(node) : { value: node, keep: true };
}

/** Sets `key` to a patch value inserted as it is (no live value to merge with). */
function insertValue(ctx: SmpContext, original: DraftMap, key: string, value: DraftNode): void {
  discardNulls(value);
  const stripped = stripDirectives(ctx, value);
  if (stripped.keep) original.set(key, stripped.value);
  else original.delete(key);
}

function mergeField(
  ctx: SmpContext,
  original: DraftMap,
  entry: { key: string; value: DraftNode; isDeleteList: boolean },
  schema: PatchSchema,
): SmpFailure | undefined {
  const { key, value, isDeleteList } = entry;
  if (value === null) {
    original.delete(key);
    return undefined;
  }
  const live = original.get(key);
  if (live === undefined || goTypeName(live) !== goTypeName(value)) {
    if (!isDeleteList) insertValue(ctx, original, key, value);
    return undefined;
  }
  if (isDraftMap(live) && isDraftMap(value)) {
    const found = lookupField(schema, key);
    if ('error' in found) return unknown(found.error);
    const merged =
      found.meta.strategy === 'replace' ? value : ctx.mergeMap(live, value, found.schema);
    if (merged instanceof SmpFailure) return merged;
    original.set(key, merged);
    return undefined;
  }
  if (isDraftList(live) && isDraftList(value)) {
    const found = lookupList(schema, key);
    if ('error' in found) return unknown(found.error);
    const lists = { original: live, patch: value };
    const merged = mergeListField(ctx, lists, found.schema, found.meta, isDeleteList);
    if (merged instanceof SmpFailure) return merged;
    original.set(key, merged);
    return undefined;
  }
  insertValue(ctx, original, key, value);
  return undefined;
}

/** The field a patch key names, and whether it is a `$deleteFromPrimitiveList/` list. */
function patchEntry(
  ctx: SmpContext,
  key: string,
): { key: string; isDeleteList: boolean } | SmpFailure {
  if (!ctx.directives || !key.startsWith(deleteFromPrimitiveListPrefix)) {
    return { key, isDeleteList: false };
  }
  const name = directiveListName(key, deleteFromPrimitiveListPrefix);
  return name instanceof SmpFailure ? name : { key: name, isDeleteList: true };
}

function mergeMap(
  ctx: SmpContext,
  original: DraftMap,
  patch: DraftMap,
  schema: PatchSchema,
): DraftMap | SmpFailure {
  if (ctx.directives && patch.has(patchDirective)) {
    const directive = patch.get(patchDirective) ?? null;
    if (directive === 'delete') return new Map();
    if (directive !== 'replace') return badPatchType(directive, patch);
    patch.delete(patchDirective);
    return patch;
  }
  if (ctx.directives) {
    const retainFailure = applyRetainKeys(original, patch);
    if (retainFailure) return retainFailure;
    const keys = [...patch.keys()].sort(compareGoStrings);
    const orderFailure = applyElementOrders(ctx, { original, patch }, keys, schema);
    if (orderFailure) return orderFailure;
  }
  for (const key of [...patch.keys()].sort(compareGoStrings)) {
    const entry = patchEntry(ctx, key);
    if (entry instanceof SmpFailure) return entry;
    const value = patch.get(key) ?? null;
    const failure = mergeField(ctx, original, { ...entry, value }, schema);
    if (failure) return failure;
  }
  return original;
}

function context(directives: boolean): SmpContext {
  const ctx: SmpContext = {
    directives,
    mergeMap: (original, patch, schema) => mergeMap(ctx, original, patch, schema),
  };
  return ctx;
}

/** Upstream's HTTP answer to an engine error (interpretStrategicMergePatchError). */
export function smpFailureError(failure: SmpFailure): PatchError {
  switch (failure.kind) {
    case 'BadRequest':
      return badRequest(failure.message);
    case 'Invalid':
      return genericInvalid(failure.message);
    case 'Unknown':
      // Upstream answers these with a 500 and an empty reason; miniku never answers 5xx for
      // bad input, so they are 400s with upstream's text.
      return badRequest(failure.message);
  }
}

/** Applies a strategic merge patch to drafts (both consumed). */
export function strategicMergeDraft(
  schema: ObjectSchema | undefined,
  original: DraftMap,
  patch: DraftMap,
  options: StrategicMergeOptions = {},
): { ok: true; value: DraftMap } | { ok: false; error: PatchError } {
  const merged = mergeMap(context(options.directives ?? true), original, patch, schema);
  if (merged instanceof SmpFailure) return { ok: false, error: smpFailureError(merged) };
  return { ok: true, value: merged };
}

/**
 * Applies a strategic merge patch to an object of the type `schema` describes (undefined: a
 * schema-less object, whose maps merge and lists are replaced). Inputs are not modified.
 */
export function applyStrategicMergePatch(
  schema: ObjectSchema | undefined,
  original: JsonObject,
  patch: JsonObject,
  options: StrategicMergeOptions = {},
): StrategicMergeResult {
  const result = strategicMergeDraft(
    schema,
    toDraft(original) as DraftMap,
    toDraft(patch) as DraftMap,
    options,
  );
  return result.ok ? { ok: true, value: fromDraftMap(result.value) } : result;
}
