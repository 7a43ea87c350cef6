// The patch engines: JSON patch, JSON merge patch, strategic merge patch and PATCH requests.

export type { DraftMap, DraftNode } from './draft.js';
export { decodeGoJson, goJsonSyntaxError } from './go-json.js';
export type { GoJsonResult } from './go-json.js';
export { applyJsonPatch, defaultJsonPatchLimits, jsonPatchDraft } from './json-patch.js';
export type { JsonPatchLimits, JsonPatchOptions, JsonPatchResult } from './json-patch.js';
export { applyMergePatch, createMergePatch, mergePatchDraft } from './merge-patch.js';
export { genericInvalidMessage } from './patch-error.js';
export type { PatchError, PatchErrorReason } from './patch-error.js';
export { lookupField, lookupList } from './patch-meta.js';
export type { LookupResult, PatchMeta, PatchSchema } from './patch-meta.js';
export {
  applyPatchContentType,
  applyPatchRequest,
  defaultPatchLimits,
  jsonPatchContentType,
  mergePatchContentType,
  patchContentTypes,
  patchMediaType,
  strategicMergePatchContentType,
} from './patch-request.js';
export type { PatchLimits, PatchRequestOptions, PatchRequestResult } from './patch-request.js';
export { applyStrategicMergePatch, strategicMergeDraft } from './strategic-merge-patch.js';
export type { StrategicMergeOptions, StrategicMergeResult } from './strategic-merge-patch.js';
export { createJsonPatch } from './json-patch-diff.js';
export type { JsonPatchOperation } from './json-patch-diff.js';
