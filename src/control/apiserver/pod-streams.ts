// pods/log and pods/exec: routed here, answered by the node's kubelet through a connector that
// real mode provides. Without one (the API server alone, or the simulator today), they 404.
import type { ResourceType } from '../api/registry.js';
import type { HandlerResult, TransportRequest } from '../ports/transport.js';
import type { JsonObject } from '../store/types.js';
import type { ServerContext } from './context.js';
import { objectKey, refOf } from './context.js';
import { errorResult } from './responses.js';
import { badRequest, methodNotAllowed, notFound } from './status.js';

/** Carries a pods/log or pods/exec request to the kubelet of one node. */
export interface KubeletStreamConnector {
  forward(
    nodeName: string,
    target: { namespace: string; name: string; subresource: 'log' | 'exec' },
    request: TransportRequest,
  ): Promise<HandlerResult>;
}

export async function handlePodStream(
  ctx: ServerContext,
  pods: ResourceType,
  target: { namespace: string; name: string; subresource: 'log' | 'exec' },
  request: TransportRequest,
  connector: KubeletStreamConnector | undefined,
): Promise<HandlerResult> {
  const allowed = target.subresource === 'log' ? ['GET'] : ['GET', 'POST'];
  if (!allowed.includes(request.method)) return errorResult(methodNotAllowed());
  const pod = ctx.store.get(objectKey(pods, target.namespace, target.name));
  if (pod === undefined) return errorResult(notFound(refOf(pods), target.name));
  const container = request.query.container ?? '';
  if (container !== '' && !podHasContainer(pod, container)) {
    return errorResult(badRequest(`container ${container} is not valid for pod ${target.name}`));
  }
  const nodeName = ((pod.spec ?? {}) as JsonObject).nodeName;
  if (typeof nodeName !== 'string' || nodeName === '') {
    return errorResult(badRequest(`pod ${target.name} does not have a host assigned`));
  }
  if (connector === undefined) {
    return errorResult({
      code: 404,
      reason: 'NotFound',
      message: `pods/${target.subresource} is served by the kubelet of node "${nodeName}", and this API server has no kubelet stream connection`,
      details: { name: target.name, kind: 'pods' },
    });
  }
  return connector.forward(nodeName, target, request);
}

/** Whether the pod declares a container, init container or ephemeral container of that name. */
function podHasContainer(pod: JsonObject, name: string): boolean {
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  return ['containers', 'initContainers', 'ephemeralContainers'].some((field) => {
    const list = spec[field];
    return Array.isArray(list) && list.some((c) => (c as { name?: unknown }).name === name);
  });
}
