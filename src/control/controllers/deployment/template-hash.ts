// pod-template-hash: FNV-32a over the canonical JSON of a pod template (plus collisionCount),
// rendered with SafeEncodeString, and template equality that ignores the hash label.
//
// Upstream (controller.ComputeHash) feeds a spew dump of the Go struct to FNV-32a; miniku feeds
// the UTF-8 bytes of the canonical (sorted-key) serialisation instead, so hashes are stable
// across runs and hosts but differ from a real cluster's for the same template.

import type { JsonObject, JsonValue } from '../../api/values/canonical-json.js';
import { canonicalStringify } from '../../api/values/canonical-json.js';
import { podTemplateHashLabel } from './deployment-objects.js';

const fnvOffsetBasis32 = 0x811c9dc5;
const fnvPrime32 = 0x01000193;

/** rand.SafeEncodeString's alphabet: no vowels, no 0/1/3, so no words and no look-alikes. */
const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

function fnvByte(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, fnvPrime32) >>> 0;
}

/** Feeds the UTF-8 encoding of `text` (lone surrogates as U+FFFD) into an FNV-32a state. */
function fnvText(hash: number, text: string): number {
  let state = hash;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    state = fnvCodePoint(state, code);
  }
  return state;
}

function fnvCodePoint(hash: number, code: number): number {
  if (code < 0x80) return fnvByte(hash, code);
  if (code < 0x800) {
    return fnvByte(fnvByte(hash, 0xc0 | (code >> 6)), 0x80 | (code & 0x3f));
  }
  if (code < 0x10000) {
    const first = fnvByte(hash, 0xe0 | (code >> 12));
    return fnvByte(fnvByte(first, 0x80 | ((code >> 6) & 0x3f)), 0x80 | (code & 0x3f));
  }
  const first = fnvByte(fnvByte(hash, 0xf0 | (code >> 18)), 0x80 | ((code >> 12) & 0x3f));
  return fnvByte(fnvByte(first, 0x80 | ((code >> 6) & 0x3f)), 0x80 | (code & 0x3f));
}

/** FNV-32a of the UTF-8 bytes of `text`, as an unsigned 32-bit integer. */
export function fnv32a(text: string): number {
  return fnvText(fnvOffsetBasis32, text);
}

/** rand.SafeEncodeString: each byte of `text` picks alphabet[byte % 27]. */
export function safeEncodeString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    out += safeAlphabet[text.charCodeAt(i) % safeAlphabet.length];
  }
  return out;
}

/**
 * ComputeHash: the template's canonical JSON, then — when collisionCount is set — 8 bytes holding
 * it as a little-endian uint32 followed by 4 zero bytes; the decimal FNV-32a sum, safe-encoded.
 */
export function computeTemplateHash(template: JsonValue, collisionCount?: number): string {
  let hash = fnvText(fnvOffsetBasis32, canonicalStringify(template));
  if (collisionCount !== undefined) {
    const count = collisionCount >>> 0;
    for (let i = 0; i < 4; i++) hash = fnvByte(hash, (count >>> (8 * i)) & 0xff);
    for (let i = 0; i < 4; i++) hash = fnvByte(hash, 0);
  }
  return safeEncodeString(String(hash));
}

/**
 * A copy for comparison: object members that are null, {} or [] are dropped at every depth, as
 * apimachinery's semantic equality treats nil and empty maps and slices alike.
 */
function withoutEmpties(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return (value as readonly JsonValue[]).map(withoutEmpties);
  const out: Record<string, JsonValue> = {};
  for (const [key, member] of Object.entries(value as JsonObject)) {
    const normal = withoutEmpties(member);
    if (normal === null) continue;
    if (typeof normal === 'object' && Object.keys(normal).length === 0) continue;
    out[key] = normal;
  }
  return out;
}

function withoutHashLabel(template: JsonObject | undefined): JsonValue {
  const metadata = template?.metadata;
  if (template === undefined || typeof metadata !== 'object' || metadata === null) {
    return template ?? null;
  }
  const labels = (metadata as JsonObject).labels;
  if (typeof labels !== 'object' || labels === null) return template;
  const rest: Record<string, JsonValue> = { ...(labels as JsonObject) };
  delete rest[podTemplateHashLabel];
  return { ...template, metadata: { ...(metadata as JsonObject), labels: rest } };
}

/** EqualIgnoreHash: equal pod templates once the pod-template-hash label is removed. */
export function equalIgnoreHash(a: JsonObject | undefined, b: JsonObject | undefined): boolean {
  const left = canonicalStringify(withoutEmpties(withoutHashLabel(a)));
  return left === canonicalStringify(withoutEmpties(withoutHashLabel(b)));
}
