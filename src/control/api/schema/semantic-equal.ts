// Upstream's semantic equality (apiequality.Semantic): quantities by value, and nil, empty and
// Go-zero fields equal to absent ones, as Go structs cannot tell them apart.

import type { JsonObject, JsonValue } from '../../store/types.js';
import { canonicalizeQuantityString, formatQuantity, parseQuantity } from '../values/quantity.js';
import { isObject, jsonEqual } from './json.js';
import type { Schema } from './schema.js';

function isEmpty(schema: Schema, value: JsonValue | undefined): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (schema.kind === 'map') return isObject(value) && Object.keys(value).length === 0;
  if (schema.kind === 'string' && value === '') return true;
  return schema.zeroIsUnset === true && (value === 0 || value === false || value === '');
}

function normalQuantity(value: JsonValue): JsonValue {
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  const text = typeof value === 'string' ? value.trim() : JSON.stringify(value);
  const parsed = parseQuantity(text);
  if (parsed === undefined) return canonicalizeQuantityString(text) ?? value;
  return formatQuantity({ ...parsed, format: 'DecimalSI' });
}

function normalEntries(
  value: JsonObject,
  schemaFor: (key: string) => Schema | undefined,
): JsonObject {
  const next: Record<string, JsonValue> = {};
  for (const key of Object.keys(value)) {
    const child = schemaFor(key);
    const item = value[key] as JsonValue;
    if (child === undefined) next[key] = item;
    else if (!isEmpty(child, item)) next[key] = normalize(child, item);
  }
  return next;
}

/** The value with empty fields dropped and quantities as comparable text. */
export function normalize(schema: Schema, value: JsonValue): JsonValue {
  switch (schema.kind) {
    case 'quantity':
      return normalQuantity(value);
    case 'object':
      if (!isObject(value)) return value;
      return normalEntries(value, (key) =>
        Object.hasOwn(schema.fields, key) ? schema.fields[key] : undefined,
      );
    case 'map':
      return isObject(value) ? normalEntries(value, () => schema.values) : value;
    case 'array':
      return Array.isArray(value) ? value.map((item) => normalize(schema.items, item)) : value;
    default:
      return value;
  }
}

/** Whether two values of the schema's type are semantically equal. */
export function semanticEqual(
  schema: Schema,
  a: JsonValue | undefined,
  b: JsonValue | undefined,
): boolean {
  const emptyA = isEmpty(schema, a);
  const emptyB = isEmpty(schema, b);
  if (emptyA || emptyB) return emptyA && emptyB;
  return jsonEqual(normalize(schema, a as JsonValue), normalize(schema, b as JsonValue));
}
