// Building handler results: JSON bodies (cached per frozen object) and Status error replies.
import type { HandlerResult, Headers } from '../ports/transport.js';
import type { JsonObject } from '../store/types.js';
import type { ApiError } from './status.js';
import { statusObject } from './status.js';

/**
 * Serialises stored objects once: they are deep-frozen and shared, so the JSON text of an object
 * never changes and a watch event fanned out to many watchers is encoded once.
 */
export class JsonCache {
  readonly #texts = new WeakMap<object, string>();

  text(object: JsonObject): string {
    let text = this.#texts.get(object);
    if (text === undefined) {
      text = JSON.stringify(object);
      this.#texts.set(object, text);
    }
    return text;
  }
}

const jsonHeaders: Headers = { 'content-type': 'application/json' };

export function jsonResult(status: number, body: string, extraHeaders?: Headers): HandlerResult {
  const headers =
    extraHeaders === undefined ? { ...jsonHeaders } : { ...jsonHeaders, ...extraHeaders };
  return { kind: 'unary', response: { status, headers, body } };
}

export function objectResult(
  status: number,
  object: JsonObject,
  extraHeaders?: Headers,
): HandlerResult {
  return jsonResult(status, JSON.stringify(object), extraHeaders);
}

export function errorResult(error: ApiError): HandlerResult {
  return jsonResult(error.code, JSON.stringify(statusObject(error)));
}

/** Formats warnings as the `Warning` header upstream sends (`299 - "text"`, comma-joined). */
export function warningHeaders(warnings: readonly string[]): Headers | undefined {
  if (warnings.length === 0) return undefined;
  const quoted = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  return { warning: quoted.join(', ') };
}
