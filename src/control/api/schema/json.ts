// Small helpers for reading and rebuilding plain JSON values and for building field paths.

import type { JsonObject, JsonValue } from '../../store/types.js';

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isArray(value: JsonValue | undefined): value is readonly JsonValue[] {
  return Array.isArray(value);
}

/** The object at `key`, or undefined when absent or not an object. */
export function objectAt(value: JsonValue | undefined, key: string): JsonObject | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return isObject(child) ? child : undefined;
}

/** The array at `key`, or an empty array when absent or not an array. */
export function arrayAt(value: JsonValue | undefined, key: string): readonly JsonValue[] {
  if (!isObject(value)) return [];
  const child = value[key];
  return isArray(child) ? child : [];
}

/** The string at `key`, or undefined. */
export function stringAt(value: JsonValue | undefined, key: string): string | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return typeof child === 'string' ? child : undefined;
}

/** The number at `key`, or undefined. */
export function numberAt(value: JsonValue | undefined, key: string): number | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return typeof child === 'number' ? child : undefined;
}

/** Reads a dotted path of object keys (`spec.template.metadata`). */
export function valueAtPath(
  value: JsonValue | undefined,
  keys: readonly string[],
): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const key of keys) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A copy of `object` with `key` set (or removed when `child` is undefined). */
export function withField(
  object: JsonObject,
  key: string,
  child: JsonValue | undefined,
): JsonObject {
  const next: Record<string, JsonValue> = { ...object };
  if (child === undefined) delete next[key];
  else next[key] = child;
  return next;
}

/** Structural equality of two JSON values (key order ignored). */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
}

/** Upstream field.Path rendering: `a.b`, `a[0]`, `a[key]`. */
export function childPath(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

export function keyPath(path: string, key: string): string {
  return `${path}[${key}]`;
}

/** JSON type name as upstream's OpenAPI-style errors spell it. */
export function jsonTypeName(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
