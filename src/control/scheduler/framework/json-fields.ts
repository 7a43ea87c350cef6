// Typed readers for fields of API objects held as JsonObject (absent or mistyped reads as empty).
import type { JsonObject, JsonValue } from '../../store/types.js';

const emptyObject: JsonObject = Object.freeze({});
const emptyArray: readonly JsonValue[] = Object.freeze([]);

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `obj[key]`, or undefined when absent or not an object. */
export function objectAt(obj: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = obj?.[key];
  return isJsonObject(value) ? value : undefined;
}

/** The object at `obj[key]`, or a shared frozen empty object. */
export function objectOrEmpty(obj: JsonObject | undefined, key: string): JsonObject {
  return objectAt(obj, key) ?? emptyObject;
}

/** The array at `obj[key]`, or a shared frozen empty array. */
export function arrayAt(obj: JsonObject | undefined, key: string): readonly JsonValue[] {
  const value = obj?.[key];
  return Array.isArray(value) ? (value as readonly JsonValue[]) : emptyArray;
}

/** The objects of the array at `obj[key]` (non-objects skipped). */
export function objectsAt(obj: JsonObject | undefined, key: string): JsonObject[] {
  const out: JsonObject[] = [];
  for (const item of arrayAt(obj, key)) if (isJsonObject(item)) out.push(item);
  return out;
}

export function stringAt(obj: JsonObject | undefined, key: string): string | undefined {
  const value = obj?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberAt(obj: JsonObject | undefined, key: string): number | undefined {
  const value = obj?.[key];
  return typeof value === 'number' ? value : undefined;
}

/** The string-valued entries of the map at `obj[key]` (labels, nodeSelector). */
export function stringMapAt(
  obj: JsonObject | undefined,
  key: string,
): Readonly<Record<string, string>> {
  const map = objectAt(obj, key);
  if (map === undefined) return emptyObject as Readonly<Record<string, string>>;
  for (const value of Object.values(map)) {
    if (typeof value !== 'string') return onlyStrings(map);
  }
  return map as Readonly<Record<string, string>>;
}

function onlyStrings(map: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) if (typeof v === 'string') out[k] = v;
  return out;
}
