// Field selectors as apimachinery v0.32 pkg/fields: parse, escape, match and print.
//
// Terms `field=value`, `field==value` (the same) and `field!=value`, joined by ','. In a value a
// backslash escapes '\', ',' and '=' (upstream accepts no other escape: "\!" is an error, and
// '!' needs none). Terms are sorted as text before use, empty terms are skipped, and a term with
// both an empty field and an empty value ("=") selects everything, as upstream's identity
// transform makes it. Which field labels a resource supports is the caller's check.

import { compareGoStrings } from './go-format.js';

export interface FieldRequirement {
  readonly field: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

/** Requirements ANDed together, in the order of their sorted terms; none selects everything. */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

export type FieldSelectorResult =
  | { readonly ok: true; readonly selector: FieldSelector }
  | { readonly ok: false; readonly message: string };

export const everythingFieldSelector: FieldSelector = Object.freeze({
  requirements: Object.freeze([]),
});

/** Splits at unescaped commas (a backslash protects the next character). */
function splitTerms(text: string): string[] {
  if (text.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

const termOperators = ['!=', '==', '='] as const;

/** The first operator occurrence from the left; at one position "!=" and "==" win over "=". */
function splitTerm(term: string): { field: string; operator: string; rest: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    const operator = termOperators.find((candidate) => term.startsWith(candidate, i));
    if (operator !== undefined) {
      return { field: term.slice(0, i), operator, rest: term.slice(i + operator.length) };
    }
  }
  return undefined;
}

/** fields.UnescapeValue; errors are upstream's texts (the rune is printed as its number). */
export function unescapeFieldValue(
  text: string,
): { ok: true; value: string } | { ok: false; message: string } {
  if (!/[\\,=]/.test(text)) return { ok: true, value: text };
  let value = '';
  let escaped = false;
  for (const ch of text) {
    if (escaped) {
      if (ch !== '\\' && ch !== ',' && ch !== '=') {
        return { ok: false, message: `invalid field selector: invalid escape sequence: \\${ch}` };
      }
      value += ch;
      escaped = false;
    } else if (ch === '\\') escaped = true;
    else if (ch === ',' || ch === '=') {
      const rune = ch.codePointAt(0) ?? 0;
      return {
        ok: false,
        message: `invalid field selector: unescaped character in value: ${rune}`,
      };
    } else value += ch;
  }
  if (escaped) return { ok: false, message: 'invalid field selector: invalid escape sequence: \\' };
  return { ok: true, value };
}

/** fields.EscapeValue: backslash-escapes '\', ',' and '='. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

/** fields.ParseSelector (with its identity transform). */
export function parseFieldSelector(text: string): FieldSelectorResult {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(text).sort(compareGoStrings)) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (parts === undefined) {
      return { ok: false, message: `invalid selector: '${text}'; can't understand '${term}'` };
    }
    const unescaped = unescapeFieldValue(parts.rest);
    if (!unescaped.ok) return unescaped;
    if (parts.field === '' && unescaped.value === '') continue;
    const op = parts.operator === '!=' ? '!=' : '=';
    requirements.push(Object.freeze({ field: parts.field, op, value: unescaped.value }));
  }
  return { ok: true, selector: Object.freeze({ requirements: Object.freeze(requirements) }) };
}

/**
 * Whether every requirement holds. `getField` returns a field's value; `undefined` (a field the
 * object lacks) compares as the empty string, like upstream's fields.Set.Get.
 */
export function matchesFields(
  selector: FieldSelector,
  getField: (field: string) => string | undefined,
): boolean {
  return selector.requirements.every((requirement) => {
    const actual = getField(requirement.field) ?? '';
    return requirement.op === '=' ? actual === requirement.value : actual !== requirement.value;
  });
}

/** The field labels the selector mentions, unique and sorted, for a supported-label check. */
export function fieldSelectorLabels(selector: FieldSelector): string[] {
  const labels = new Set(selector.requirements.map((requirement) => requirement.field));
  return [...labels].sort(compareGoStrings);
}

/**
 * Selector.RequiresExactMatch: the value a `field=value` term demands (the first such term),
 * or `undefined` — lets a caller use an index, e.g. pods by spec.nodeName.
 */
export function fieldSelectorExactValue(
  selector: FieldSelector,
  field: string,
): string | undefined {
  const term = selector.requirements.find((r) => r.field === field && r.op === '=');
  return term?.value;
}

/** Selector.String: `field=value` / `field!=value` with escaped values, joined by ','. */
export function fieldSelectorToString(selector: FieldSelector): string {
  return selector.requirements
    .map(
      (requirement) =>
        `${requirement.field}${requirement.op}${escapeFieldValue(requirement.value)}`,
    )
    .join(',');
}
