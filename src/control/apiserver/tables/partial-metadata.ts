// PartialObjectMetadata(List): an object reduced to its metadata (meta.AsPartialObjectMetadata).
import { isObject } from '../../api/schema/json.js';
import type { JsonObject } from '../../store/types.js';
import type { MetaVersion } from './negotiate.js';
import type { TableListMeta } from './list-meta.js';
import { listMetaObject } from './list-meta.js';

/** The object's whole `metadata` under kind PartialObjectMetadata of meta.k8s.io/<version>. */
export function partialObjectMetadata(object: JsonObject, version: MetaVersion): JsonObject {
  const metadata = object.metadata;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: isObject(metadata) ? metadata : {},
  };
}

/** A PartialObjectMetadataList of `objects`, with the list's metadata. */
export function partialObjectMetadataList(
  objects: readonly JsonObject[],
  version: MetaVersion,
  listMeta: TableListMeta,
): JsonObject {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: listMetaObject(listMeta),
    items: objects.map((object) => partialObjectMetadata(object, version)),
  };
}
