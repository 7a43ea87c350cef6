// One PATCH request body applied to a stored object: content-type dispatch, decoding with
// upstream's error texts, the patch engine, and upstream's checks on the result.
//
// Server-side apply here has NO field managers: `application/apply-patch+yaml` creates the
// object from the applied configuration when none exists; otherwise the configuration is
// merged onto the live object with strategic-merge semantics and no directives: fields the
// configuration sets win, fields it omits are kept (real apply would remove fields this
// manager set before and now omits), merge-key lists merge by key, other lists are replaced,
// and no apply conflicts are ever reported (there is no ownership to conflict over); `force`
// and `fieldManager` have no effect and managedFields are not maintained.

import type { ResourceType } from '../registry.js';
import type { JsonObject } from '../../store/types.js';
import { utf8ByteLength } from '../values/go-format.js';
import { decodeApplyConfig, checkApplyConfig } from './apply-config.js';
import type { DraftMap, DraftNode } from './draft.js';
import { fromDraft, fromDraftMap, isDraftList, isDraftMap, toDraft } from './draft.js';
import { decodeGoJson, goJsonKind, unmarshalTypeError } from './go-json.js';
import { jsonPatchDraft } from './json-patch.js';
import { mergePatchDraft } from './merge-patch.js';
import type { PatchError } from './patch-error.js';
import { badRequest, entityTooLarge } from './patch-error.js';
import { strategicMergeDraft } from './strategic-merge-patch.js';

export const jsonPatchContentType = 'application/json-patch+json';
export const mergePatchContentType = 'application/merge-patch+json';
export const strategicMergePatchContentType = 'application/strategic-merge-patch+json';
export const applyPatchContentType = 'application/apply-patch+yaml';

/** Accepted patch media types, in the order upstream lists them in its 415 message. */
export const patchContentTypes: readonly string[] = Object.freeze([
  jsonPatchContentType,
  mergePatchContentType,
  applyPatchContentType,
  strategicMergePatchContentType,
]);

export interface PatchLimits {
  /** Largest body in bytes (upstream MaxRequestBodyBytes). Default 3 MiB. */
  bodyBytesMax: number;
  /** Deepest nesting of arrays and objects in a body. Default 200. */
  nestingDepthMax: number;
  /** Most operations in a JSON patch. Default 10 000. */
  jsonPatchOperationsMax: number;
  /** Most bytes JSON patch `copy` operations may add. Default 3 MiB. */
  jsonPatchCopyBytesMax: number;
}

export const defaultPatchLimits: PatchLimits = {
  bodyBytesMax: 3 * 1024 * 1024,
  nestingDepthMax: 200,
  jsonPatchOperationsMax: 10_000,
  jsonPatchCopyBytesMax: 3 * 1024 * 1024,
};

export interface PatchRequestOptions {
  limits?: Partial<PatchLimits>;
  /** The request's fieldValidation (default Warn); it changes some decoding messages. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** The object's name in the URL, for NotFound and Conflict messages. */
  name?: string;
}

export type PatchRequestResult = { ok: true; value: JsonObject } | ({ ok: false } & PatchError);

type DraftResult = { ok: true; value: DraftNode } | { ok: false; error: PatchError };

interface RequestContext {
  type: ResourceType;
  original: JsonObject | undefined;
  body: string;
  limits: PatchLimits;
  strict: boolean;
  name: string;
}

function qualifiedResource(type: ResourceType): string {
  return type.group === '' ? type.plural : `${type.plural}.${type.group}`;
}

function resourceDetails(type: ResourceType, name: string): Pick<PatchError, 'details'> {
  return {
    details: { name, ...(type.group === '' ? {} : { group: type.group }), kind: type.plural },
  };
}

function notFound(ctx: RequestContext): PatchError {
  const message = `${qualifiedResource(ctx.type)} "${ctx.name}" not found`;
  return { code: 404, reason: 'NotFound', message, ...resourceDetails(ctx.type, ctx.name) };
}

/** The media type as upstream reads it: everything before the first `;` (if not at 0). */
export function patchMediaType(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return semicolon > 0 ? contentType.slice(0, semicolon) : contentType;
}

function unsupportedMediaType(): PatchError {
  const message =
    'the body of the request was in an unknown format - accepted media types include: ' +
    patchContentTypes.join(', ');
  return { code: 415, reason: 'UnsupportedMediaType', message };
}

/** A patched value that is not an object cannot be decoded into the kind (upstream 422). */
function notAnObject(value: DraftNode): PatchError {
  const json = JSON.stringify(fromDraft(value));
  const target =
    'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; ' +
    'Kind string "json:\\"kind,omitempty\\"" }';
  const detail =
    "couldn't get version/kind; json parse error: " + unmarshalTypeError(goJsonKind(value), target);
  return {
    code: 422,
    reason: 'Invalid',
    message: ` "" is invalid: patch: Invalid value: ${JSON.stringify(json)}: ${detail}`,
  };
}

function decodeBody(
  ctx: RequestContext,
): { ok: true; value: DraftNode } | { ok: false; message: string } {
  return decodeGoJson(ctx.body, ctx.limits.nestingDepthMax);
}

function applyJson(ctx: RequestContext, original: DraftMap): DraftResult {
  const decoded = decodeBody(ctx);
  if (!decoded.ok) {
    const prefix = ctx.strict ? 'error decoding patch: ' : '';
    return { ok: false, error: badRequest(`${prefix}${decoded.message}`) };
  }
  const limits = {
    operationsMax: ctx.limits.jsonPatchOperationsMax,
    copyBytesMax: ctx.limits.jsonPatchCopyBytesMax,
  };
  return jsonPatchDraft(original, decoded.value, {
    limits,
    fieldValidation: ctx.strict ? 'Strict' : 'Ignore',
  });
}

function applyMerge(ctx: RequestContext, original: DraftMap): DraftResult {
  const decoded = decodeBody(ctx);
  const invalidPatch = badRequest('Invalid JSON Patch');
  if (!decoded.ok) {
    return {
      ok: false,
      error: ctx.strict ? badRequest(`error decoding patch: ${decoded.message}`) : invalidPatch,
    };
  }
  const patch = decoded.value;
  if (ctx.strict && patch !== null && !isDraftMap(patch)) {
    const message =
      'error decoding patch: ' + unmarshalTypeError(goJsonKind(patch), 'map[string]interface {}');
    return { ok: false, error: badRequest(message) };
  }
  if (!isDraftMap(patch) && !isDraftList(patch)) return { ok: false, error: invalidPatch };
  return { ok: true, value: mergePatchDraft(original, patch) };
}

function applyStrategic(ctx: RequestContext, original: DraftMap): DraftResult {
  const decoded = decodeBody(ctx);
  if (!decoded.ok) return { ok: false, error: badRequest(decoded.message) };
  const patch = decoded.value;
  if (patch === null) return { ok: true, value: original };
  if (!isDraftMap(patch)) {
    const message = unmarshalTypeError(goJsonKind(patch), 'map[string]interface {}');
    return { ok: false, error: badRequest(message) };
  }
  return strategicMergeDraft(ctx.type.schema, original, patch);
}

function uidMismatch(ctx: RequestContext, config: DraftMap): PatchError | undefined {
  const metadata = config.get('metadata');
  const uid = isDraftMap(metadata) ? metadata.get('uid') : undefined;
  if (typeof uid !== 'string' || uid === '') return undefined;
  const nameInBody = isDraftMap(metadata) ? metadata.get('name') : undefined;
  const name = ctx.name !== '' ? ctx.name : typeof nameInBody === 'string' ? nameInBody : '';
  const message =
    `Operation cannot be fulfilled on ${qualifiedResource(ctx.type)} "${name}": uid mismatch: ` +
    `the provided object specified uid ${uid}, and no existing object was found`;
  return { code: 409, reason: 'Conflict', message, ...resourceDetails(ctx.type, name) };
}

function applyServerSide(ctx: RequestContext, original: DraftMap | undefined): DraftResult {
  const decoded = decodeApplyConfig(ctx.body, ctx.limits.nestingDepthMax);
  if (!decoded.ok) return decoded;
  const config = decoded.value;
  const wrongKind = checkApplyConfig(config, ctx.type);
  if (wrongKind) return { ok: false, error: wrongKind };
  if (original === undefined) {
    const conflict = uidMismatch(ctx, config);
    return conflict ? { ok: false, error: conflict } : { ok: true, value: config };
  }
  return strategicMergeDraft(ctx.type.schema, original, config, { directives: false });
}

function dispatch(ctx: RequestContext, mediaType: string): DraftResult {
  const original = ctx.original === undefined ? undefined : (toDraft(ctx.original) as DraftMap);
  if (mediaType === applyPatchContentType) return applyServerSide(ctx, original);
  if (original === undefined) return { ok: false, error: notFound(ctx) };
  if (mediaType === jsonPatchContentType) return applyJson(ctx, original);
  if (mediaType === mergePatchContentType) return applyMerge(ctx, original);
  return applyStrategic(ctx, original);
}

/**
 * Applies a PATCH body of `contentType` to `original` (the stored object; undefined when none
 * exists, which only server-side apply accepts). Errors are upstream's Status code, reason and
 * message: 415 for an unknown content type, 413 for an oversized body, 400 for a body that does
 * not decode, 404 when there is nothing to patch, 409 when an apply would create an object
 * with a uid, 422 when a patch operation fails or the result is not an object.
 */
export function applyPatchRequest(
  type: ResourceType,
  original: JsonObject | undefined,
  body: string,
  contentType: string,
  options: PatchRequestOptions = {},
): PatchRequestResult {
  const mediaType = patchMediaType(contentType);
  if (!patchContentTypes.includes(mediaType)) return { ok: false, ...unsupportedMediaType() };
  const limits = { ...defaultPatchLimits, ...options.limits };
  if (utf8ByteLength(body) > limits.bodyBytesMax) {
    return {
      ok: false,
      ...entityTooLarge(`Request entity too large: limit is ${limits.bodyBytesMax}`),
    };
  }
  const ctx: RequestContext = {
    type,
    original,
    body,
    limits,
    strict: (options.fieldValidation ?? 'Warn') !== 'Ignore',
    name: options.name ?? '',
  };
  const result = dispatch(ctx, mediaType);
  if (!result.ok) return { ok: false, ...result.error };
  if (!isDraftMap(result.value)) return { ok: false, ...notAnObject(result.value) };
  return { ok: true, value: fromDraftMap(result.value) };
}
