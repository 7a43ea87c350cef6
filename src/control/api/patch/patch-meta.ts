// Strategic-merge metadata of a field, read from the type schemas (upstream reads Go struct tags).
//
// A lookup names a field of the schema node being merged and returns the field's schema plus
// its patch strategy and merge key. Fields the schema does not know, and free-form (`any`)
// values, have no metadata and a schema-less subtree: their maps merge and their lists are
// replaced, as for upstream's unstructured values.

import type { Schema } from '../schema/schema.js';

/** The schema of the value being merged; undefined when unknown (schema-less). */
export type PatchSchema = Schema | undefined;

export interface PatchMeta {
  /** 'merge' | 'replace' | '' (the retainKeys part of a strategy only matters client-side). */
  strategy: string;
  mergeKey: string;
}

export type LookupResult = { schema: PatchSchema; meta: PatchMeta } | { error: string };

const noMeta: PatchMeta = { strategy: '', mergeKey: '' };

/** Upstream's extractRetainKeysPatchStrategy: the strategy other than retainKeys. */
function effectiveStrategy(strategy: string | undefined): string {
  const parts = (strategy ?? '').split(',');
  return parts.find((part) => part !== 'retainKeys') ?? '';
}

/** Go reflect kind names, as upstream prints them in lookup errors. */
function goKind(schema: Schema): string {
  switch (schema.kind) {
    case 'object':
    case 'quantity':
    case 'time':
    case 'microTime':
    case 'intOrString':
      return 'struct';
    case 'map':
      return 'map';
    case 'array':
      return 'slice';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'int32':
      return 'int32';
    case 'int64':
      return 'int64';
    case 'number':
      return 'float64';
    case 'any':
      return 'interface';
  }
}

/** Metadata of `key` in a map-like value (upstream LookupPatchMetadataForStruct). */
export function lookupField(schema: PatchSchema, key: string): LookupResult {
  if (schema === undefined || schema.kind === 'any') return { schema: undefined, meta: noMeta };
  if (schema.kind === 'map') {
    return {
      error: `merging an object in json but data type is not struct, instead is: ${goKind(schema)}`,
    };
  }
  if (schema.kind !== 'object' || !Object.hasOwn(schema.fields, key)) {
    return { schema: undefined, meta: noMeta };
  }
  const field = schema.fields[key] as Schema;
  return {
    schema: field,
    meta: { strategy: effectiveStrategy(field.patchStrategy), mergeKey: field.patchMergeKey ?? '' },
  };
}

/** Metadata of the list `key` and the schema of its items (upstream ...ForSlice). */
export function lookupList(schema: PatchSchema, key: string): LookupResult {
  const found = lookupField(schema, key);
  if ('error' in found || found.schema === undefined) return found;
  if (found.schema.kind === 'any') return { schema: undefined, meta: found.meta };
  if (found.schema.kind !== 'array') {
    const parentKind = schema === undefined ? 'struct' : goKind(schema);
    return { error: `expected slice or array type, but got: ${parentKind}` };
  }
  return { schema: found.schema.items, meta: found.meta };
}

/** Upstream's schema.Name() for a list's item type, used in one error text. */
export function schemaKindName(schema: PatchSchema): string {
  return schema === undefined ? 'interface' : goKind(schema);
}
