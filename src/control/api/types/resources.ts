// Resource lists: names, requests against limits (upstream validateResourceRequirements).

import type { JsonObject, JsonValue } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import { invalidError, requiredError } from '../schema/field-errors.js';
import { childPath, isObject, keyPath } from '../schema/json.js';
import { compareGoStrings } from '../values/go-format.js';
import { validateLabelKey } from '../values/labels.js';
import type { Quantity } from '../values/quantity.js';
import {
  canonicalizeQuantityString,
  compareQuantities,
  parseQuantity,
} from '../values/quantity.js';

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);

function isHugePages(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** helper.IsNativeResource: no domain, or a kubernetes.io domain. */
function isNative(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

function isOvercommitAllowed(name: string): boolean {
  return isNative(name) && !isHugePages(name);
}

/** validateContainerResourceName. */
function validateResourceName(name: string, path: string): FieldError[] {
  const errors = validateLabelKey(name).map((detail) => invalidError(path, name, detail));
  if (errors.length > 0 || name.includes('/')) return errors;
  if (!standardContainerResources.has(name) && !isHugePages(name)) {
    return [invalidError(path, name, 'must be a standard resource for containers')];
  }
  return errors;
}

function quantityOf(value: JsonValue | undefined): Quantity | undefined {
  if (typeof value === 'number') return parseQuantity(JSON.stringify(value));
  return typeof value === 'string' ? parseQuantity(value.trim()) : undefined;
}

/** Quantity.String(): the remembered text, or the canonical form. */
function quantityText(value: JsonValue | undefined): string {
  const text = typeof value === 'number' ? JSON.stringify(value) : String(value ?? '');
  return canonicalizeQuantityString(text.trim()) ?? text;
}

function sortedEntries(list: JsonValue | undefined): [string, JsonValue][] {
  if (!isObject(list)) return [];
  return Object.entries(list).sort(([a], [b]) => compareGoStrings(a, b));
}

function validateList(list: JsonValue | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, value] of sortedEntries(list)) {
    const entryPath = keyPath(path, name);
    errors.push(...validateResourceName(name, entryPath));
    const parsed = quantityOf(value);
    if (parsed !== undefined && parsed.numerator < 0n) {
      errors.push(
        invalidError(entryPath, quantityText(value), 'must be greater than or equal to 0'),
      );
    }
  }
  return errors;
}

function compareToLimit(
  name: string,
  request: JsonValue,
  limits: JsonObject | undefined,
  path: string,
) {
  const limitsPath = childPath(path, 'limits');
  const requestsPath = childPath(path, 'requests');
  const limit = limits?.[name];
  if (limit === undefined) {
    if (isOvercommitAllowed(name)) return [];
    return [requiredError(limitsPath, 'Limit must be set for non overcommitable resources')];
  }
  const requested = quantityOf(request);
  const limited = quantityOf(limit);
  if (requested === undefined || limited === undefined) return [];
  const order = compareQuantities(requested, limited);
  const text = quantityText(request);
  if (order !== 0 && !isOvercommitAllowed(name)) {
    const detail = `must be equal to ${name} limit of ${quantityText(limit)}`;
    return [invalidError(requestsPath, text, detail)];
  }
  if (order > 0) {
    const detail = `must be less than or equal to ${name} limit of ${quantityText(limit)}`;
    return [invalidError(requestsPath, text, detail)];
  }
  return [];
}

/** Upstream validateResourceRequirements for a container (names in sorted order). */
export function validateResourceRequirements(value: JsonObject, path: string): FieldError[] {
  const limits = isObject(value.limits) ? value.limits : undefined;
  const errors = validateList(value.limits, childPath(path, 'limits'));
  errors.push(...validateList(value.requests, childPath(path, 'requests')));
  for (const [name, request] of sortedEntries(value.requests)) {
    errors.push(...compareToLimit(name, request, limits, path));
  }
  return errors;
}
