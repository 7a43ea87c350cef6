// Request-body decoding: JSON only, bounded in size and nesting, always a fresh mutable value.
import type { ApiError } from './status.js';
import { badRequest } from './status.js';
import { utf8ByteLength } from '../util/utf8.js';

/** A mutable JSON value owned by the request being handled. */
export type Draft = { [key: string]: DraftValue };
export type DraftValue = string | number | boolean | null | DraftValue[] | Draft;

export interface BodyLimits {
  /** Largest accepted body in bytes (upstream: 3 MiB). */
  bodyBytesMax: number;
  /** Deepest accepted nesting of arrays and objects. */
  nestingDepthMax: number;
}

export const defaultBodyLimits: BodyLimits = {
  bodyBytesMax: 3 * 1024 * 1024,
  nestingDepthMax: 200,
};

export function isDraftObject(value: unknown): value is Draft {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Nesting depth of a parsed JSON value, computed without recursion. */
function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) if (typeof c === 'object' && c !== null) stack.push([c, depth + 1]);
  }
  return false;
}

/** Replaces -0 with 0 in place (JSON.parse can yield it) so values stay JSON-safe. */
function normaliseNegativeZero(value: DraftValue): DraftValue {
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = normaliseNegativeZero(value[i] as DraftValue);
  } else {
    for (const k of Object.keys(value)) value[k] = normaliseNegativeZero(value[k] as DraftValue);
  }
  return value;
}

/** Parses a JSON request body; `what` names the expected thing in error messages. */
export function parseJsonBody(
  text: string,
  limits: BodyLimits,
): { ok: true; value: DraftValue } | { ok: false; error: ApiError } {
  if (utf8ByteLength(text) > limits.bodyBytesMax) {
    return {
      ok: false,
      error: { code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large' },
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'malformed JSON';
    return {
      ok: false,
      error: badRequest(`couldn't get version/kind; json parse error: ${detail}`),
    };
  }
  if (depthExceeds(value, limits.nestingDepthMax)) {
    return {
      ok: false,
      error: badRequest(`json: exceeded max depth of ${limits.nestingDepthMax}`),
    };
  }
  return { ok: true, value: normaliseNegativeZero(value as DraftValue) };
}

/**
 * Parses the body of a subresource write (Binding, Eviction, Scale): a JSON object of `kind`
 * (or with no kind), whose metadata.name, when set, must be the name in the URL.
 */
export function parseSubresourceBody(
  text: string,
  limits: BodyLimits,
  expected: { kind: string; name: string },
): { ok: true; body: Draft; metadata: Draft } | { ok: false; error: ApiError } {
  const parsed = parseJsonBody(text, limits);
  if (!parsed.ok) return parsed;
  const body = parsed.value;
  if (!isDraftObject(body) || (body.kind !== undefined && body.kind !== expected.kind)) {
    return { ok: false, error: badRequest(`the body must be a ${expected.kind} object`) };
  }
  const metadata = isDraftObject(body.metadata) ? body.metadata : {};
  if (metadata.name !== undefined && metadata.name !== expected.name) {
    return {
      ok: false,
      error: badRequest(`name in URL does not match name in ${expected.kind} object`),
    };
  }
  return { ok: true, body, metadata };
}
