// The list metadata a Table or a PartialObjectMetadataList carries over from its list (ListMeta).
import type { JsonObject, JsonValue } from '../../store/types.js';

export interface TableListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** ListMeta as JSON: empty fields left out, as upstream's omitempty does. */
export function listMetaObject(meta: TableListMeta): JsonObject {
  const out: Record<string, JsonValue> = {};
  if (meta.resourceVersion !== '') out.resourceVersion = meta.resourceVersion;
  if (meta.continue !== undefined && meta.continue !== '') out.continue = meta.continue;
  if (meta.remainingItemCount !== undefined) out.remainingItemCount = meta.remainingItemCount;
  return out;
}
