// Server-side Tables (meta.k8s.io Table): the resource's printer columns over a list or one object.
//
// As kube-apiserver's printers with `Wide: true`: every column, priority 1 included, is sent and
// the client hides the wide ones. A resource without printer columns gets upstream's default
// table convertor: Name and Created At. Pure: the caller passes the time and encodes the result.
import type { ResourceType } from '../../api/registry.js';
import type { PrinterColumn } from '../../api/types/resource.js';
import { nameColumn } from '../../api/types/printing.js';
import { objectAt, stringAt, valueAtPath } from '../../api/schema/json.js';
import type { JsonObject, JsonValue } from '../../store/types.js';
import type { ApiError } from '../status.js';
import { badRequest } from '../status.js';
import type { MetaVersion } from './negotiate.js';
import type { TableListMeta } from './list-meta.js';
import { listMetaObject } from './list-meta.js';
import { partialObjectMetadata } from './partial-metadata.js';

/** TableOptions.includeObject: what each row's `object` carries. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  version: MetaVersion;
  includeObject: IncludeObject;
  /** Leave out columnDefinitions (every watch event after the first). */
  noHeaders: boolean;
  /** Now, for ages. */
  nowMs: number;
}

/** Reads `includeObject` from the query, with upstream's 400 for an unknown value. */
export function parseIncludeObject(
  query: Readonly<Record<string, string>>,
): { ok: true; includeObject: IncludeObject } | { ok: false; error: ApiError } {
  const value = query.includeObject ?? '';
  if (value === '') return { ok: true, includeObject: 'Metadata' };
  if (value === 'None' || value === 'Metadata' || value === 'Object')
    return { ok: true, includeObject: value };
  const detail = `includeObject: Invalid value: ${JSON.stringify(value)}: must be 'Metadata', 'Object', 'None', or empty`;
  return { ok: false, error: badRequest(`Unable to convert to Table as requested: ${detail}`) };
}

const createdAtColumn: PrinterColumn = {
  name: 'Created At',
  type: 'date',
  format: '',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
  jsonPath: '.metadata.creationTimestamp',
  value: (object) => {
    const stamp = valueAtPath(object, ['metadata', 'creationTimestamp']);
    return typeof stamp === 'string' && stamp !== '' ? stamp : '0001-01-01T00:00:00Z';
  },
};

/** Upstream's rest.defaultTableConvertor columns. */
export const defaultTableColumns: readonly PrinterColumn[] = [nameColumn(), createdAtColumn];

/** The columns a resource's Tables show. */
export function tableColumns(type: ResourceType): readonly PrinterColumn[] {
  return type.printerColumns.length > 0 ? type.printerColumns : defaultTableColumns;
}

function columnDefinition(column: PrinterColumn): JsonObject {
  return {
    name: column.name,
    type: column.type,
    format: column.format,
    description: column.description,
    priority: column.priority,
  };
}

/** printPod marks finished pods so clients may hide them (TableRowCondition "Completed"). */
function rowConditions(type: ResourceType, object: JsonObject): JsonObject[] | undefined {
  if (type.group !== '' || type.plural !== 'pods') return undefined;
  const phase = stringAt(objectAt(object, 'status'), 'phase');
  if (phase === 'Succeeded') return [completed('Succeeded', 'The pod has completed successfully.')];
  if (phase === 'Failed') return [completed('Failed', 'The pod failed.')];
  return undefined;
}

function completed(reason: string, message: string): JsonObject {
  return { type: 'Completed', status: 'True', reason, message };
}

function rowObject(object: JsonObject, options: TableOptions): JsonValue {
  switch (options.includeObject) {
    case 'None':
      return null;
    case 'Metadata':
      return partialObjectMetadata(object, options.version);
    case 'Object':
      return object;
  }
}

function tableRow(type: ResourceType, object: JsonObject, options: TableOptions): JsonObject {
  const ctx = { nowMs: options.nowMs };
  const cells = tableColumns(type).map((column) => column.value(object, ctx));
  const conditions = rowConditions(type, object);
  const object_ = rowObject(object, options);
  return conditions === undefined
    ? { cells, object: object_ }
    : { cells, conditions, object: object_ };
}

/** A Table of `objects` (a list, or one object for a GET or a watch event). */
export function buildTable(
  type: ResourceType,
  objects: readonly JsonObject[],
  options: TableOptions & { listMeta: TableListMeta },
): JsonObject {
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata: listMetaObject(options.listMeta),
    columnDefinitions: options.noHeaders ? null : tableColumns(type).map(columnDefinition),
    rows: objects.map((object) => tableRow(type, object, options)),
  };
}

/** A one-row Table of a single object; its metadata carries the object's resourceVersion. */
export function buildObjectTable(
  type: ResourceType,
  object: JsonObject,
  options: TableOptions,
): JsonObject {
  const resourceVersion = stringAt(objectAt(object, 'metadata'), 'resourceVersion') ?? '';
  return buildTable(type, [object], { ...options, listMeta: { resourceVersion } });
}
