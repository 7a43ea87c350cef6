// Label selector text parser (labels.Parse, apimachinery v0.32): same tokens, grammar and errors.
//
//   selector    ::= requirement ("," requirement)*        (empty text: everything)
//   requirement ::= ["!"] KEY [ set-match | exact-match ]
//   set-match   ::= ("in" | "notin") "(" [VALUE] ("," [VALUE])* ")"
//   exact-match ::= ("=" | "==" | "!=" | ">" | "<") [VALUE]
//
// Whitespace (space, tab, CR, LF) separates tokens. "in" and "notin" are keywords only where an
// operator is expected. A NUL character ends a token, and ends the input where a token starts,
// as upstream's byte reader does.

import { assert } from '../../util/assert.js';
import { compareGoStrings, goQuote } from './go-format.js';
import { labelSelectorOf, newLabelRequirement, validateLabelKey } from './label-requirement.js';
import type { LabelOperator, LabelRequirement, LabelSelectorResult } from './label-requirement.js';

type TokenKind =
  'end' | 'identifier' | ')' | '(' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin';

interface Token {
  readonly kind: TokenKind;
  readonly literal: string;
}

const literalTokens: Readonly<Record<string, TokenKind>> = Object.freeze({
  ')': ')',
  '(': '(',
  ',': ',',
  '!': '!',
  '=': '=',
  '==': '==',
  '!=': '!=',
  '>': '>',
  '<': '<',
  in: 'in',
  notin: 'notin',
});

const endToken: Token = Object.freeze({ kind: 'end', literal: '' });

/** A syntax error inside the parser; parseLabelSelector turns it into a result value. */
class SelectorSyntaxError extends Error {
  readonly inRequirement: boolean;

  constructor(options: { message: string; inRequirement: boolean }) {
    super(options.message);
    this.inRequirement = options.inRequirement;
  }
}

interface Cursor {
  readonly text: string;
  pos: number;
}

function literalToken(text: string): TokenKind | undefined {
  return Object.hasOwn(literalTokens, text) ? literalTokens[text] : undefined;
}

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSpecial(ch: string): boolean {
  return '=!(),><'.includes(ch) && ch.length === 1;
}

/** The next character, or NUL at the end (a NUL in the text is consumed like any other). */
function read(cursor: Cursor): string {
  if (cursor.pos >= cursor.text.length) return '\0';
  const ch = cursor.text[cursor.pos] ?? '\0';
  cursor.pos += 1;
  return ch;
}

function scanWord(cursor: Cursor): Token {
  let word = '';
  for (;;) {
    const ch = read(cursor);
    if (ch === '\0') break;
    if (isSpecial(ch) || isWhitespace(ch)) {
      cursor.pos -= 1;
      break;
    }
    word += ch;
  }
  return { kind: literalToken(word) ?? 'identifier', literal: word };
}

/** The longest run of special characters that still forms an operator ("!=" over "!"). */
function scanSymbol(cursor: Cursor): Token {
  let symbols = '';
  let longest: Token | undefined;
  for (;;) {
    const ch = read(cursor);
    if (ch === '\0') break;
    if (!isSpecial(ch)) {
      cursor.pos -= 1;
      break;
    }
    symbols += ch;
    const kind = literalToken(symbols);
    if (kind !== undefined) longest = { kind, literal: symbols };
    else if (longest !== undefined) {
      cursor.pos -= 1;
      break;
    }
  }
  assert(longest !== undefined, 'every single special character is an operator token');
  return longest;
}

function nextToken(cursor: Cursor): Token {
  let ch = read(cursor);
  while (isWhitespace(ch)) ch = read(cursor);
  if (ch === '\0') return endToken;
  cursor.pos -= 1;
  return isSpecial(ch) ? scanSymbol(cursor) : scanWord(cursor);
}

function tokenize(text: string): Token[] {
  const cursor: Cursor = { text, pos: 0 };
  const tokens: Token[] = [];
  // Every token but the last consumes at least one character.
  for (let i = 0; i <= text.length; i++) {
    const token = nextToken(cursor);
    tokens.push(token);
    if (token.kind === 'end') return tokens;
  }
  assert(false, 'the lexer ends within text.length + 1 tokens');
}

type Context = 'operator' | 'values';

interface TokenStream {
  readonly tokens: readonly Token[];
  position: number;
}

/** The next token; where values are expected, the keywords "in"/"notin" are identifiers. */
function peek(stream: TokenStream, context: Context): Token {
  const token = stream.tokens[stream.position] ?? endToken;
  if (context === 'values' && (token.kind === 'in' || token.kind === 'notin')) {
    return { kind: 'identifier', literal: token.literal };
  }
  return token;
}

function take(stream: TokenStream, context: Context): Token {
  const token = peek(stream, context);
  stream.position += 1;
  return token;
}

function fail(message: string): never {
  throw new SelectorSyntaxError({ message, inRequirement: true });
}

function parseKey(stream: TokenStream): { key: string; operator: LabelOperator | undefined } {
  let token = take(stream, 'values');
  let operator: LabelOperator | undefined;
  if (token.kind === '!') {
    operator = '!';
    token = take(stream, 'values');
  }
  if (token.kind !== 'identifier') fail(`found '${token.literal}', expected: identifier`);
  const keyErrors = validateLabelKey(token.literal);
  if (keyErrors.length > 0) {
    // Upstream validates the key here with a nil field path, which prints as "<nil>".
    fail(`<nil>: Invalid value: ${goQuote(token.literal)}: ${keyErrors.join('; ')}`);
  }
  const next = peek(stream, 'values').kind;
  if ((next === 'end' || next === ',') && operator === undefined) operator = 'exists';
  return { key: token.literal, operator };
}

const binaryOperators: Readonly<Partial<Record<TokenKind, LabelOperator>>> = Object.freeze({
  in: 'in',
  notin: 'notin',
  '=': '=',
  '==': '==',
  '!=': '!=',
  '>': 'gt',
  '<': 'lt',
});

function parseOperator(stream: TokenStream): LabelOperator {
  const token = take(stream, 'operator');
  const operator = binaryOperators[token.kind];
  if (operator === undefined) {
    fail(`found '${token.literal}', expected: in, notin, =, ==, !=, gt, lt`);
  }
  return operator;
}

/** `(a,b,,c)`: identifiers separated by commas; empty entries are the empty value. */
function parseValueList(stream: TokenStream): Set<string> {
  const values = new Set<string>();
  for (;;) {
    const token = take(stream, 'values');
    if (token.kind === 'identifier') {
      values.add(token.literal);
      const next = peek(stream, 'values');
      if (next.kind === ')') return values;
      if (next.kind !== ',') fail(`found '${next.literal}', expected: ',' or ')'`);
    } else if (token.kind === ',') {
      if (values.size === 0) values.add('');
      const next = peek(stream, 'values');
      if (next.kind === ')') return values.add('');
      if (next.kind === ',') {
        take(stream, 'values');
        values.add('');
      }
    } else {
      fail(`found '${token.literal}', expected: ',', or identifier`);
    }
  }
}

function parseValueSet(stream: TokenStream): Set<string> {
  const open = take(stream, 'values');
  if (open.kind !== '(') fail(`found '${open.literal}' expected: '('`);
  const first = peek(stream, 'values');
  if (first.kind === ')') {
    take(stream, 'values');
    return new Set(['']);
  }
  if (first.kind !== 'identifier' && first.kind !== ',') {
    fail(`found '${first.literal}', expected: ',', ')' or identifier`);
  }
  const values = parseValueList(stream);
  if (take(stream, 'values').kind !== ')') fail(`found '${first.literal}', expected: ')'`);
  return values;
}

function parseExactValue(stream: TokenStream): Set<string> {
  const next = peek(stream, 'values');
  if (next.kind === 'end' || next.kind === ',') return new Set(['']);
  const token = take(stream, 'values');
  if (token.kind !== 'identifier') fail(`found '${token.literal}', expected: identifier`);
  return new Set([token.literal]);
}

function requirementOrFail(
  key: string,
  operator: LabelOperator,
  values: ReadonlySet<string>,
): LabelRequirement {
  // sets.String.List(): unique and sorted.
  const sorted = [...values].sort(compareGoStrings);
  const result = newLabelRequirement(key, operator, sorted);
  if (!result.ok) fail(result.message);
  return result.requirement;
}

function parseRequirement(stream: TokenStream): LabelRequirement {
  const { key, operator } = parseKey(stream);
  if (operator === 'exists' || operator === '!') return requirementOrFail(key, operator, new Set());
  const binary = parseOperator(stream);
  const values =
    binary === 'in' || binary === 'notin' ? parseValueSet(stream) : parseExactValue(stream);
  return requirementOrFail(key, binary, values);
}

function failOutside(message: string): never {
  throw new SelectorSyntaxError({ message, inRequirement: false });
}

function parseRequirements(stream: TokenStream): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  for (;;) {
    const token = peek(stream, 'values');
    if (token.kind === 'end') return requirements;
    if (token.kind !== 'identifier' && token.kind !== '!') {
      failOutside(`found '${token.literal}', expected: !, identifier, or 'end of string'`);
    }
    requirements.push(parseRequirement(stream));
    const after = take(stream, 'values');
    if (after.kind === 'end') return requirements;
    if (after.kind !== ',')
      failOutside(`found '${after.literal}', expected: ',' or 'end of string'`);
    const next = peek(stream, 'values');
    if (next.kind !== 'identifier' && next.kind !== '!') {
      failOutside(`found '${next.literal}', expected: identifier after ','`);
    }
  }
}

/**
 * labels.Parse: the selector, or upstream's error text (requirement errors are prefixed with
 * "unable to parse requirement: "). The empty string selects everything.
 */
export function parseLabelSelector(text: string): LabelSelectorResult {
  try {
    const requirements = parseRequirements({ tokens: tokenize(text), position: 0 });
    return { ok: true, selector: labelSelectorOf(requirements) };
  } catch (error) {
    if (!(error instanceof SelectorSyntaxError)) throw error;
    const prefix = error.inRequirement ? 'unable to parse requirement: ' : '';
    return { ok: false, message: `${prefix}${error.message}` };
  }
}
