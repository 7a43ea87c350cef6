// pods/eviction (policy/v1): an API-initiated delete that disruption budgets may refuse. miniku
// has no PodDisruptionBudget type yet, so every eviction is allowed and deletes like DELETE.
import type { ResourceType } from '../api/registry.js';
import type { HandlerResult, TransportRequest } from '../ports/transport.js';
import type { ServerContext } from './context.js';
import { objectKey, refOf } from './context.js';
import { deleteObject, parseDeleteOptions } from './delete.js';
import { isDraftObject, parseJsonBody } from './json-body.js';
import { errorResult, objectResult } from './responses.js';
import { badRequest, notFound, successStatus } from './status.js';

export async function handleEviction(
  ctx: ServerContext,
  pods: ResourceType,
  target: { namespace: string; name: string },
  request: TransportRequest,
): Promise<HandlerResult> {
  const parsed = parseJsonBody(request.body, ctx.limits);
  if (!parsed.ok) return errorResult(parsed.error);
  const body = parsed.value;
  if (!isDraftObject(body) || body.kind !== 'Eviction') {
    return errorResult(badRequest('the body must be a policy/v1 Eviction'));
  }
  const meta = isDraftObject(body.metadata) ? body.metadata : {};
  if (meta.name !== undefined && meta.name !== target.name) {
    return errorResult(badRequest('name in URL does not match name in Eviction object'));
  }
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
