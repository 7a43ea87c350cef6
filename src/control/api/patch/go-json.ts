// JSON decoding with Go encoding/json's syntax checks and error texts (patch bodies are decoded
// upstream by encoding/json or its fork sigs.k8s.io/json, whose messages reach clients).
//
// Go checks the whole input before decoding, so the first syntax error in the text wins, e.g.
//   invalid character '}' looking for beginning of object key string
//   unexpected end of JSON input
// Nesting deeper than `nestingDepthMax` fails like Go's own (10000-level) limit:
//   invalid character '[' exceeded max depth

import { goQuote } from '../values/go-format.js';
import type { DraftNode } from './draft.js';
import { toDraft } from './draft.js';
import type { JsonValue } from '../../store/types.js';

/** Go's name of a decoded JSON value's kind in unmarshal errors: object, array, string... */
export function goJsonKind(node: DraftNode): string {
  if (node instanceof Map) return 'object';
  if (Array.isArray(node)) return 'array';
  if (node === null) return 'null';
  return typeof node === 'boolean' ? 'bool' : typeof node;
}

/** Go's UnmarshalTypeError text for a value of `kind` decoded into `goType`. */
export function unmarshalTypeError(kind: string, goType: string): string {
  return `json: cannot unmarshal ${kind} into Go value of type ${goType}`;
}

export type GoJsonResult = { ok: true; value: DraftNode } | { ok: false; message: string };

const utf8 = new TextEncoder();

/** Go's quoteChar: a byte shown as a quoted rune (`'x'`, `'\n'`, `'\''`, `'"'`). */
function quoteByte(byte: number): string {
  if (byte === 0x27) return `'\\''`;
  if (byte === 0x22) return `'"'`;
  const quoted = goQuote(String.fromCharCode(byte));
  return `'${quoted.slice(1, -1)}'`;
}

const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;
const isHex = (b: number): boolean =>
  isDigit(b) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46);

class SyntaxFailure {
  constructor(readonly message: string) {}
}

/** A recursive-descent checker over UTF-8 bytes, worded like Go's scanner. */
class Scanner {
  #pos = 0;
  #depth = 0;
  /** The first number literal that overflows a float64 (Go fails to decode it). */
  hugeNumber: string | undefined;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly depthMax: number,
  ) {}

  check(): SyntaxFailure | undefined {
    const failure = this.#value();
    if (failure) return failure;
    this.#skipSpace();
    if (this.#pos < this.bytes.length) return this.#fail('after top-level value');
    return undefined;
  }

  #peek(): number | undefined {
    return this.bytes[this.#pos];
  }

  #skipSpace(): void {
    while (this.#pos < this.bytes.length && isSpace(this.bytes[this.#pos] as number)) this.#pos++;
  }

  #fail(context: string): SyntaxFailure {
    const byte = this.#peek();
    if (byte === undefined) return new SyntaxFailure('unexpected end of JSON input');
    return new SyntaxFailure(`invalid character ${quoteByte(byte)} ${context}`);
  }

  #value(): SyntaxFailure | undefined {
    this.#skipSpace();
    const byte = this.#peek();
    if (byte === 0x7b || byte === 0x5b) return this.#container(byte === 0x7b);
    if (byte === 0x22) return this.#string('in string literal');
    if (byte === 0x2d || (byte !== undefined && isDigit(byte))) return this.#number();
    if (byte === 0x74) return this.#literal('true');
    if (byte === 0x66) return this.#literal('false');
    if (byte === 0x6e) return this.#literal('null');
    return this.#fail('looking for beginning of value');
  }

  #container(isObject: boolean): SyntaxFailure | undefined {
    if (this.#depth >= this.depthMax) return this.#fail('exceeded max depth');
    this.#depth++;
    this.#pos++;
    this.#skipSpace();
    const close = isObject ? 0x7d : 0x5d;
    if (this.#peek() === close) {
      this.#pos++;
      this.#depth--;
      return undefined;
    }
    for (;;) {
      const failure = isObject ? this.#member() : this.#value();
      if (failure) return failure;
      this.#skipSpace();
      const byte = this.#peek();
      if (byte === close) break;
      if (byte !== 0x2c)
        return this.#fail(isObject ? 'after object key:value pair' : 'after array element');
      this.#pos++;
    }
    this.#pos++;
    this.#depth--;
    return undefined;
  }

  #member(): SyntaxFailure | undefined {
    this.#skipSpace();
    if (this.#peek() !== 0x22) return this.#fail('looking for beginning of object key string');
    const failure = this.#string('in string literal');
    if (failure) return failure;
    this.#skipSpace();
    if (this.#peek() !== 0x3a) return this.#fail('after object key');
    this.#pos++;
    return this.#value();
  }

  #string(context: string): SyntaxFailure | undefined {
    this.#pos++;
    for (;;) {
      const byte = this.#peek();
      if (byte === undefined || byte < 0x20) return this.#fail(context);
      this.#pos++;
      if (byte === 0x22) return undefined;
      if (byte === 0x5c) {
        const failure = this.#escape();
        if (failure) return failure;
      }
    }
  }

  #escape(): SyntaxFailure | undefined {
    const byte = this.#peek();
    if (byte === 0x75) {
      this.#pos++;
      for (let i = 0; i < 4; i++) {
        const hex = this.#peek();
        if (hex === undefined || !isHex(hex))
          return this.#fail('in \\u hexadecimal character escape');
        this.#pos++;
      }
      return undefined;
    }
    if (byte !== undefined && 'bfnrt\\/"'.includes(String.fromCharCode(byte))) {
      this.#pos++;
      return undefined;
    }
    return this.#fail('in string escape code');
  }

  #digits(): void {
    while (this.#peek() !== undefined && isDigit(this.#peek() as number)) this.#pos++;
  }

  #number(): SyntaxFailure | undefined {
    const start = this.#pos;
    const failure = this.#numberToken();
    if (failure === undefined && this.hugeNumber === undefined) {
      const literal = String.fromCharCode(...this.bytes.subarray(start, this.#pos));
      if (!Number.isFinite(Number(literal))) this.hugeNumber = literal;
    }
    return failure;
  }

  #numberToken(): SyntaxFailure | undefined {
    if (this.#peek() === 0x2d) {
      this.#pos++;
      const first = this.#peek();
      if (first === undefined || !isDigit(first)) return this.#fail('in numeric literal');
    }
    if (this.#peek() === 0x30) this.#pos++;
    else this.#digits();
    if (this.#peek() === 0x2e) {
      this.#pos++;
      const first = this.#peek();
      if (first === undefined || !isDigit(first)) {
        return this.#fail('after decimal point in numeric literal');
      }
      this.#digits();
    }
    const e = this.#peek();
    if (e === 0x65 || e === 0x45) {
      this.#pos++;
      if (this.#peek() === 0x2b || this.#peek() === 0x2d) this.#pos++;
      const first = this.#peek();
      if (first === undefined || !isDigit(first))
        return this.#fail('in exponent of numeric literal');
      this.#digits();
    }
    return undefined;
  }

  #literal(word: string): SyntaxFailure | undefined {
    this.#pos++;
    for (const letter of word.slice(1)) {
      if (this.#peek() !== letter.charCodeAt(0)) {
        return this.#fail(`in literal ${word} (expecting '${letter}')`);
      }
      this.#pos++;
    }
    return undefined;
  }
}

/** The Go syntax error of `text`, or undefined when it is valid JSON within the depth limit. */
export function goJsonSyntaxError(text: string, nestingDepthMax: number): string | undefined {
  return new Scanner(utf8.encode(text), nestingDepthMax).check()?.message;
}

/** Decodes JSON text as Go would into interface{}; numbers that overflow float64 fail too. */
export function decodeGoJson(text: string, nestingDepthMax: number): GoJsonResult {
  const scanner = new Scanner(utf8.encode(text), nestingDepthMax);
  const failure = scanner.check();
  if (failure !== undefined) return { ok: false, message: failure.message };
  if (scanner.hugeNumber !== undefined) {
    const message = unmarshalTypeError(`number ${scanner.hugeNumber}`, 'float64');
    return { ok: false, message };
  }
  return { ok: true, value: toDraft(JSON.parse(text) as JsonValue) };
}
