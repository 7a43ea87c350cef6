// Encoding of stored objects: canonical JSON for the backend, deep-freezing on load, and stamping
// the committing revision as `metadata.resourceVersion`.
import { assert, AssertionError } from '../util/assert.js';
import type { JsonObject, JsonValue, StoredObject } from './types.js';

/** JSON.stringify's quoting, skipped for the common string that needs no escape. */
function quote(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Control characters, '"', '\\' and (possibly lone) surrogates take JSON.stringify's path.
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) {
      return JSON.stringify(text);
    }
  }
  return '"' + text + '"';
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Objects with more keys than this are sorted by Array.prototype.sort, not insertion sort. */
const insertionSortKeyCountMax = 24;

/** Sorts by UTF-16 code units in place; most objects have few keys, often nearly in order. */
function sortKeys(keys: string[]): void {
  if (keys.length > insertionSortKeyCountMax) {
    keys.sort(byCodeUnits);
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j -= 1;
    }
    keys[j + 1] = key;
  }
}

function appendArray(value: readonly JsonValue[], out: string): string {
  out += '[';
  for (let i = 0; i < value.length; i++) {
    if (i > 0) out += ',';
    out = appendValue(value[i]!, out);
  }
  return out + ']';
}

function appendObject(value: JsonObject, out: string): string {
  const keys = Object.keys(value);
  sortKeys(keys);
  out += '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (i > 0) out += ',';
    out = appendValue(value[key]!, out + quote(key) + ':');
  }
  return out + '}';
}

function appendValue(value: JsonValue, out: string): string {
  switch (typeof value) {
    case 'string':
      return out + quote(value);
    case 'boolean':
      return out + (value ? 'true' : 'false');
    case 'number':
      assert(Number.isFinite(value), 'stored numbers must be finite');
      assert(!Object.is(value, -0), 'stored numbers must not be -0');
      return out + String(value);
    case 'object':
      if (value === null) return out + 'null';
      if (Array.isArray(value)) return appendArray(value as readonly JsonValue[], out);
      return appendObject(value as JsonObject, out);
    default:
      throw new AssertionError(`stored values must be JSON-safe, got a ${typeof value}`);
  }
}

/**
 * JSON with object keys sorted by UTF-16 code units and no whitespace: the same bytes for the same
 * value. Asserts the value is JSON-safe (no undefined, functions, NaN, Infinity or -0).
 */
export function canonicalJson(value: JsonValue): string {
  return appendValue(value, '');
}

/** Freezes a freshly parsed JSON value and everything inside it. */
export function deepFreezeJson<T extends JsonValue>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const children: readonly JsonValue[] = Array.isArray(value)
    ? (value as readonly JsonValue[])
    : Object.values(value as JsonObject);
  for (const child of children) deepFreezeJson(child);
  return Object.freeze(value);
}

/** The object's `metadata`, asserted to be a JSON object. */
export function metadataOf(object: StoredObject): JsonObject {
  const metadata = object.metadata;
  assert(typeof metadata === 'object', 'stored objects must have a metadata object');
  assert(metadata !== null, 'stored objects must have a metadata object');
  assert(!Array.isArray(metadata), 'stored objects must have a metadata object');
  return metadata as JsonObject;
}

/**
 * A new frozen object equal to `object` but with `metadata.resourceVersion` set to `revision`.
 * Only the root and `metadata` are copied; everything else is shared. The caller's object must
 * already be deep-frozen (only the root is checked, to keep writes cheap).
 */
export function stampResourceVersion(object: StoredObject, revision: number): StoredObject {
  assert(Object.isFrozen(object), 'stored objects must be deep-frozen');
  const metadata = metadataOf(object);
  const stamped = { ...metadata, resourceVersion: String(revision) };
  return Object.freeze({ ...object, metadata: Object.freeze(stamped) });
}

/** The stored object's `metadata.resourceVersion` (always set by the store). */
export function resourceVersionOf(object: StoredObject): string {
  return metadataOf(object).resourceVersion as string;
}
