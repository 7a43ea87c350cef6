// DELETE on a collection: deletes every selected object with the same rules as a single delete.
import type { ResourceType } from '../api/registry.js';
import type { HandlerResult, TransportRequest } from '../ports/transport.js';
import type { JsonObject } from '../store/types.js';
import type { ServerContext } from './context.js';
import { collectionPrefix } from './context.js';
import { deleteObject, parseDeleteOptions } from './delete.js';
import { dryRunContext } from './dry-run.js';
import { errorResult, jsonResult } from './responses.js';
import { selectorFilter } from './selectors.js';

export async function handleDeleteCollection(
  serverCtx: ServerContext,
  type: ResourceType,
  namespace: string,
  request: TransportRequest,
): Promise<HandlerResult> {
  const selected = selectorFilter(type, request.query);
  if (!selected.ok) return errorResult(selected.error);
  const parsed = parseDeleteOptions(serverCtx, request);
  if (!parsed.ok) return errorResult(parsed.error);
  const ctx = parsed.options.dryRun ? dryRunContext(serverCtx) : serverCtx;
  const prefix = collectionPrefix(type, namespace);
  const listed = ctx.store.list(prefix, { filter: selected.filter });
  if (!listed.ok) throw new Error(`listing for deletecollection failed: ${listed.error.code}`);
  const deleted: string[] = [];
  for (const object of listed.value.items) {
    const meta = object.metadata as JsonObject;
    const name = String(meta.name);
    const key = type.namespaced
      ? `${collectionPrefix(type, String(meta.namespace))}${name}`
      : `${prefix}${name}`;
    const result = deleteObject(ctx, type, key, object, parsed.options);
    if (!result.ok) return errorResult(result.error);
    deleted.push(ctx.json.text(result.object));
  }
  await ctx.store.sync();
  const body = `{"kind":"${type.listKind}","apiVersion":"${type.apiVersion}","metadata":{"resourceVersion":"${ctx.store.revision}"},"items":[${deleted.join(',')}]}`;
  return jsonResult(200, body);
}
