// Go fmt look-alikes (%q, %#v of []string, UTF-8 lengths) so messages match upstream byte for byte.

const printableRune = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

const shortEscapes: Readonly<Record<string, string>> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

function quoteRune(rune: string): string {
  const short = shortEscapes[rune];
  if (short !== undefined) return short;
  const code = rune.codePointAt(0) ?? 0;
  if (code >= 0x20 && code < 0x7f) return rune;
  if (code < 0x20 || code === 0x7f) return `\\x${hex(code, 2)}`;
  // A lone surrogate is not a valid rune; Go would print the replacement character.
  if (code >= 0xd800 && code <= 0xdfff) return '\\ufffd';
  if (printableRune.test(rune)) return rune;
  return code < 0x10000 ? `\\u${hex(code, 4)}` : `\\U${hex(code, 8)}`;
}

/**
 * Quotes like Go's strconv.Quote (and so `%q`): printable runes stay, the rest is escaped.
 * Printability uses the Unicode general categories L, M, N, P, S (Go's unicode.IsPrint minus
 * version differences between the two Unicode tables).
 */
export function goQuote(text: string): string {
  let out = '"';
  for (const rune of text) out += quoteRune(rune);
  return `${out}"`;
}

/** Formats a string slice like Go's `%#v`; `undefined` stands for a nil slice. */
export function goStringSlice(values: readonly string[] | undefined): string {
  if (values === undefined) return '[]string(nil)';
  return `[]string{${values.map(goQuote).join(', ')}}`;
}

/** Length in UTF-8 bytes, which is what Go's len() measures on a string. */
export function utf8ByteLength(text: string): number {
  let length = 0;
  for (const rune of text) {
    const code = rune.codePointAt(0) ?? 0;
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code < 0x10000) length += 3;
    else length += 4;
  }
  return length;
}

function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
}

/**
 * Orders strings as Go compares them (UTF-8 bytes, i.e. code points). It differs from plain
 * UTF-16 `<` only when a code point above U+FFFF meets one in U+E000..U+FFFF.
 */
export function compareGoStrings(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (isSurrogate(x) !== isSurrogate(y)) return isSurrogate(x) ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}
