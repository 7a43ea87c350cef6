// Strict decoding: repeated keys in raw JSON text, with the strict decoder's field paths.
//
// JSON.parse silently keeps the last of repeated keys; upstream's strict decoder
// (sigs.k8s.io/json, DisallowDuplicateFields) reports each repeat as `duplicate field "<path>"`.
// This scans the text once, iteratively (an explicit stack, so deep nesting cannot overflow the
// call stack), and returns the paths; the caller renders the message. Paths as upstream builds
// them: object keys joined by "." (map keys verbatim, so `metadata.labels.app.kubernetes.io/name`),
// array items as `[i]` (`spec.containers[0].image`), a top-level repeat as the bare key. Keys
// are compared after unescaping (`"a"` and `"\u0061"` are the same key); lone surrogates become
// U+FFFD first, as Go's unquote does. Each path is reported once, in document order of the first
// repeat, and at most `pathCountMax` of them (upstream keeps at most 100 strict errors).
//
// Schema-free, unlike upstream, which checks only keys that land in a struct field or a map and
// skips values it does not decode (unknown fields, RawExtension): a caller that wants exactly
// upstream's list drops paths equal to or below an unknown field's path.
//
// Never throws: text that is not JSON (or nests deeper than `nestingDepthMax`) yields [], since
// the caller's JSON.parse reports the syntax error.

export interface DuplicateFieldLimits {
  /** Deepest nesting scanned; deeper text yields []. Default 10_000 (Go's scanner limit). */
  nestingDepthMax?: number;
  /** Most paths returned. Default 100, as upstream's cap on strict errors. */
  pathCountMax?: number;
}

const defaultLimits: Required<DuplicateFieldLimits> = {
  nestingDepthMax: 10_000,
  pathCountMax: 100,
};

interface ObjectFrame {
  kind: 'object';
  /** Path of this object; undefined for the top-level value (an empty path stack upstream). */
  path: string | undefined;
  seen: Set<string>;
  /** The key whose value comes next. */
  key: string;
  awaitingKey: boolean;
}

interface ArrayFrame {
  kind: 'array';
  path: string | undefined;
  /** Values started so far: the index of the next one. */
  count: number;
}

type Frame = ObjectFrame | ArrayFrame;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function endsLiteral(c: number): boolean {
  return (
    isWhitespace(c) ||
    c === COMMA ||
    c === COLON ||
    c === CLOSE_BRACE ||
    c === CLOSE_BRACKET ||
    c === OPEN_BRACE ||
    c === OPEN_BRACKET ||
    c === QUOTE
  );
}

/** Upstream's appendStrictFieldStackKey + newFieldError: "." only between parts. */
function keyPath(parent: string | undefined, key: string): string {
  return parent === undefined ? key : `${parent}.${key}`;
}

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

class DuplicateScan {
  private pos = 0;
  private readonly stack: Frame[] = [];
  private readonly found: string[] = [];
  private readonly reported = new Set<string>();

  constructor(
    private readonly text: string,
    private readonly limits: Required<DuplicateFieldLimits>,
  ) {}

  /** The paths, or undefined when the text is not well-formed enough to scan. */
  run(): string[] | undefined {
    const text = this.text;
    while (this.pos < text.length) {
      if (!this.step(text.charCodeAt(this.pos))) return undefined;
    }
    return this.stack.length === 0 ? this.found : undefined;
  }

  private step(c: number): boolean {
    switch (c) {
      case OPEN_BRACE:
      case OPEN_BRACKET:
        return this.open(c === OPEN_BRACE);
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        return this.close(c === CLOSE_BRACE ? 'object' : 'array');
      case COMMA: {
        const top = this.top();
        if (top?.kind === 'object') top.awaitingKey = true;
        this.pos++;
        return true;
      }
      case QUOTE:
        return this.string();
      default:
        if (isWhitespace(c) || c === COLON) this.pos++;
        else this.literal();
        return true;
    }
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** Path of the value starting now (and counts it when inside an array). */
  private valuePath(): string | undefined {
    const top = this.top();
    if (top === undefined) return undefined;
    if (top.kind === 'array') return `${top.path ?? ''}[${top.count++}]`;
    return keyPath(top.path, top.key);
  }

  private open(isObject: boolean): boolean {
    if (this.stack.length >= this.limits.nestingDepthMax) return false;
    const path = this.valuePath();
    this.stack.push(
      isObject
        ? { kind: 'object', path, seen: new Set(), key: '', awaitingKey: true }
        : { kind: 'array', path, count: 0 },
    );
    this.pos++;
    return true;
  }

  private close(kind: Frame['kind']): boolean {
    if (this.top()?.kind !== kind) return false;
    this.stack.pop();
    this.pos++;
    return true;
  }

  private literal(): void {
    this.valuePath();
    const text = this.text;
    let i = this.pos + 1;
    while (i < text.length && !endsLiteral(text.charCodeAt(i))) i++;
    this.pos = i;
  }

  private string(): boolean {
    const start = this.pos;
    const end = this.stringEnd(start);
    if (end < 0) return false;
    this.pos = end;
    const top = this.top();
    if (top?.kind !== 'object' || !top.awaitingKey) {
      this.valuePath();
      return true;
    }
    const key = this.keyText(start, end);
    if (key === undefined) return false;
    top.awaitingKey = false;
    top.key = key;
    if (top.seen.has(key)) this.report(keyPath(top.path, key));
    else top.seen.add(key);
    return true;
  }

  /** Index just after the closing quote of the string opening at `start`, or -1. */
  private stringEnd(start: number): number {
    const text = this.text;
    for (let from = start + 1; ;) {
      const quote = text.indexOf('"', from);
      if (quote < 0) return -1;
      let backslashes = 0;
      for (let j = quote - 1; j > start && text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
      if (backslashes % 2 === 0) return quote + 1;
      from = quote + 1;
    }
  }

  private keyText(start: number, end: number): string | undefined {
    const raw = this.text.slice(start + 1, end - 1);
    if (!raw.includes('\\')) return raw.replace(loneSurrogate, '\ufffd');
    try {
      const decoded: unknown = JSON.parse(this.text.slice(start, end));
      return typeof decoded === 'string' ? decoded.replace(loneSurrogate, '\ufffd') : undefined;
    } catch {
      return undefined;
    }
  }

  private report(path: string): void {
    if (this.reported.has(path) || this.found.length >= this.limits.pathCountMax) return;
    this.reported.add(path);
    this.found.push(path);
  }
}

/**
 * Paths of repeated object keys in `jsonText`, e.g. `metadata.name`, `spec.containers[0].image`
 * (render each as `duplicate field "<path>"`). [] when there are none or the text is not JSON.
 */
export function findDuplicateFields(jsonText: string, limits: DuplicateFieldLimits = {}): string[] {
  const scan = new DuplicateScan(jsonText, { ...defaultLimits, ...limits });
  return scan.run() ?? [];
}
