// Strict decoding: the paths of fields a schema does not declare, and their removal.
//
// Paths follow sigs.k8s.io/json's strict decoder: object keys joined by ".", list items as
// `[i]`, map entries as `.key` (e.g. `spec.containers[0].imagePullPolicyy`). The caller renders
// each as `unknown field "<path>"`. Values of the wrong JSON type are not descended into (they
// are a decode type error instead).

import type { JsonObject, JsonValue } from '../../store/types.js';
import { isObject } from './json.js';
import type { Schema } from './schema.js';

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function collect(schema: Schema, value: JsonValue, path: string, out: string[]): void {
  switch (schema.kind) {
    case 'object': {
      if (!isObject(value)) return;
      for (const key of Object.keys(value)) {
        const child = schema.fields[key];
        const childValue = value[key] as JsonValue;
        if (child === undefined || !Object.hasOwn(schema.fields, key)) out.push(join(path, key));
        else collect(child, childValue, join(path, key), out);
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) return;
      value.forEach((item, i) => collect(schema.items, item, `${path}[${i}]`, out));
      return;
    case 'map':
      if (!isObject(value)) return;
      for (const key of Object.keys(value)) {
        collect(schema.values, value[key] as JsonValue, join(path, key), out);
      }
      return;
    default:
      return;
  }
}

/** Paths of undeclared fields, in document order. */
export function findUnknownFields(schema: Schema, value: JsonValue): string[] {
  const out: string[] = [];
  collect(schema, value, '', out);
  return out;
}

function pruneObject(schema: Schema & { kind: 'object' }, value: JsonObject): JsonObject {
  let changed = false;
  const next: Record<string, JsonValue> = {};
  for (const key of Object.keys(value)) {
    const childValue = value[key] as JsonValue;
    if (!Object.hasOwn(schema.fields, key)) {
      changed = true;
      continue;
    }
    const pruned = pruneUnknownFields(schema.fields[key] as Schema, childValue);
    if (pruned !== childValue) changed = true;
    next[key] = pruned;
  }
  return changed ? next : value;
}

function pruneList(schema: Schema, value: readonly JsonValue[]): readonly JsonValue[] {
  const next = value.map((item) => pruneUnknownFields(schema, item));
  return next.some((item, i) => item !== value[i]) ? next : value;
}

function pruneMap(schema: Schema, value: JsonObject): JsonObject {
  const next: Record<string, JsonValue> = {};
  let changed = false;
  for (const key of Object.keys(value)) {
    const childValue = value[key] as JsonValue;
    const pruned = pruneUnknownFields(schema, childValue);
    if (pruned !== childValue) changed = true;
    next[key] = pruned;
  }
  return changed ? next : value;
}

/** A copy without undeclared fields; unchanged parts (or the whole value) are shared. */
export function pruneUnknownFields(schema: Schema, value: JsonValue): JsonValue {
  if (schema.kind === 'object') return isObject(value) ? pruneObject(schema, value) : value;
  if (schema.kind === 'array') return Array.isArray(value) ? pruneList(schema.items, value) : value;
  if (schema.kind === 'map') return isObject(value) ? pruneMap(schema.values, value) : value;
  return value;
}
