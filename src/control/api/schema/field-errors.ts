// Field validation errors with upstream's rendering (apimachinery field.Error and NewInvalid).

import type { JsonValue } from '../../store/types.js';
import { goQuote } from '../values/go-format.js';
import { goFormatFloat } from './go-float.js';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotFound';

export interface FieldError {
  type: FieldErrorType;
  /** Upstream field path: `spec.containers[0].name`, `spec.resources.requests[cpu]`. */
  field: string;
  badValue?: JsonValue;
  /**
   * The bad value as upstream prints it when it is not a plain string, number or bool (Go `%#v`
   * of a typed value, e.g. `map[string]string{"app":"x"}`); wins over `badValue` when set.
   */
  badValueText?: string;
  detail: string;
}

const typeLabels: Readonly<Record<FieldErrorType, string>> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueNotFound: 'Not found',
};

/** Types whose body never shows the bad value. */
const valueOmitted: ReadonlySet<FieldErrorType> = new Set([
  'FieldValueRequired',
  'FieldValueForbidden',
  'FieldValueTooLong',
]);

export function requiredError(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, detail };
}

export function invalidError(
  field: string,
  badValue: JsonValue,
  detail: string,
  badValueText?: string,
): FieldError {
  const error: FieldError = { type: 'FieldValueInvalid', field, badValue, detail };
  if (badValueText !== undefined) error.badValueText = badValueText;
  return error;
}

/** `Unsupported value: "X": supported values: "A", "B"` (values in the given order). */
export function notSupportedError(
  field: string,
  badValue: JsonValue,
  supported: readonly string[],
): FieldError {
  const detail =
    supported.length === 0
      ? ''
      : `supported values: ${supported.map((value) => goQuote(value)).join(', ')}`;
  return { type: 'FieldValueNotSupported', field, badValue, detail };
}

export function duplicateError(field: string, badValue: JsonValue): FieldError {
  return { type: 'FieldValueDuplicate', field, badValue, detail: '' };
}

export function forbiddenError(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail };
}

/** `Too long: may not be more than N bytes` (apimachinery v0.32 wording). */
export function tooLongError(field: string, maxLength: number): FieldError {
  const detail = maxLength >= 0 ? `may not be more than ${maxLength} bytes` : 'value is too long';
  return { type: 'FieldValueTooLong', field, detail };
}

export function notFoundError(field: string, badValue: JsonValue): FieldError {
  return { type: 'FieldValueNotFound', field, badValue, detail: '' };
}

export function typeInvalidError(field: string, badValue: JsonValue, detail: string): FieldError {
  return { type: 'FieldValueTypeInvalid', field, badValue, detail };
}

/** The bad value as Go's `%v`/`%q` prints it inside an error body. */
export function renderBadValue(error: FieldError): string {
  if (error.badValueText !== undefined) return error.badValueText;
  const value = error.badValue;
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goFormatFloat(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

/** Upstream `ErrorBody()`: the message without the field path (a Status cause's message). */
export function fieldErrorBody(error: FieldError): string {
  const label = typeLabels[error.type];
  const head = valueOmitted.has(error.type) ? label : `${label}: ${renderBadValue(error)}`;
  return error.detail === '' ? head : `${head}: ${error.detail}`;
}

/** Upstream `Error()`: `spec.containers: Required value`. */
export function formatFieldError(error: FieldError): string {
  return `${error.field}: ${fieldErrorBody(error)}`;
}

/**
 * Upstream utilerrors aggregate rendering: duplicates dropped, one message as is, several in
 * `[a, b]`.
 */
export function formatAggregate(messages: readonly string[]): string {
  const unique: string[] = [];
  for (const message of messages) if (!unique.includes(message)) unique.push(message);
  if (unique.length === 1) return unique[0] as string;
  return `[${unique.join(', ')}]`;
}

/** Upstream `NewInvalid` message: `Pod "x" is invalid: [a, b]`. */
export function formatInvalidMessage(
  kindQualified: string,
  name: string,
  errors: readonly FieldError[],
): string {
  const head = `${kindQualified} ${goQuote(name)} is invalid`;
  if (errors.length === 0) return head;
  return `${head}: ${formatAggregate(errors.map((error) => formatFieldError(error)))}`;
}
