// DELETE of one object or a collection: admission, preconditions, graceful deletion for pods,
// finalizers and propagation policy, as upstream's generic registry does (namespaces follow
// their own registry: namespace-deletion.ts).
import type { ResourceType } from '../api/registry.js';
import { formatTime } from '../api/values/time.js';
import { deepFreeze } from '../api/values/canonical-json.js';
import type { HandlerResult, TransportRequest } from '../ports/transport.js';
import type { JsonObject, StoredObject } from '../store/types.js';
import { runAdmission } from './admission.js';
import { storeErrorToApi } from './commit.js';
import type { ServerContext } from './context.js';
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
  propagationPolicy: 'Background' | 'Foreground' | 'Orphan';
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
  if (policyText === 'Foreground' || policyText === 'Orphan' || policyText === 'Background') {
    propagationPolicy = policyText;
  } else if (policyText !== undefined && policyText !== null) {
    return {
      ok: false,
      error: badRequest(
        `propagationPolicy: Unsupported value: "${String(policyText)}": supported values: "Foreground", "Background", "Orphan"`,
      ),
    };
  } else if (orphan === true || orphan === 'true') propagationPolicy = 'Orphan';
  const pre = isDraftObject(body.preconditions) ? body.preconditions : {};
  return {
    ok: true,
    options: {
      dryRun: dryRun.dryRun,
      gracePeriodSeconds: grace,
      propagationPolicy,
      preconditionUid: typeof pre.uid === 'string' ? pre.uid : undefined,
      preconditionResourceVersion:
        typeof pre.resourceVersion === 'string' ? pre.resourceVersion : undefined,
    },
  };
}

/** The grace period a pod gets (upstream pod strategy); other resources delete at once. */
function gracePeriodFor(
  type: ResourceType,
  object: JsonObject,
  requested: number | undefined,
): number {
  if (!(type.group === '' && type.plural === 'pods')) return 0;
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

function preconditionError(
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

const propagationFinalizer = { Orphan: 'orphan', Foreground: 'foregroundDeletion' } as const;

/** Deletes one stored object with upstream's graceful and finalizer rules. */
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
  const finalizers = Array.isArray(meta.finalizers) ? [...(meta.finalizers as string[])] : [];
  if (options.propagationPolicy !== 'Background' && type.plural !== 'pods') {
    const f = propagationFinalizer[options.propagationPolicy];
    if (!finalizers.includes(f)) finalizers.push(f);
  }
  const nowMs = ctx.clock.nowMs();
  let grace = gracePeriodFor(type, object, options.gracePeriodSeconds);
  const pendingGrace = meta.deletionGracePeriodSeconds;
  if (
    meta.deletionTimestamp !== undefined &&
    typeof pendingGrace === 'number' &&
    grace >= pendingGrace
  ) {
    if (pendingGrace > 0 || finalizers.length > 0) return { ok: true, object };
    grace = 0;
  }
  if (grace === 0 && finalizers.length === 0) {
    const removed = ctx.store.delete(key, {
      expectedResourceVersion: meta.resourceVersion as string,
    });
    if (!removed.ok) return { ok: false, error: storeErrorToApi(type, name, removed.error) };
    return { ok: true, object: removed.value };
  }
  const nextMeta: Record<string, unknown> = { ...meta, deletionGracePeriodSeconds: grace };
  nextMeta.deletionTimestamp = formatTime(nowMs + grace * 1000);
  if (finalizers.length > 0) nextMeta.finalizers = finalizers;
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
