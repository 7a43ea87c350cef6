// DELETE of one object or a collection: admission, preconditions, graceful deletion for pods,
// finalizers and propagation policy, as upstream's generic registry does (namespaces follow
// their own registry: namespace-deletion.ts). A Foreground or Orphan policy leaves the
// `foregroundDeletion` / `orphan` finalizer (delete-finalizers.ts) and a deletionTimestamp; the
// garbage collector then does the work and removes the finalizer, which removes the object.
import type { ResourceType } from '../api/registry.js';
import { formatTime, parseTime } from '../api/values/time.js';
import { canonicalStringify, deepFreeze } from '../api/values/canonical-json.js';
import type { HandlerResult, TransportRequest } from '../ports/transport.js';
import type { JsonObject, JsonValue, StoredObject } from '../store/types.js';
import { assert } from '../util/assert.js';
import { runAdmission } from './admission.js';
import { storeErrorToApi } from './commit.js';
import type { ServerContext } from './context.js';
import { finalizersAfterDelete } from './delete-finalizers.js';
import { objectKey, refOf } from './context.js';
import type { Draft } from './json-body.js';
import { isDraftObject, parseJsonBody } from './json-body.js';
import { deleteNamespace, isNamespaceType } from './namespace-deletion.js';
import { errorResult, objectResult } from './responses.js';
import { dryRunContext, dryRunRequested } from './dry-run.js';
import type { ApiError } from './status.js';
import { badRequest, conflict, notFound } from './status.js';

export interface DeleteOptions {
  /** dryRun=All: everything is checked, nothing is deleted. */
  dryRun: boolean;
  /** Undefined: the object's own default. */
  gracePeriodSeconds: number | undefined;
  /** The request's policy, Background when it named none (namespaces read only this). */
  propagationPolicy: 'Background' | 'Foreground' | 'Orphan';
  /**
   * Whether the request named a policy (propagationPolicy or orphanDependents); when not, the
   * object's own GC finalizers keep deciding, as upstream (delete-finalizers.ts).
   */
  propagationPolicySet: boolean;
  preconditionUid: string | undefined;
  preconditionResourceVersion: string | undefined;
}

function intParam(text: string | undefined): number | undefined | 'bad' {
  if (text === undefined || text === '') return undefined;
  if (!/^-?\d+$/.test(text)) return 'bad';
  return Number(text);
}

/** Reads DeleteOptions from the body (optional) and the query, the query winning where set. */
export function parseDeleteOptions(
  ctx: ServerContext,
  request: TransportRequest,
): { ok: true; options: DeleteOptions } | { ok: false; error: ApiError } {
  let body: Draft = {};
  if (request.body.trim() !== '') {
    const parsed = parseJsonBody(request.body, ctx.limits);
    if (!parsed.ok) return parsed;
    if (!isDraftObject(parsed.value))
      return { ok: false, error: badRequest('DeleteOptions must be a JSON object') };
    body = parsed.value;
  }
  const dryRun = dryRunRequested([request.query.dryRun, body.dryRun]);
  if (!dryRun.ok) return dryRun;
  const fromQuery = intParam(request.query.gracePeriodSeconds);
  if (fromQuery === 'bad')
    return { ok: false, error: badRequest('gracePeriodSeconds must be an integer') };
  const bodyGrace = body.gracePeriodSeconds;
  if (bodyGrace !== undefined && bodyGrace !== null && !Number.isInteger(bodyGrace)) {
    return { ok: false, error: badRequest('gracePeriodSeconds must be an integer') };
  }
  const grace = fromQuery ?? (typeof bodyGrace === 'number' ? bodyGrace : undefined);
  const policyText = request.query.propagationPolicy ?? body.propagationPolicy ?? undefined;
  const orphan = request.query.orphanDependents ?? body.orphanDependents;
  let propagationPolicy: DeleteOptions['propagationPolicy'] = 'Background';
  let propagationPolicySet = false;
  if (policyText === 'Foreground' || policyText === 'Orphan' || policyText === 'Background') {
    propagationPolicy = policyText;
    propagationPolicySet = true;
  } else if (policyText !== undefined && policyText !== null) {
    return {
      ok: false,
      error: badRequest(
        `propagationPolicy: Unsupported value: "${String(policyText)}": supported values: "Foreground", "Background", "Orphan"`,
      ),
    };
  } else if (orphan === true || orphan === 'true') {
    propagationPolicy = 'Orphan';
    propagationPolicySet = true;
  } else if (orphan === false || orphan === 'false') propagationPolicySet = true;
  const pre = isDraftObject(body.preconditions) ? body.preconditions : {};
  return {
    ok: true,
    options: {
      dryRun: dryRun.dryRun,
      gracePeriodSeconds: grace,
      propagationPolicy,
      propagationPolicySet,
      preconditionUid: typeof pre.uid === 'string' ? pre.uid : undefined,
      preconditionResourceVersion:
        typeof pre.resourceVersion === 'string' ? pre.resourceVersion : undefined,
    },
  };
}

function isPodType(type: ResourceType): boolean {
  return type.group === '' && type.plural === 'pods';
}

/**
 * The grace period of a pod's first deletion (upstream podStrategy.CheckGracefulDelete):
 * unscheduled and terminated pods go at once, a negative period counts as 1 s.
 */
function podGracePeriodSeconds(object: JsonObject, requested: number | undefined): number {
  const spec = (object.spec ?? {}) as JsonObject;
  const status = (object.status ?? {}) as JsonObject;
  if (spec.nodeName === undefined || spec.nodeName === '') return 0;
  if (status.phase === 'Succeeded' || status.phase === 'Failed') return 0;
  const own =
    typeof spec.terminationGracePeriodSeconds === 'number'
      ? spec.terminationGracePeriodSeconds
      : 30;
  const grace = requested ?? own;
  return grace < 0 ? 1 : grace;
}

/**
 * How a DELETE treats the object's lifetime (upstream rest.BeforeDelete):
 * - `pending`: a pod's graceful deletion is under way and the request does not shorten it;
 *   nothing changes, not even finalizers;
 * - `graceful`: a pod gets (or shortens to) this deletionTimestamp and grace period;
 * - `immediate`: the type has no graceful deletion (or the pod's grace is already 0): it is
 *   removed now unless finalizers hold it.
 */
type DeletionMode =
  | { kind: 'pending' }
  | { kind: 'graceful'; graceSeconds: number; deletionTimestamp: string }
  | { kind: 'immediate' };

function deletionModeOf(
  type: ResourceType,
  object: JsonObject,
  requested: number | undefined,
  nowMs: number,
): DeletionMode {
  if (!isPodType(type)) return { kind: 'immediate' };
  const meta = object.metadata as JsonObject;
  const wanted = requested !== undefined && requested < 0 ? 1 : requested;
  if (typeof meta.deletionTimestamp !== 'string') {
    const graceSeconds = podGracePeriodSeconds(object, wanted);
    return {
      kind: 'graceful',
      graceSeconds,
      deletionTimestamp: formatTime(nowMs + graceSeconds * 1000),
    };
  }
  const pending = meta.deletionGracePeriodSeconds;
  if (typeof pending !== 'number' || pending === 0) return { kind: 'immediate' };
  if (wanted === undefined || wanted >= pending) return { kind: 'pending' };
  // Only a shorter period is accepted; the deadline moves by the difference.
  const deadlineMs = parseTime(meta.deletionTimestamp);
  assert(deadlineMs !== undefined, 'a stored deletionTimestamp parses');
  const deletionTimestamp = formatTime(deadlineMs - (pending - wanted) * 1000);
  return { kind: 'graceful', graceSeconds: wanted, deletionTimestamp };
}

export function preconditionError(
  type: ResourceType,
  object: JsonObject,
  options: DeleteOptions,
): ApiError | undefined {
  const meta = object.metadata as JsonObject;
  const name = String(meta.name);
  if (options.preconditionUid !== undefined && options.preconditionUid !== meta.uid) {
    return conflict(
      refOf(type),
      name,
      `Precondition failed: UID in precondition: ${options.preconditionUid}, UID in object meta: ${String(meta.uid ?? '')}`,
    );
  }
  const rv = options.preconditionResourceVersion;
  if (rv !== undefined && rv !== meta.resourceVersion) {
    return conflict(
      refOf(type),
      name,
      `Precondition failed: ResourceVersion in precondition: ${rv}, ResourceVersion in object meta: ${String(meta.resourceVersion)}`,
    );
  }
  return undefined;
}

function stringList(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((f): f is string => typeof f === 'string') : [];
}

/**
 * Metadata of an object that finalizers keep (upstream markAsDeleting for types without
 * graceful deletion): deletionTimestamp now unless already earlier, grace 0, and the first
 * marking bumps a tracked generation.
 */
function markedAsDeleting(meta: JsonObject, nowMs: number): Record<string, JsonValue> {
  const next: Record<string, JsonValue> = { ...meta, deletionGracePeriodSeconds: 0 };
  const existing =
    typeof meta.deletionTimestamp === 'string' ? parseTime(meta.deletionTimestamp) : undefined;
  if (existing === undefined || existing > nowMs) next.deletionTimestamp = formatTime(nowMs);
  if (existing === undefined && typeof meta.generation === 'number' && meta.generation > 0) {
    next.generation = meta.generation + 1;
  }
  return next;
}

/** Deletes one stored object with upstream's graceful, finalizer and propagation rules. */
export function deleteObject(
  ctx: ServerContext,
  type: ResourceType,
  key: string,
  object: StoredObject,
  options: DeleteOptions,
): { ok: true; object: StoredObject } | { ok: false; error: ApiError } {
  const meta = object.metadata as JsonObject;
  const name = String(meta.name);
  const failed = preconditionError(type, object, options);
  if (failed !== undefined) return { ok: false, error: failed };
  if (isNamespaceType(type)) return deleteNamespace(ctx, type, key, object, options);
  const nowMs = ctx.clock.nowMs();
  const mode = deletionModeOf(type, object, options.gracePeriodSeconds, nowMs);
  if (mode.kind === 'pending') return { ok: true, object };
  const existing = stringList(meta.finalizers);
  const policy = options.propagationPolicySet ? options.propagationPolicy : undefined;
  const finalizers = finalizersAfterDelete(existing, policy);
  const graceSeconds = mode.kind === 'graceful' ? mode.graceSeconds : 0;
  if (graceSeconds === 0 && finalizers.length === 0) {
    const removed = ctx.store.delete(key, {
      expectedResourceVersion: meta.resourceVersion as string,
    });
    if (!removed.ok) return { ok: false, error: storeErrorToApi(type, name, removed.error) };
    return { ok: true, object: removed.value };
  }
  const nextMeta =
    mode.kind === 'graceful'
      ? {
          ...meta,
          deletionTimestamp: mode.deletionTimestamp,
          deletionGracePeriodSeconds: graceSeconds,
        }
      : markedAsDeleting(meta, nowMs);
  if (finalizers.length > 0) nextMeta.finalizers = [...finalizers];
  else delete nextMeta.finalizers;
  if (canonicalStringify(nextMeta) === canonicalStringify(meta)) return { ok: true, object };
  const next = deepFreeze({ ...object, metadata: nextMeta }) as StoredObject;
  const stored = ctx.store.update(key, next, {
    expectedResourceVersion: meta.resourceVersion as string,
  });
  if (!stored.ok) return { ok: false, error: storeErrorToApi(type, name, stored.error) };
  return { ok: true, object: stored.value };
}

export async function handleDelete(
  serverCtx: ServerContext,
  type: ResourceType,
  target: { namespace: string; name: string },
  request: TransportRequest,
): Promise<HandlerResult> {
  const parsed = parseDeleteOptions(serverCtx, request);
  if (!parsed.ok) return errorResult(parsed.error);
  const ctx = parsed.options.dryRun ? dryRunContext(serverCtx) : serverCtx;
  const key = objectKey(type, target.namespace, target.name);
  const object = ctx.store.get(key);
  // Upstream runs DELETE admission before the registry looks the object up (so deleting the
  // `default` namespace is 403 even when it is missing); oldObject is the stored object if any.
  const denied = runAdmission(ctx.admission, {
    operation: 'DELETE',
    type,
    subresource: '',
    namespace: target.namespace,
    name: target.name,
    object: undefined,
    oldObject: object,
    nowMs: ctx.clock.nowMs(),
  });
  if (denied !== undefined) return errorResult(denied);
  if (object === undefined) return errorResult(notFound(refOf(type), target.name));
  const result = deleteObject(ctx, type, key, object, parsed.options);
  if (!result.ok) return errorResult(result.error);
  await ctx.store.sync();
  return objectResult(200, result.object);
}
