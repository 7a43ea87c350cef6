// PATCH of an object, its status or its scale: JSON patch, merge patch, strategic merge patch,
// and server-side apply (create-or-merge; no field managers, so no apply conflicts).
import type { ResourceType } from '../api/registry.js';
import { findKindSchema } from '../api/registry.js';
import { findUnknownFields, pruneUnknownFields } from '../api/index.js';
import { applyPatchRequest } from '../api/patch/index.js';
import type { HandlerResult, TransportRequest } from '../ports/transport.js';
import type { JsonObject } from '../store/types.js';
import type { ServerContext } from './context.js';
import { objectKey, refOf } from './context.js';
import { createFromDraft } from './create.js';
import { fieldValidationOf, strictProblems, type FieldValidation } from './decode.js';
import type { Draft } from './json-body.js';
import { errorResult, objectResult, warningHeaders } from './responses.js';
import { scaleOf, updateScaleReplicas } from './scale.js';
import type { ApiError } from './status.js';
import { badRequest, notFound } from './status.js';
import { applyUpdate, placeAtUrl } from './update.js';

const applyContentType = 'application/apply-patch+yaml';
const mergeContentType = 'application/merge-patch+json';
const strategicContentType = 'application/strategic-merge-patch+json';

/** The media type without parameters, lower-cased. */
function mediaType(request: TransportRequest): string {
  const raw = request.headers['content-type'] ?? '';
  return (raw.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Unknown fields in a patched object, and duplicate fields in a merge or strategic patch body:
 * 400 under Strict, warnings under Warn, dropped otherwise.
 */
function checkUnknownFields(
  type: ResourceType,
  object: JsonObject,
  mode: FieldValidation,
  patchBody: string | undefined,
): { ok: true; object: JsonObject; warnings: string[] } | { ok: false; error: ApiError } {
  const unknown = findUnknownFields(type.schema, object);
  const messages = mode === 'Ignore' ? [] : strictProblems(patchBody ?? '{}', unknown);
  if (messages.length === 0) {
    if (unknown.length === 0) return { ok: true, object, warnings: [] };
    return {
      ok: true,
      object: pruneUnknownFields(type.schema, object) as JsonObject,
      warnings: [],
    };
  }
  if (mode === 'Strict') {
    return { ok: false, error: badRequest(`strict decoding error: ${messages.join(', ')}`) };
  }
  const pruned = pruneUnknownFields(type.schema, object) as JsonObject;
  return { ok: true, object: pruned, warnings: mode === 'Warn' ? messages : [] };
}

function patchedError(code: number, reason: string, message: string): ApiError {
  return { code, reason: reason as ApiError['reason'], message };
}

export async function handlePatch(
  ctx: ServerContext,
  type: ResourceType,
  target: { namespace: string; name: string; subresource: string },
  request: TransportRequest,
): Promise<HandlerResult> {
  const mode = fieldValidationOf(request.query);
  if (!mode.ok) return errorResult(mode.error);
  if (target.subresource === 'scale') return patchScale(ctx, type, target, request);
  const contentType = mediaType(request);
  const old = ctx.store.get(objectKey(type, target.namespace, target.name));
  if (old === undefined && !(contentType === applyContentType && target.subresource === '')) {
    return errorResult(notFound(refOf(type), target.name));
  }
  const patched = applyPatchRequest(type, old, request.body, contentType);
  if (!patched.ok) return errorResult(patchedError(patched.code, patched.reason, patched.message));
  const mapPatch = contentType === mergeContentType || contentType === strategicContentType;
  const checked = checkUnknownFields(
    type,
    patched.value,
    mode.mode,
    mapPatch ? request.body : undefined,
  );
  if (!checked.ok) return errorResult(checked.error);
  const draft = JSON.parse(JSON.stringify(checked.object)) as Draft;
  const placed = placeAtUrl(type, draft, target);
  if (placed !== undefined) return errorResult(placed);
  const headers = warningHeaders(checked.warnings);
  if (old === undefined) {
    const created = createFromDraft(ctx, type, target.namespace, draft);
    if (!created.ok) return errorResult(created.error);
    await ctx.store.sync();
    return objectResult(201, created.object, headers);
  }
  const outcome = applyUpdate(ctx, type, target, draft);
  if (!outcome.ok) return errorResult(outcome.error);
  await ctx.store.sync();
  return objectResult(200, outcome.object, headers);
}

/** PATCH of a Scale (what `kubectl scale` sends): patch the Scale view, then set replicas. */
async function patchScale(
  ctx: ServerContext,
  type: ResourceType,
  target: { namespace: string; name: string },
  request: TransportRequest,
): Promise<HandlerResult> {
  const object = ctx.store.get(objectKey(type, target.namespace, target.name));
  if (object === undefined) return errorResult(notFound(refOf(type), target.name));
  const scaleSchema = findKindSchema('autoscaling/v1', 'Scale');
  if (scaleSchema === undefined) throw new Error('the Scale kind is not declared');
  const scaleType = { ...type, schema: scaleSchema };
  const patched = applyPatchRequest(scaleType, scaleOf(object), request.body, mediaType(request));
  if (!patched.ok) return errorResult(patchedError(patched.code, patched.reason, patched.message));
  return updateScaleReplicas(ctx, type, target, patched.value);
}
