// Building handler results: JSON bodies (cached per frozen object) and Status error replies.
import type { HandlerResult, Headers, TransportResponse } from '../ports/transport.js';
import type { JsonObject } from '../store/types.js';
import type { ApiError } from './status.js';
import { statusObject } from './status.js';

/**
 * Serialises stored objects once: they are deep-frozen and shared, so the JSON text of an object
 * never changes and a watch event fanned out to many watchers is encoded once.
 */
export class JsonCache {
  readonly #texts = new WeakMap<object, string>();
  readonly #bytes = new WeakMap<object, Uint8Array>();
  readonly #encoder = new TextEncoder();

  text(object: JsonObject): string {
    let text = this.#texts.get(object);
    if (text === undefined) {
      text = JSON.stringify(object);
      this.#texts.set(object, text);
    }
    return text;
  }

  /** The UTF-8 bytes of text(object), encoded once (only where bytes are asked for). */
  bytes(object: JsonObject): Uint8Array {
    let bytes = this.#bytes.get(object);
    if (bytes === undefined) {
      bytes = this.#encoder.encode(this.text(object));
      this.#bytes.set(object, bytes);
    }
    return bytes;
  }

  encode(text: string): Uint8Array {
    return this.#encoder.encode(text);
  }
}

const commaBytes = Uint8Array.of(0x2c);

/**
 * A 200 JSON reply `head` + the items' JSON joined by commas + `tail`, built lazily: `body`
 * joins the cached texts on first read (the in-process transport), `bodyPieces` hands out the
 * cached bytes (HTTP), so a list of unchanged objects is never encoded again.
 */
export function itemsResult(
  json: JsonCache,
  parts: { head: string; items: readonly JsonObject[]; tail: string },
): HandlerResult {
  let body: string | undefined;
  const response: TransportResponse = {
    status: 200,
    headers: { ...jsonHeaders },
    get body() {
      body ??= `${parts.head}${parts.items.map((item) => json.text(item)).join(',')}${parts.tail}`;
      return body;
    },
    bodyPieces: () => {
      const pieces: Uint8Array[] = [json.encode(parts.head)];
      parts.items.forEach((item, index) => {
        if (index > 0) pieces.push(commaBytes);
        pieces.push(json.bytes(item));
      });
      pieces.push(json.encode(parts.tail));
      return pieces;
    },
  };
  return { kind: 'unary', response };
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
