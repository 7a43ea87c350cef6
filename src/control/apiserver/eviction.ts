// pods/eviction (policy/v1): an API-initiated delete that disruption budgets may refuse. miniku
// has no PodDisruptionBudget type yet, so every eviction is allowed. As upstream (v1.26+), the
// pod first gets condition DisruptionTarget=True (reason EvictionByEvictionAPI) in its status,
// then is deleted; a resourceVersion precondition is carried over to the version that write
// made, and a dry run writes nothing.
import type { ResourceType } from '../api/registry.js';
import { deepFreeze } from '../api/values/canonical-json.js';
import { formatTime } from '../api/values/time.js';
import type { HandlerResult, TransportRequest } from '../ports/transport.js';
import type { JsonObject, StoredObject } from '../store/types.js';
import { storeErrorToApi } from './commit.js';
import type { ServerContext } from './context.js';
import { objectKey, refOf } from './context.js';
import type { DeleteOptions } from './delete.js';
import { deleteObject, parseDeleteOptions, preconditionError } from './delete.js';
import { dryRunContext } from './dry-run.js';
import { isDraftObject, parseSubresourceBody } from './json-body.js';
import { withPodCondition } from './pod-condition.js';
import { errorResult, objectResult } from './responses.js';
import { notFound, successStatus } from './status.js';

const evictionCondition = {
  type: 'DisruptionTarget',
  status: 'True',
  reason: 'EvictionByEvictionAPI',
  message: 'Eviction API: evicting',
} as const;

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
  let pod = ctx.store.get(key);
  if (pod === undefined) return errorResult(notFound(refOf(pods), target.name));
  let deleteOptions = options.options;
  if (!deleteOptions.dryRun) {
    const marked = markEvicted(ctx, pods, key, pod, deleteOptions);
    if (!marked.ok) return marked.result;
    pod = marked.pod;
    deleteOptions = marked.options;
  }
  // A dry run checks everything against a store that keeps nothing, as DELETE's does.
  const deleteCtx = deleteOptions.dryRun ? dryRunContext(ctx) : ctx;
  const result = deleteObject(deleteCtx, pods, key, pod, deleteOptions);
  if (!result.ok) return errorResult(result.error);
  await ctx.store.sync();
  return objectResult(201, successStatus(201));
}

/** Writes the DisruptionTarget condition; the delete then expects the version it made. */
function markEvicted(
  ctx: ServerContext,
  pods: ResourceType,
  key: string,
  pod: StoredObject,
  options: DeleteOptions,
): { ok: true; pod: StoredObject; options: DeleteOptions } | { ok: false; result: HandlerResult } {
  const failed = preconditionError(pods, pod, options);
  if (failed !== undefined) return { ok: false, result: errorResult(failed) };
  const meta = pod.metadata as JsonObject;
  const nowText = formatTime(ctx.clock.nowMs());
  const status = withPodCondition((pod.status ?? {}) as JsonObject, evictionCondition, nowText);
  const next = deepFreeze({ ...pod, status }) as StoredObject;
  const stored = ctx.store.update(key, next, {
    expectedResourceVersion: meta.resourceVersion as string,
  });
  if (!stored.ok) {
    return {
      ok: false,
      result: errorResult(storeErrorToApi(pods, String(meta.name), stored.error)),
    };
  }
  const version = (stored.value.metadata as JsonObject).resourceVersion as string;
  const carried =
    options.preconditionResourceVersion === undefined
      ? options
      : { ...options, preconditionResourceVersion: version };
  return { ok: true, pod: stored.value, options: carried };
}
