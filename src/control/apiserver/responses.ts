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
  /** The last list body sent per collection key, with what it was made of. */
  readonly #lists = new Map<string, { parts: ListParts; bytes: Uint8Array }>();

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

  /**
   * The bytes of the last list body sent for `key` (a collection), when it was made of the
   * same head, the very same stored objects in the same order, and the same tail; else the
   * body is assembled and remembered. Stored objects are frozen, so equal references mean equal
   * bytes: a list polled between writes is copied once, not rebuilt.
   */
  listBytes(key: string, parts: ListParts): Uint8Array {
    const last = this.#lists.get(key);
    if (last !== undefined && sameList(last.parts, parts)) return last.bytes;
    const pieces: Uint8Array[] = [this.encode(parts.head)];
    parts.items.forEach((item, index) => {
      if (index > 0) pieces.push(commaBytes);
      pieces.push(this.bytes(item));
    });
    pieces.push(this.encode(parts.tail));
    const bytes = concatBytes(pieces);
    this.#lists.set(key, { parts, bytes });
    return bytes;
  }
}

export interface ListParts {
  head: string;
  items: readonly JsonObject[];
  tail: string;
}

function sameList(a: ListParts, b: ListParts): boolean {
  if (a.head !== b.head || a.tail !== b.tail || a.items.length !== b.items.length) return false;
  for (let i = 0; i < a.items.length; i++) if (a.items[i] !== b.items[i]) return false;
  return true;
}

function concatBytes(pieces: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

const commaBytes = Uint8Array.of(0x2c);

/**
 * A 200 JSON reply `head` + the items' JSON joined by commas + `tail`, built lazily: `body`
 * joins the cached texts on first read (the in-process transport), `bodyPieces` hands out the
 * cached bytes (HTTP; `cacheKey` names the collection), so unchanged objects are never encoded
 * again and an unchanged list is not even reassembled.
 */
export function itemsResult(json: JsonCache, parts: ListParts, cacheKey: string): HandlerResult {
  let body: string | undefined;
  const response: TransportResponse = {
    status: 200,
    headers: { ...jsonHeaders },
    get body() {
      body ??= `${parts.head}${parts.items.map((item) => json.text(item)).join(',')}${parts.tail}`;
      return body;
    },
    bodyPieces: () => [json.listBytes(cacheKey, parts)],
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
