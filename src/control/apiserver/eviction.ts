// pods/eviction (policy/v1): an API-initiated delete that disruption budgets may refuse. miniku
// has no PodDisruptionBudget type yet, so every eviction is allowed and deletes like DELETE.
import type { ResourceType } from '../api/registry.js';
import type { HandlerResult, TransportRequest } from '../ports/transport.js';
import type { ServerContext } from './context.js';
import { objectKey, refOf } from './context.js';
import { deleteObject, parseDeleteOptions } from './delete.js';
import { isDraftObject, parseSubresourceBody } from './json-body.js';
import { errorResult, objectResult } from './responses.js';
import { notFound, successStatus } from './status.js';

export async function handleEviction(
  ctx: ServerContext,
  pods: ResourceType,
  target: { namespace: string; name: string },
  request: TransportRequest,
): Promise<HandlerResult> {
  const parsed = parseSubresourceBody(request.body, ctx.limits, {
    kind: 'Eviction',
    name: target.name,
  });
  if (!parsed.ok) return errorResult(parsed.error);
  const body = parsed.body;
  const deleteBody = isDraftObject(body.deleteOptions) ? JSON.stringify(body.deleteOptions) : '';
  const options = parseDeleteOptions(ctx, { ...request, query: {}, body: deleteBody });
  if (!options.ok) return errorResult(options.error);
  const key = objectKey(pods, target.namespace, target.name);
  const pod = ctx.store.get(key);
  if (pod === undefined) return errorResult(notFound(refOf(pods), target.name));
  const result = deleteObject(ctx, pods, key, pod, options.options);
  if (!result.ok) return errorResult(result.error);
  await ctx.store.sync();
  return objectResult(201, successStatus(201));
}
