// JSON values as the store keeps them: canonical (sorted-key) text, deep freezing, safety checks.
//
// A JSON-safe value is null, a boolean, a finite number other than -0, a string, an array of
// JSON-safe values, or a plain object (prototype Object.prototype or null, no symbol keys) whose
// own enumerable string-keyed values are JSON-safe, with no cycles. Anything else handed to
// canonicalStringify is a programmer error: it throws.

import { AssertionError } from '../../util/assert.js';

export type JsonValue = null | boolean | number | string | JsonArray | JsonObject;
export type JsonArray = readonly JsonValue[];
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** Why a value is not JSON-safe, with a path like `$.spec.containers[0]`; undefined if it is. */
function unsafeReason(value: unknown, path: string, ancestors: object[]): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      if (!Number.isFinite(value)) return `${path} is ${value}`;
      return Object.is(value, -0) ? `${path} is -0` : undefined;
    case 'object':
      return value === null ? undefined : containerReason(value, path, ancestors);
    default:
      return `${path} has type ${typeof value}`;
  }
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function containerReason(value: object, path: string, ancestors: object[]): string | undefined {
  if (ancestors.includes(value)) return `${path} is a cycle`;
  if (!Array.isArray(value) && !isPlainObject(value)) return `${path} is not a plain object`;
  if (Object.getOwnPropertySymbols(value).length > 0) return `${path} has symbol keys`;
  ancestors.push(value);
  const reason = Array.isArray(value)
    ? arrayReason(value, path, ancestors)
    : objectReason(value as Record<string, unknown>, path, ancestors);
  ancestors.pop();
  return reason;
}

function arrayReason(value: unknown[], path: string, ancestors: object[]): string | undefined {
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) return `${path}[${i}] is a hole`;
    const reason = unsafeReason(value[i], `${path}[${i}]`, ancestors);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

function objectReason(
  value: Record<string, unknown>,
  path: string,
  ancestors: object[],
): string | undefined {
  for (const key of Object.keys(value)) {
    const reason = unsafeReason(value[key], `${path}.${key}`, ancestors);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/** Whether canonicalStringify would accept the value (see the file comment). */
export function isJsonSafe(value: unknown): value is JsonValue {
  return unsafeReason(value, '$', []) === undefined;
}

function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function stringifyKnownSafe(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stringifyKnownSafe).join(',')}]`;
  const record = value as JsonObject;
  const keys = Object.keys(record).sort(compareCodeUnits);
  const members = keys.map(
    (key) => `${JSON.stringify(key)}:${stringifyKnownSafe(record[key] ?? null)}`,
  );
  return `{${members.join(',')}}`;
}

/**
 * JSON text with object keys sorted by UTF-16 code units at every depth and no whitespace, for
 * bytes that are hashed or compared. Throws an AssertionError on a value that is not JSON-safe.
 */
export function canonicalStringify(value: unknown): string {
  const reason = unsafeReason(value, '$', []);
  if (reason !== undefined) throw new AssertionError(`canonicalStringify: ${reason}`);
  return stringifyKnownSafe(value as JsonValue);
}

/**
 * Freezes the value and everything reachable from it, in place, and returns it. Values that
 * are already frozen are still walked, since a shallow freeze says nothing about children.
 */
export function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    Object.freeze(next);
    for (const key of Object.keys(next)) pending.push((next as Record<string, unknown>)[key]);
  }
  return value;
}

function defineMember(target: Record<string, JsonValue>, key: string, member: JsonValue): void {
  // defineProperty, not assignment: a "__proto__" key from JSON.parse must stay a plain member.
  Object.defineProperty(target, key, {
    value: member,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function safeObject(value: Record<string, unknown>): JsonObject | undefined {
  const keys = Object.keys(value);
  const members: JsonValue[] = [];
  for (const key of keys) {
    const member = toJsonSafe(value[key]);
    if (member === undefined) return undefined;
    members.push(member);
  }
  // Object.is, not ===: -0 === 0, and a -0 replaced by 0 is a change.
  if (members.every((member, i) => Object.is(member, value[keys[i] ?? '']))) {
    return value as JsonObject;
  }
  const copy: Record<string, JsonValue> = {};
  keys.forEach((key, i) => defineMember(copy, key, members[i] ?? null));
  return copy;
}

function safeArray(value: readonly unknown[]): JsonArray | undefined {
  const items: JsonValue[] = [];
  for (const item of value) {
    const safe = toJsonSafe(item);
    if (safe === undefined) return undefined;
    items.push(safe);
  }
  return items.every((item, i) => Object.is(item, value[i])) ? (value as JsonArray) : items;
}

/**
 * Normalises a JSON.parse result for storage: -0 becomes 0 (JSON.parse("-0") yields -0).
 * Returns the input itself when nothing changed, otherwise a copy sharing unchanged parts;
 * `undefined` when the value cannot be made JSON-safe (e.g. 1e400 parsed to Infinity, which
 * upstream's decoder rejects as out of range).
 */
export function toJsonSafe(parsed: unknown): JsonValue | undefined {
  if (typeof parsed === 'number') {
    if (!Number.isFinite(parsed)) return undefined;
    return Object.is(parsed, -0) ? 0 : parsed;
  }
  if (typeof parsed === 'string' || typeof parsed === 'boolean' || parsed === null) return parsed;
  if (typeof parsed !== 'object') return undefined;
  if (Array.isArray(parsed)) return safeArray(parsed);
  if (!isPlainObject(parsed) || Object.getOwnPropertySymbols(parsed).length > 0) return undefined;
  return safeObject(parsed as Record<string, unknown>);
}
