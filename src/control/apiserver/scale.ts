// The scale subresource of Deployments and ReplicaSets (autoscaling/v1 Scale).
import type { ResourceType } from '../api/registry.js';
import { selectorFromLabelSelector, selectorToString } from '../api/values/labels.js';
import type { HandlerResult, TransportRequest } from '../ports/transport.js';
import type { JsonObject } from '../store/types.js';
import type { ServerContext } from './context.js';
import { objectKey, refOf } from './context.js';
import type { Draft } from './json-body.js';
import { parseSubresourceBody } from './json-body.js';
import { errorResult, objectResult } from './responses.js';
import { conflict, invalid, notFound, optimisticLockMessage } from './status.js';
import { applyUpdate } from './update.js';

/** The autoscaling/v1 Scale view of a Deployment or ReplicaSet. */
export function scaleOf(object: JsonObject): JsonObject {
  const meta = object.metadata as JsonObject;
  const spec = (object.spec ?? {}) as JsonObject;
  const status = (object.status ?? {}) as JsonObject;
  const parsed = selectorFromLabelSelector(spec.selector as never);
  const metadata: Record<string, JsonObject[keyof JsonObject]> = {};
  for (const field of ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp']) {
    const value = meta[field];
    if (value !== undefined) metadata[field] = value;
  }
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 0 },
    status: {
      replicas: typeof status.replicas === 'number' ? status.replicas : 0,
      selector: parsed.ok ? selectorToString(parsed.selector) : '',
    },
  };
}

export function handleGetScale(
  ctx: ServerContext,
  type: ResourceType,
  target: { namespace: string; name: string },
): HandlerResult {
  const object = ctx.store.get(objectKey(type, target.namespace, target.name));
  if (object === undefined) return errorResult(notFound(refOf(type), target.name));
  return objectResult(200, scaleOf(object));
}

function replicasError(name: string, value: unknown): HandlerResult {
  const detail = 'must be greater than or equal to 0';
  const shown = typeof value === 'number' ? String(value) : JSON.stringify(value ?? null);
  return errorResult(
    invalid(
      'Scale.autoscaling',
      'autoscaling',
      name,
      [`spec.replicas: Invalid value: ${shown}: ${detail}`],
      [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${shown}: ${detail}`,
          field: 'spec.replicas',
        },
      ],
    ),
  );
}

/** PUT of a Scale: sets spec.replicas of the owning object (its generation bumps). */
export async function handleUpdateScale(
  ctx: ServerContext,
  type: ResourceType,
  target: { namespace: string; name: string },
  request: TransportRequest,
): Promise<HandlerResult> {
  const parsed = parseSubresourceBody(request.body, ctx.limits, {
    kind: 'Scale',
    name: target.name,
  });
  if (!parsed.ok) return errorResult(parsed.error);
  return updateScaleReplicas(ctx, type, target, parsed.body as unknown as JsonObject);
}

/** Applies a desired Scale (from PUT or PATCH) to the owning object. */
export async function updateScaleReplicas(
  ctx: ServerContext,
  type: ResourceType,
  target: { namespace: string; name: string },
  scale: JsonObject,
): Promise<HandlerResult> {
  const spec = (
    typeof scale.spec === 'object' && scale.spec !== null ? scale.spec : {}
  ) as JsonObject;
  const replicas = spec.replicas;
  if (
    typeof replicas !== 'number' ||
    !Number.isInteger(replicas) ||
    replicas < 0 ||
    replicas > 2_147_483_647
  ) {
    return replicasError(target.name, replicas);
  }
  const old = ctx.store.get(objectKey(type, target.namespace, target.name));
  if (old === undefined) return errorResult(notFound(refOf(type), target.name));
  const oldMeta = old.metadata as JsonObject;
  const meta = (
    typeof scale.metadata === 'object' && scale.metadata !== null ? scale.metadata : {}
  ) as JsonObject;
  const rv = meta.resourceVersion;
  if (typeof rv === 'string' && rv !== '' && rv !== oldMeta.resourceVersion) {
    return errorResult(conflict(refOf(type), target.name, optimisticLockMessage));
  }
  const draft = JSON.parse(JSON.stringify(old)) as Draft;
  (draft.spec as Draft).replicas = replicas;
  const outcome = applyUpdate(ctx, type, { ...target, subresource: '' }, draft);
  if (!outcome.ok) return errorResult(outcome.error);
  await ctx.store.sync();
  return objectResult(200, scaleOf(outcome.object));
}
