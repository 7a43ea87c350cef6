// createJsonPatch: an RFC 6902 operation list that turns one JSON value into another, for
// clients that send JSON patches and for the round-trip property of applyJsonPatch.
import type { JsonObject, JsonValue } from '../../store/types.js';

export type JsonPatchOperation =
  | { op: 'add'; path: string; value: JsonValue }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: JsonValue };

/** One JSON pointer token: `~` → `~0`, `/` → `~1` (RFC 6901). */
function token(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isObject(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameScalar(a: JsonValue, b: JsonValue): boolean {
  return a === b;
}

function diffObjects(a: JsonObject, b: JsonObject, path: string, out: JsonPatchOperation[]): void {
  const aKeys = Object.keys(a).sort();
  const bKeys = Object.keys(b).sort();
  for (const key of aKeys) {
    if (!Object.hasOwn(b, key)) out.push({ op: 'remove', path: `${path}/${token(key)}` });
  }
  for (const key of bKeys) {
    const child = `${path}/${token(key)}`;
    if (!Object.hasOwn(a, key)) out.push({ op: 'add', path: child, value: b[key] as JsonValue });
    else diffValues(a[key] as JsonValue, b[key] as JsonValue, child, out);
  }
}

/** Lists: common prefix element-wise, then removals from the end, then appends. */
function diffArrays(
  a: readonly JsonValue[],
  b: readonly JsonValue[],
  path: string,
  out: JsonPatchOperation[],
): void {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++)
    diffValues(a[i] as JsonValue, b[i] as JsonValue, `${path}/${i}`, out);
  for (let i = a.length - 1; i >= common; i--) out.push({ op: 'remove', path: `${path}/${i}` });
  for (let i = common; i < b.length; i++)
    out.push({ op: 'add', path: `${path}/-`, value: b[i] as JsonValue });
}

function diffValues(a: JsonValue, b: JsonValue, path: string, out: JsonPatchOperation[]): void {
  if (isObject(a) && isObject(b)) diffObjects(a, b, path, out);
  else if (Array.isArray(a) && Array.isArray(b)) diffArrays(a, b, path, out);
  else if (!sameScalar(a, b)) out.push({ op: 'replace', path, value: b });
}

/** The operations that make `original` into `modified`; [] when they are equal. */
export function createJsonPatch(original: JsonValue, modified: JsonValue): JsonPatchOperation[] {
  const out: JsonPatchOperation[] = [];
  diffValues(original, modified, '', out);
  return out;
}
