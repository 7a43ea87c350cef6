// pods/binding: the scheduler's way to assign a pod to a node (sets spec.nodeName once).
import type { ResourceType } from '../api/registry.js';
import { formatTime } from '../api/values/time.js';
import { deepFreeze } from '../api/values/canonical-json.js';
import type { HandlerResult, TransportRequest } from '../ports/transport.js';
import type { JsonObject, StoredObject } from '../store/types.js';
import { storeErrorToApi } from './commit.js';
import type { ServerContext } from './context.js';
import { objectKey } from './context.js';
import { isDraftObject, parseSubresourceBody } from './json-body.js';
import { withPodCondition } from './pod-condition.js';
import { errorResult, objectResult } from './responses.js';
import { badRequest, conflict, notFound, successStatus } from './status.js';

const bindingRef = { group: '', plural: 'pods/binding' };

export async function handleBinding(
  ctx: ServerContext,
  pods: ResourceType,
  target: { namespace: string; name: string },
  request: TransportRequest,
): Promise<HandlerResult> {
  const parsed = parseSubresourceBody(request.body, ctx.limits, {
    kind: 'Binding',
    name: target.name,
  });
  if (!parsed.ok) return errorResult(parsed.error);
  const bindingTarget = parsed.body.target;
  if (!isDraftObject(bindingTarget)) return errorResult(badRequest('Binding target is required'));
  const nodeName = bindingTarget.name;
  if (typeof nodeName !== 'string' || nodeName === '') {
    return errorResult(badRequest('Binding target.name is required'));
  }
  const key = objectKey(pods, target.namespace, target.name);
  const pod = ctx.store.get(key);
  if (pod === undefined) return errorResult(notFound({ group: '', plural: 'pods' }, target.name));
  const podMeta = pod.metadata as JsonObject;
  const spec = pod.spec as JsonObject;
  if (podMeta.deletionTimestamp !== undefined) {
    return errorResult(
      conflict(
        bindingRef,
        target.name,
        `pod ${target.name} is being deleted, cannot be assigned to a host`,
      ),
    );
  }
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '') {
    return errorResult(
      conflict(
        bindingRef,
        target.name,
        `pod ${target.name} is already assigned to node "${spec.nodeName}"`,
      ),
    );
  }
  const status = withPodCondition(
    (pod.status ?? {}) as JsonObject,
    { type: 'PodScheduled', status: 'True' },
    formatTime(ctx.clock.nowMs()),
  );
  const next = deepFreeze({ ...pod, spec: { ...spec, nodeName }, status }) as StoredObject;
  const stored = ctx.store.update(key, next, {
    expectedResourceVersion: podMeta.resourceVersion as string,
  });
  if (!stored.ok) return errorResult(storeErrorToApi(pods, target.name, stored.error));
  await ctx.store.sync();
  return objectResult(201, successStatus(201));
}
