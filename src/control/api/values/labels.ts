// Label selectors as apimachinery v0.32 pkg/labels: match, print, and LabelSelector conversion.
//
// Two selectors besides parsed ones matter to callers:
// - `everythingLabelSelector` (no requirements) matches every object. The empty string parses to
//   it, and so does a LabelSelector object with neither matchLabels nor matchExpressions.
// - `nothingLabelSelector` matches no object. A nil LabelSelector converts to it, which is why a
//   controller whose spec.selector is absent owns nothing (metav1.LabelSelectorAsSelector).
// Both print as the empty string, as upstream's do.

import { assertNever } from '../../util/assert.js';
import { compareGoStrings, goQuote } from './go-format.js';
import {
  everythingLabelSelector,
  labelSelectorOf,
  newLabelRequirement,
  nothingLabelSelector,
  parseGoInt64,
} from './label-requirement.js';
import type {
  LabelOperator,
  LabelRequirement,
  LabelRequirementResult,
  LabelSelector,
  LabelSelectorObject,
  LabelSelectorRequirementObject,
  LabelSelectorResult,
  Labels,
} from './label-requirement.js';

export {
  everythingLabelSelector,
  labelValueMaxLength,
  nothingLabelSelector,
  validateLabelKey,
  validateLabelValue,
} from './label-requirement.js';
export type {
  LabelOperator,
  LabelRequirement,
  LabelSelector,
  LabelSelectorObject,
  LabelSelectorRequirementObject,
  LabelSelectorResult,
  Labels,
} from './label-requirement.js';
export { parseLabelSelector } from './label-parser.js';

function hasLabel(labels: Labels, key: string): labels is Readonly<Record<string, string>> {
  return labels !== undefined && Object.hasOwn(labels, key);
}

function compareAsIntegers(requirement: LabelRequirement, labelValue: string): boolean {
  const actual = parseGoInt64(labelValue);
  if (actual === undefined || requirement.values.length !== 1) return false;
  const bound = parseGoInt64(requirement.values[0] ?? '');
  if (bound === undefined) return false;
  return requirement.operator === 'gt' ? actual > bound : actual < bound;
}

/** Requirement.Matches. */
export function requirementMatches(requirement: LabelRequirement, labels: Labels): boolean {
  const present = hasLabel(labels, requirement.key);
  const value = present ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case 'in':
    case '=':
    case '==':
      return value !== undefined && requirement.values.includes(value);
    case 'notin':
    case '!=':
      return value === undefined || !requirement.values.includes(value);
    case 'exists':
      return present;
    case '!':
      return !present;
    case 'gt':
    case 'lt':
      return value !== undefined && compareAsIntegers(requirement, value);
    default:
      return assertNever(requirement.operator, 'unknown label operator');
  }
}

/** Whether the selector matches the label set (every requirement holds; nothing never does). */
export function matchesLabels(selector: LabelSelector, labels: Labels): boolean {
  if (selector.kind === 'nothing') return false;
  return selector.requirements.every((requirement) => requirementMatches(requirement, labels));
}

/** Selector.Empty: true only for a selector with no requirements (not for nothing). */
export function isEverythingLabelSelector(selector: LabelSelector): boolean {
  return selector.kind === 'requirements' && selector.requirements.length === 0;
}

function sortedValues(values: readonly string[]): string[] {
  return [...values].sort(compareGoStrings);
}

const operatorText: Readonly<Record<LabelOperator, string>> = Object.freeze({
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  exists: '',
  '!': '',
  gt: '>',
  lt: '<',
});

/** Requirement.String: `!k`, `k`, `k=v`, `k in (a,b)` with several values sorted. */
export function requirementToString(requirement: LabelRequirement): string {
  const { key, operator, values } = requirement;
  if (operator === '!') return `!${key}`;
  if (operator === 'exists') return key;
  const joined = values.length === 1 ? (values[0] ?? '') : sortedValues(values).join(',');
  const body = operator === 'in' || operator === 'notin' ? `(${joined})` : joined;
  return `${key}${operatorText[operator]}${body}`;
}

/** Selector.String: requirements (already sorted by key) joined by ','; '' for nothing. */
export function selectorToString(selector: LabelSelector): string {
  if (selector.kind === 'nothing') return '';
  return selector.requirements.map(requirementToString).join(',');
}

/** labels.SelectorFromSet: one `key=value` requirement per label, unvalidated. */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined): LabelSelector {
  const requirements = Object.entries(set ?? {}).map(([key, value]) =>
    Object.freeze({ key, operator: '=' as const, values: Object.freeze([value]) }),
  );
  return labelSelectorOf(requirements);
}

const metaOperators: Readonly<Record<string, LabelOperator>> = Object.freeze({
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
});

function requirementFromExpression(
  expression: LabelSelectorRequirementObject,
): LabelRequirementResult {
  const operator = Object.hasOwn(metaOperators, expression.operator)
    ? metaOperators[expression.operator]
    : undefined;
  if (operator === undefined) {
    return {
      ok: false,
      message: `${goQuote(expression.operator)} is not a valid label selector operator`,
    };
  }
  const values = expression.values ?? [];
  return newLabelRequirement(expression.key, operator, values.length === 0 ? undefined : values);
}

/**
 * metav1.LabelSelectorAsSelector. A nil selector selects nothing; one with neither matchLabels
 * nor matchExpressions selects everything. matchLabels are checked in key order (upstream's map
 * order is random, so its first reported error can differ when several labels are invalid).
 */
export function selectorFromLabelSelector(
  ls: LabelSelectorObject | null | undefined,
): LabelSelectorResult {
  if (ls === undefined || ls === null) return { ok: true, selector: nothingLabelSelector };
  const matchLabels = Object.entries(ls.matchLabels ?? {}).sort(([a], [b]) =>
    compareGoStrings(a, b),
  );
  const expressions = ls.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) {
    return { ok: true, selector: everythingLabelSelector };
  }
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of matchLabels) {
    const result = newLabelRequirement(key, '=', [value]);
    if (!result.ok) return result;
    requirements.push(result.requirement);
  }
  for (const expression of expressions) {
    const result = requirementFromExpression(expression);
    if (!result.ok) return result;
    requirements.push(result.requirement);
  }
  return { ok: true, selector: labelSelectorOf(requirements) };
}
