// Label requirements as apimachinery v0.32 builds them: types, key/value rules, upstream messages.

import { assertNever } from '../../util/assert.js';
import { compareGoStrings, goQuote, goStringSlice, utf8ByteLength } from './go-format.js';
import {
  maxLenError,
  qualifiedNameFormat,
  regexError,
  validateQualifiedName,
  wholeMatch,
} from './names.js';

export type LabelOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

/** One requirement; `values` keeps the caller's order (parsed selectors: sorted, unique). */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

/** A parsed selector: requirements ANDed together (sorted by key), or the match-nothing one. */
export type LabelSelector =
  | { readonly kind: 'requirements'; readonly requirements: readonly LabelRequirement[] }
  | { readonly kind: 'nothing' };

/** Label sets as objects carry them; `undefined` is an object without labels. */
export type Labels = Readonly<Record<string, string>> | undefined;

/** metav1.LabelSelectorRequirement as it appears in API objects. */
export interface LabelSelectorRequirementObject {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[] | null;
}

/** metav1.LabelSelector as it appears in API objects. */
export interface LabelSelectorObject {
  readonly matchLabels?: Readonly<Record<string, string>> | null;
  readonly matchExpressions?: readonly LabelSelectorRequirementObject[] | null;
}

export type LabelSelectorResult =
  | { readonly ok: true; readonly selector: LabelSelector }
  | { readonly ok: false; readonly message: string };

export type LabelRequirementResult =
  | { readonly ok: true; readonly requirement: LabelRequirement }
  | { readonly ok: false; readonly message: string };

export const everythingLabelSelector: LabelSelector = Object.freeze({
  kind: 'requirements',
  requirements: Object.freeze([]),
});

export const nothingLabelSelector: LabelSelector = Object.freeze({ kind: 'nothing' });

export const labelValueMaxLength = 63;

const labelValueFormat = `(${qualifiedNameFormat})?`;
const labelValueMessage =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or " +
  "'.', and must start and end with an alphanumeric character";
const labelValueRegex = wholeMatch(labelValueFormat);
const goInt64Text = /^[+-]?[0-9]+$/;

/** Label key rules (validation.IsQualifiedName): error details, empty when valid. */
export function validateLabelKey(key: string): string[] {
  return validateQualifiedName(key);
}

/** Label value rules (validation.IsValidLabelValue): error details, empty when valid. */
export function validateLabelValue(value: string): string[] {
  const errors: string[] = [];
  if (utf8ByteLength(value) > labelValueMaxLength) {
    errors.push(maxLenError(labelValueMaxLength));
  }
  if (!labelValueRegex.test(value)) {
    errors.push(regexError(labelValueMessage, labelValueFormat, ['MyValue', 'my_value', '12345']));
  }
  return errors;
}

function invalid(path: string, shownValue: string, detail: string): string {
  return `${path}: Invalid value: ${shownValue}: ${detail}`;
}

/** utilerrors.Aggregate text: duplicates dropped, one message bare, several in brackets. */
function aggregate(messages: readonly string[]): string {
  const unique = messages.filter((message, i) => messages.indexOf(message) === i);
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}

/** strconv.ParseInt(text, 10, 64): optional sign, decimal digits, int64 range. */
export function parseGoInt64(text: string): bigint | undefined {
  if (!goInt64Text.test(text)) return undefined;
  const value = BigInt(text);
  return BigInt.asIntN(64, value) === value ? value : undefined;
}

function operatorCountErrors(
  operator: LabelOperator,
  values: readonly string[] | undefined,
): string[] {
  const count = values?.length ?? 0;
  const shown = goStringSlice(values);
  switch (operator) {
    case 'in':
    case 'notin':
      return count === 0
        ? [invalid('values', shown, "for 'in', 'notin' operators, values set can't be empty")]
        : [];
    case '=':
    case '==':
    case '!=':
      return count === 1
        ? []
        : [invalid('values', shown, 'exact-match compatibility requires one single value')];
    case 'exists':
    case '!':
      return count === 0
        ? []
        : [invalid('values', shown, 'values set must be empty for exists and does not exist')];
    case 'gt':
    case 'lt':
      return gtLtErrors(values ?? [], shown);
    default:
      return assertNever(operator, 'unknown label operator');
  }
}

function gtLtErrors(values: readonly string[], shown: string): string[] {
  const errors =
    values.length === 1
      ? []
      : [invalid('values', shown, "for 'Gt', 'Lt' operators, exactly one value is required")];
  values.forEach((value, i) => {
    if (parseGoInt64(value) === undefined) {
      const detail = "for 'Gt', 'Lt' operators, the value must be an integer";
      errors.push(invalid(`values[${i}]`, goQuote(value), detail));
    }
  });
  return errors;
}

/**
 * labels.NewRequirement with an empty field path. `values` undefined stands for a nil slice,
 * which only changes how an error prints the bad value.
 */
export function newLabelRequirement(
  key: string,
  operator: LabelOperator,
  values: readonly string[] | undefined,
): LabelRequirementResult {
  const messages: string[] = [];
  const keyErrors = validateLabelKey(key);
  if (keyErrors.length > 0) messages.push(invalid('key', goQuote(key), keyErrors.join('; ')));
  messages.push(...operatorCountErrors(operator, values));
  (values ?? []).forEach((value, i) => {
    const valueErrors = validateLabelValue(value);
    if (valueErrors.length === 0) return;
    messages.push(invalid(`values[${i}][${key}]`, goQuote(value), valueErrors.join('; ')));
  });
  if (messages.length > 0) return { ok: false, message: aggregate(messages) };
  const copied = Object.freeze([...(values ?? [])]);
  return { ok: true, requirement: Object.freeze({ key, operator, values: copied }) };
}

function byKey(a: LabelRequirement, b: LabelRequirement): number {
  return compareGoStrings(a.key, b.key);
}

/**
 * A selector from requirements, sorted by key (none: the everything selector). Upstream's sort
 * is not stable; this one is, so requirements on one key keep their order (printing only).
 */
export function labelSelectorOf(requirements: readonly LabelRequirement[]): LabelSelector {
  if (requirements.length === 0) return everythingLabelSelector;
  const sorted = [...requirements].sort(byKey);
  return Object.freeze({ kind: 'requirements', requirements: Object.freeze(sorted) });
}
