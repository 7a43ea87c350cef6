// Defaulting driven by the declarations: per-field defaults, then each type's cross-field hook,
// then its children (the order of Go's generated SetObjectDefaults_* functions).

import type { JsonObject, JsonValue } from '../../store/types.js';
import { isObject, withField } from './json.js';
import type { DefaultingContext, ObjectSchema, Schema } from './schema.js';
import { isGoZero } from './schema.js';
import { schemaOf, type SchemaCarrier } from './carrier.js';

function needsDefault(schema: Schema, current: JsonValue | undefined): boolean {
  if (current === undefined || current === null) return true;
  if (schema.zeroIsUnset !== true) return false;
  return typeof current !== 'object' && isGoZero(current);
}

function fieldDefaults(schema: ObjectSchema, value: JsonObject): JsonObject {
  let next = value;
  for (const [key, child] of Object.entries(schema.fields)) {
    if (child.default === undefined || !needsDefault(child, next[key])) continue;
    const computed = typeof child.default === 'function' ? child.default(next) : child.default;
    if (computed !== undefined) next = withField(next, key, computed);
  }
  return next;
}

function defaultObject(
  schema: ObjectSchema,
  value: JsonObject,
  ctx: DefaultingContext,
): JsonObject {
  let next = fieldDefaults(schema, value);
  if (schema.hooks?.defaults !== undefined) next = schema.hooks.defaults(next, ctx);
  for (const [key, child] of Object.entries(schema.fields)) {
    const current = next[key];
    if (current === undefined) continue;
    const defaulted = defaultValue(child, current, ctx);
    if (defaulted !== current) next = withField(next, key, defaulted);
  }
  return next;
}

function defaultList(schema: Schema, value: readonly JsonValue[], ctx: DefaultingContext) {
  const next = value.map((item) => defaultValue(schema, item, ctx));
  return next.some((item, i) => item !== value[i]) ? next : value;
}

function defaultMapValues(schema: Schema, value: JsonObject, ctx: DefaultingContext): JsonObject {
  let next = value;
  for (const key of Object.keys(value)) {
    const current = value[key] as JsonValue;
    const defaulted = defaultValue(schema, current, ctx);
    if (defaulted !== current) next = withField(next, key, defaulted);
  }
  return next;
}

function defaultValue(schema: Schema, value: JsonValue, ctx: DefaultingContext): JsonValue {
  switch (schema.kind) {
    case 'object':
      return isObject(value) ? defaultObject(schema, value, ctx) : value;
    case 'array':
      return Array.isArray(value) ? defaultList(schema.items, value, ctx) : value;
    case 'map':
      return isObject(value) ? defaultMapValues(schema.values, value, ctx) : value;
    default:
      return value;
  }
}

export interface ApplyDefaultsOptions {
  /**
   * 'create' also applies create-only defaults (upstream PrepareForCreate): a new Pod's
   * `status.phase: Pending` and `status.qosClass`, a new Namespace's `kubernetes` finalizer.
   * Absent: only the defaults upstream applies on every decode.
   */
  operation?: 'create' | 'update';
}

/**
 * Upstream v1.32 defaults for the object. Pure: returns a new value (parts that did not change
 * are shared with the input); values of the wrong JSON type are left alone.
 */
export function applyDefaults(
  type: SchemaCarrier,
  object: JsonObject,
  options: ApplyDefaultsOptions = {},
): JsonObject {
  return defaultObject(schemaOf(type), object, { operation: options.operation });
}

/** Defaults for a value of any declared type (e.g. a PodSpec inside a scenario). */
export function applyDefaultsTo(schema: Schema, value: JsonValue): JsonValue {
  return defaultValue(schema, value, { operation: undefined });
}
