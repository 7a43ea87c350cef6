// Namespace deletion and the finalize subresource, as upstream's namespace registry
// (pkg/registry/core/namespace/storage) implements them.
//
// - The first DELETE of a namespace removes nothing: it sets `metadata.deletionTimestamp` and
//   `status.phase: Terminating` and answers 200 with the namespace. NamespaceLifecycle then
//   refuses new content, and the namespace controller empties it.
// - A DELETE of a terminating namespace whose `spec.finalizers` is not empty changes nothing
//   (200 with the namespace). Once `spec.finalizers` is empty it is a normal delete: removed at
//   once unless `metadata.finalizers` (orphan, foregroundDeletion, ...) still hold it.
// - PUT /api/v1/namespaces/{name}/finalize (FinalizeREST) writes spec and metadata from the body
//   and keeps the stored status. A terminating namespace left with neither spec.finalizers nor
//   metadata.finalizers is removed by that very call (ShouldDeleteNamespaceDuringUpdate), which
//   answers 200 with the removed object. The namespace controller finalizes that way.
import type { ResourceType } from '../api/registry.js';
import { findResource } from '../api/registry.js';
import { deepFreeze } from '../api/values/canonical-json.js';
import { formatTime } from '../api/values/time.js';
import type { HandlerResult, TransportRequest } from '../ports/transport.js';
import type { JsonObject, JsonValue, StoredObject } from '../store/types.js';
import { assert } from '../util/assert.js';
import type { WriteResult } from './commit.js';
import { admitDraft, storeErrorToApi } from './commit.js';
import type { ServerContext } from './context.js';
import { objectKey, refOf } from './context.js';
import { reconcileNamespace } from './create.js';
import { decodeObjectBody, fieldValidationOf } from './decode.js';
import type { Draft } from './json-body.js';
import { isDraftObject } from './json-body.js';
import { errorResult, objectResult, warningHeaders } from './responses.js';
import { badRequest, conflict, notFound, optimisticLockMessage } from './status.js';
import { metadataOf, prepareForUpdate } from './strategy.js';

/** What a namespace DELETE needs from the request's DeleteOptions (delete.ts parses them). */
export interface NamespaceDeleteOptions {
  propagationPolicy: 'Background' | 'Foreground' | 'Orphan';
}

export function isNamespaceType(type: ResourceType): boolean {
  return type.group === '' && type.plural === 'namespaces';
}

function stringsAt(object: JsonValue | undefined, field: string): string[] {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return [];
  const list = (object as JsonObject)[field];
  if (!Array.isArray(list)) return [];
  return (list as readonly JsonValue[]).filter((item): item is string => typeof item === 'string');
}

export function specFinalizersOf(namespace: JsonObject): string[] {
  return stringsAt(namespace.spec, 'finalizers');
}

function metadataFinalizersOf(object: JsonObject): string[] {
  return stringsAt(object.metadata, 'finalizers');
}

/**
 * For update.ts (`readyForRemoval`): an update must not remove a namespace whose spec.finalizers
 * are not empty, whatever its metadata says (upstream ShouldDeleteNamespaceDuringUpdate).
 */
export function namespaceRemovalBlocked(type: ResourceType, object: JsonObject): boolean {
  return isNamespaceType(type) && specFinalizersOf(object).length > 0;
}

/**
 * For strategy.ts (`prepareForUpdate`, main resource only): a PUT of a namespace keeps the
 * stored spec.finalizers; only /finalize changes them (upstream namespaceStrategy).
 */
export function keepNamespaceSpecFinalizers(
  type: ResourceType,
  draft: Draft,
  old: JsonObject,
): void {
  if (!isNamespaceType(type)) return;
  const spec = isDraftObject(draft.spec) ? draft.spec : {};
  const kept = specFinalizersOf(old);
  if (kept.length === 0) delete spec.finalizers;
  else spec.finalizers = [...kept];
  draft.spec = spec;
}

/** Upstream shouldHaveOrphanFinalizer / shouldHaveDeleteDependentsFinalizer, in list order. */
function finalizersFor(existing: readonly string[], options: NamespaceDeleteOptions): string[] {
  if (options.propagationPolicy === 'Background') return [...existing];
  const wanted = options.propagationPolicy === 'Orphan' ? 'orphan' : 'foregroundDeletion';
  const dropped = options.propagationPolicy === 'Orphan' ? 'foregroundDeletion' : 'orphan';
  const kept = existing.filter((f) => f !== dropped);
  return kept.includes(wanted) ? kept : [...kept, wanted];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function withMetadata(object: StoredObject, patch: Record<string, JsonValue>): StoredObject {
  const metadata = { ...(object.metadata as JsonObject), ...patch };
  return { ...object, metadata };
}

function write(
  ctx: ServerContext,
  type: ResourceType,
  key: string,
  old: StoredObject,
  next: StoredObject,
): WriteResult {
  const meta = old.metadata as JsonObject;
  const stored = ctx.store.update(key, deepFreeze(next) as StoredObject, {
    expectedResourceVersion: meta.resourceVersion as string,
  });
  if (!stored.ok)
    return { ok: false, error: storeErrorToApi(type, String(meta.name), stored.error) };
  return { ok: true, object: stored.value };
}

/** The first DELETE: deletionTimestamp, phase Terminating, propagation finalizers. */
function startTermination(
  ctx: ServerContext,
  type: ResourceType,
  key: string,
  namespace: StoredObject,
  options: NamespaceDeleteOptions,
): WriteResult {
  const finalizers = finalizersFor(metadataFinalizersOf(namespace), options);
  const patch: Record<string, JsonValue> = { deletionTimestamp: formatTime(ctx.clock.nowMs()) };
  if (finalizers.length > 0) patch.finalizers = finalizers;
  const status = isDraftObject(namespace.status) ? (namespace.status as JsonObject) : {};
  const next = { ...withMetadata(namespace, patch), status: { ...status, phase: 'Terminating' } };
  return write(ctx, type, key, namespace, next);
}

/**
 * DELETE of a namespace (called by delete.ts after the preconditions were checked): see the
 * file comment. Never graceful: DeleteOptions' grace period is ignored, as upstream.
 */
export function deleteNamespace(
  ctx: ServerContext,
  type: ResourceType,
  key: string,
  namespace: StoredObject,
  options: NamespaceDeleteOptions,
): WriteResult {
  assert(isNamespaceType(type), 'deleteNamespace is for namespaces');
  const meta = namespace.metadata as JsonObject;
  if (meta.deletionTimestamp === undefined) {
    return startTermination(ctx, type, key, namespace, options);
  }
  if (specFinalizersOf(namespace).length > 0) return { ok: true, object: namespace };
  const existing = metadataFinalizersOf(namespace);
  const finalizers = finalizersFor(existing, options);
  if (finalizers.length > 0) {
    if (sameList(existing, finalizers)) return { ok: true, object: namespace };
    return write(ctx, type, key, namespace, withMetadata(namespace, { finalizers }));
  }
  const removed = ctx.store.delete(key, {
    expectedResourceVersion: meta.resourceVersion as string,
  });
  if (!removed.ok)
    return { ok: false, error: storeErrorToApi(type, String(meta.name), removed.error) };
  return { ok: true, object: removed.value };
}

/** Everything but resourceVersion, to tell a no-op write from a change. */
function contentText(object: JsonObject): string {
  const meta = { ...(object.metadata as JsonObject) };
  delete meta.resourceVersion;
  return JSON.stringify({ ...object, metadata: meta });
}

function readyForRemoval(namespace: JsonObject): boolean {
  const meta = namespace.metadata as JsonObject;
  if (meta.deletionTimestamp === undefined) return false;
  if (specFinalizersOf(namespace).length > 0 || metadataFinalizersOf(namespace).length > 0) {
    return false;
  }
  const grace = meta.deletionGracePeriodSeconds;
  return grace === undefined || grace === 0;
}

function finalizeDraft(
  ctx: ServerContext,
  type: ResourceType,
  name: string,
  draft: Draft,
): WriteResult {
  const key = objectKey(type, '', name);
  const old = ctx.store.get(key);
  if (old === undefined) return { ok: false, error: notFound(refOf(type), name) };
  const oldMeta = old.metadata as JsonObject;
  const incomingRv = metadataOf(draft).resourceVersion;
  if (
    typeof incomingRv === 'string' &&
    incomingRv !== '' &&
    incomingRv !== oldMeta.resourceVersion
  ) {
    return { ok: false, error: conflict(refOf(type), name, optimisticLockMessage) };
  }
  prepareForUpdate(type, draft, old);
  const admitted = admitDraft(ctx, {
    operation: 'UPDATE',
    type,
    subresource: 'finalize',
    namespace: '',
    name,
    object: draft,
    oldObject: old,
    nowMs: ctx.clock.nowMs(),
  });
  if (!admitted.ok) return admitted;
  const expected = { expectedResourceVersion: oldMeta.resourceVersion as string };
  if (readyForRemoval(admitted.object)) {
    const removed = ctx.store.delete(key, expected);
    if (!removed.ok) return { ok: false, error: storeErrorToApi(type, name, removed.error) };
    return { ok: true, object: removed.value };
  }
  if (contentText(admitted.object) === contentText(old)) return { ok: true, object: old };
  const stored = ctx.store.update(key, admitted.object, expected);
  if (!stored.ok) return { ok: false, error: storeErrorToApi(type, name, stored.error) };
  return { ok: true, object: stored.value };
}

/**
 * PUT /api/v1/namespaces/{name}/finalize. `target.name` is the name on the URL. Answers 200 with
 * the namespace as written, or as removed when the call finished its deletion.
 */
export async function handleNamespaceFinalize(
  ctx: ServerContext,
  target: { name: string },
  request: TransportRequest,
): Promise<HandlerResult> {
  const type = findResource('', 'v1', 'namespaces');
  assert(type !== undefined, 'the registry has namespaces');
  const mode = fieldValidationOf(request.query);
  if (!mode.ok) return errorResult(mode.error);
  const decoded = decodeObjectBody(request.body, type, mode.mode, ctx.limits);
  if (!decoded.ok) return errorResult(decoded.error);
  const draft = decoded.draft;
  const nsError = reconcileNamespace(type, draft, '');
  if (nsError !== undefined) return errorResult(nsError);
  const meta = metadataOf(draft);
  if (meta.name === undefined || meta.name === '') meta.name = target.name;
  if (meta.name !== target.name) {
    return errorResult(
      badRequest(
        `the name of the object (${String(meta.name)}) ` +
          `does not match the name on the URL (${target.name})`,
      ),
    );
  }
  const outcome = finalizeDraft(ctx, type, target.name, draft);
  if (!outcome.ok) return errorResult(outcome.error);
  await ctx.store.sync();
  return objectResult(200, outcome.object, warningHeaders(decoded.warnings));
}
