// PUT on an object or its status: preconditions, preserved fields, no-op detection, and the
// final removal of an object whose deletion was only waiting for its finalizers.
import type { ResourceType } from '../api/registry.js';
import type { HandlerResult, TransportRequest } from '../ports/transport.js';
import type { JsonObject, StoredObject } from '../store/types.js';
import { admitDraft, storeErrorToApi } from './commit.js';
import type { ServerContext } from './context.js';
import { objectKey, refOf } from './context.js';
import { reconcileNamespace } from './create.js';
import { decodeObjectBody, fieldValidationOf } from './decode.js';
import type { Draft } from './json-body.js';
import { errorResult, objectResult, warningHeaders } from './responses.js';
import type { ApiError } from './status.js';
import { badRequest, conflict, notFound, optimisticLockMessage } from './status.js';
import { metadataOf, prepareForStatusUpdate, prepareForUpdate } from './strategy.js';
import { keepNamespaceSpecFinalizers, namespaceRemovalBlocked } from './namespace-deletion.js';

export type UpdateOutcome =
  { ok: true; object: StoredObject; created: boolean } | { ok: false; error: ApiError };

/** Everything but resourceVersion, to tell a no-op update from a change. */
function contentText(object: JsonObject | Draft): string {
  const meta = { ...(object.metadata as Record<string, unknown>) };
  delete meta.resourceVersion;
  return JSON.stringify({ ...object, metadata: meta });
}

function finalizersOf(object: JsonObject): readonly unknown[] {
  const meta = object.metadata as JsonObject;
  return Array.isArray(meta.finalizers) ? (meta.finalizers as readonly unknown[]) : [];
}

/** An object being deleted with no finalizers left and no grace period to wait out is removed. */
export function readyForRemoval(object: JsonObject): boolean {
  const meta = object.metadata as JsonObject;
  if (meta.deletionTimestamp === undefined) return false;
  if (finalizersOf(object).length > 0) return false;
  const grace = meta.deletionGracePeriodSeconds;
  return grace === undefined || grace === 0;
}

/**
 * Applies an already-decoded draft as an update of `name`. Shared by PUT, the status
 * subresource, and later by PATCH (which builds the draft from the stored object).
 */
export function applyUpdate(
  ctx: ServerContext,
  type: ResourceType,
  target: { namespace: string; name: string; subresource: string },
  draft: Draft,
): UpdateOutcome {
  const { namespace, name, subresource } = target;
  const key = objectKey(type, namespace, name);
  const old = ctx.store.get(key);
  if (old === undefined) return { ok: false, error: notFound(refOf(type), name) };
  const incomingRv = metadataOf(draft).resourceVersion;
  const expected = typeof incomingRv === 'string' && incomingRv !== '' ? incomingRv : undefined;
  if (expected !== undefined && expected !== (old.metadata as JsonObject).resourceVersion) {
    return { ok: false, error: conflict(refOf(type), name, optimisticLockMessage) };
  }
  let next = draft;
  if (subresource === 'status') next = prepareForStatusUpdate(type, draft, old);
  else {
    prepareForUpdate(type, next, old);
    keepNamespaceSpecFinalizers(type, next, old);
  }
  const nowMs = ctx.clock.nowMs();
  const admitted = admitDraft(ctx, {
    operation: 'UPDATE',
    type,
    subresource,
    namespace,
    name,
    object: next,
    oldObject: old,
    nowMs,
  });
  if (!admitted.ok) return admitted;
  if (readyForRemoval(admitted.object) && !namespaceRemovalBlocked(type, admitted.object)) {
    const removed = ctx.store.delete(key, {
      expectedResourceVersion: (old.metadata as JsonObject).resourceVersion as string,
    });
    if (!removed.ok) return { ok: false, error: storeErrorToApi(type, name, removed.error) };
    return { ok: true, object: removed.value, created: false };
  }
  if (contentText(admitted.object) === contentText(old))
    return { ok: true, object: old, created: false };
  const stored = ctx.store.update(key, admitted.object, {
    expectedResourceVersion: (old.metadata as JsonObject).resourceVersion as string,
  });
  if (!stored.ok) return { ok: false, error: storeErrorToApi(type, name, stored.error) };
  return { ok: true, object: stored.value, created: false };
}

/**
 * Puts a draft at the URL's namespace and name: a missing name is filled in, a different one
 * (or a different namespace) is a 400 as upstream.
 */
export function placeAtUrl(
  type: ResourceType,
  draft: Draft,
  target: { namespace: string; name: string },
): ApiError | undefined {
  const nsError = reconcileNamespace(type, draft, target.namespace);
  if (nsError !== undefined) return nsError;
  const meta = metadataOf(draft);
  if (meta.name === undefined || meta.name === '') meta.name = target.name;
  if (meta.name === target.name) return undefined;
  return badRequest(
    `the name of the object (${String(meta.name)}) does not match the name on the URL (${target.name})`,
  );
}

export async function handleUpdate(
  ctx: ServerContext,
  type: ResourceType,
  target: { namespace: string; name: string; subresource: string },
  request: TransportRequest,
): Promise<HandlerResult> {
  const mode = fieldValidationOf(request.query);
  if (!mode.ok) return errorResult(mode.error);
  const decoded = decodeObjectBody(request.body, type, mode.mode, ctx.limits);
  if (!decoded.ok) return errorResult(decoded.error);
  const draft = decoded.draft;
  const placed = placeAtUrl(type, draft, target);
  if (placed !== undefined) return errorResult(placed);
  const outcome = applyUpdate(ctx, type, target, draft);
  if (!outcome.ok) return errorResult(outcome.error);
  await ctx.store.sync();
  return objectResult(200, outcome.object, warningHeaders(decoded.warnings));
}
