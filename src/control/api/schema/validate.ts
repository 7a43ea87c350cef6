// Validation driven by the declarations: JSON types, required fields, enums, formats, ranges,
// immutability, then each type's hooks for the cross-field rules upstream writes by hand.

import type { JsonObject, JsonValue } from '../../store/types.js';
import { parseQuantity } from '../values/quantity.js';
import { schemaOf, type SchemaCarrier } from './carrier.js';
import { quantityParseError } from './decode-errors.js';
import type { FieldError } from './field-errors.js';
import {
  invalidError,
  notSupportedError,
  requiredError,
  typeInvalidError,
} from './field-errors.js';
import { checkStringFormat } from './formats.js';
import { goTimeParseError } from './go-time-parse.js';
import { goValueText } from './go-value.js';
import { childPath, indexPath, isObject, jsonTypeName, keyPath } from './json.js';
import type { KindDeclaration, ObjectSchema, Schema, ValidationContext } from './schema.js';
import { semanticEqual } from './semantic-equal.js';

export interface ValidateOptions {
  operation: 'create' | 'update';
  /** The stored object, for update checks (immutability, update hooks). */
  old?: JsonObject | undefined;
}

interface Walk {
  operation: 'create' | 'update';
  kind: KindDeclaration | undefined;
  root: JsonObject;
  oldRoot: JsonObject | undefined;
  errors: FieldError[];
}

const int32Min = -2147483648;
const int32Max = 2147483647;

/** OpenAPI-style type name used in FieldValueTypeInvalid details. */
function expectedType(schema: Schema): string {
  switch (schema.kind) {
    case 'int32':
    case 'int64':
      return 'integer';
    case 'quantity':
    case 'intOrString':
      return 'string or integer';
    case 'time':
    case 'microTime':
      return 'string';
    case 'map':
      return 'object';
    default:
      return schema.kind;
  }
}

function hasExpectedType(schema: Schema, value: JsonValue): boolean {
  switch (schema.kind) {
    case 'string':
    case 'time':
    case 'microTime':
      return typeof value === 'string';
    case 'int32':
      return (
        Number.isInteger(value) && (value as number) >= int32Min && (value as number) <= int32Max
      );
    case 'int64':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'quantity':
      return typeof value === 'string' || typeof value === 'number';
    case 'intOrString':
      return typeof value === 'string' || Number.isInteger(value);
    case 'object':
    case 'map':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'any':
      return true;
  }
}

/**
 * Whether a value counts as missing for `required`: absent, null, "" or empty (Go's
 * `len(x) == 0`), or 0 for a non-pointer integer (`zeroIsUnset`).
 */
function isMissing(schema: Schema, value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (value === 0 && schema.zeroIsUnset === true) return true;
  if (Array.isArray(value)) return value.length === 0;
  return schema.kind === 'map' && isObject(value) && Object.keys(value).length === 0;
}

function rangeDetail(schema: Schema): string {
  if (schema.rangeDetail !== undefined) return schema.rangeDetail;
  const { minimum, maximum } = schema;
  if (minimum !== undefined && maximum !== undefined) {
    return `must be between ${minimum} and ${maximum}, inclusive`;
  }
  if (minimum !== undefined) return `must be greater than or equal to ${minimum}`;
  return `must be less than or equal to ${maximum}`;
}

function checkString(schema: Schema & { kind: 'string' }, value: string, path: string, walk: Walk) {
  if (schema.enum !== undefined) {
    if (value === '') {
      if (schema.enumAllowsEmpty !== true) walk.errors.push(requiredError(path));
    } else if (!schema.enum.includes(value)) {
      walk.errors.push(notSupportedError(path, value, schema.enum));
    }
  }
  if (schema.format !== undefined && value !== '') {
    for (const detail of checkStringFormat(schema.format, value)) {
      walk.errors.push(invalidError(path, value, detail));
    }
  }
}

function checkInteger(schema: Schema, value: number, path: string, walk: Walk): void {
  if (schema.minimum === undefined && schema.maximum === undefined) return;
  if (schema.zeroIsUnset === true && value === 0) return;
  const low = schema.minimum !== undefined && value < schema.minimum;
  const high = schema.maximum !== undefined && value > schema.maximum;
  if (low || high) walk.errors.push(invalidError(path, value, rangeDetail(schema)));
}

function checkScalar(schema: Schema, value: JsonValue, path: string, walk: Walk): void {
  switch (schema.kind) {
    case 'string':
      checkString(schema, value as string, path, walk);
      return;
    case 'int32':
    case 'int64':
      checkInteger(schema, value as number, path, walk);
      return;
    case 'quantity': {
      const text = typeof value === 'string' ? value.trim() : JSON.stringify(value);
      if (parseQuantity(text) === undefined) {
        walk.errors.push(invalidError(path, value, quantityParseError(text)));
      }
      return;
    }
    case 'time':
    case 'microTime': {
      const error = goTimeParseError(value as string, schema.kind === 'microTime');
      if (error !== undefined) walk.errors.push(invalidError(path, value, error));
      return;
    }
    default:
      return;
  }
}

function immutableError(schema: Schema, path: string, value: JsonValue | undefined): FieldError {
  const composite = typeof value === 'object' && value !== null;
  const shown = value ?? null;
  return invalidError(
    path,
    shown,
    'field is immutable',
    composite ? goValueText(schema, value) : undefined,
  );
}

function walkFields(
  schema: ObjectSchema,
  value: JsonObject,
  path: string,
  old: JsonValue | undefined,
  walk: Walk,
): void {
  const oldObject = isObject(old) ? old : undefined;
  for (const [key, child] of Object.entries(schema.fields)) {
    const current = value[key];
    const fieldPath = childPath(path, key);
    if (child.immutable === true && oldObject !== undefined) {
      if (!semanticEqual(child, current, oldObject[key])) {
        walk.errors.push(immutableError(child, fieldPath, current));
      }
    }
    if (isMissing(child, current)) {
      if (child.required === true) {
        walk.errors.push(requiredError(fieldPath));
        continue;
      }
      if (current === undefined || current === null) continue;
    }
    walkValue(child, current as JsonValue, fieldPath, oldObject?.[key], walk);
  }
}

function hookContext(path: string, walk: Walk): ValidationContext {
  return {
    path,
    operation: walk.operation,
    root: walk.root,
    oldRoot: walk.oldRoot,
    kind: walk.kind,
  };
}

function walkObject(
  schema: ObjectSchema,
  value: JsonObject,
  path: string,
  old: JsonValue | undefined,
  walk: Walk,
): void {
  walkFields(schema, value, path, old, walk);
  const hooks = schema.hooks;
  if (hooks === undefined) return;
  const ctx = hookContext(path, walk);
  if (hooks.validate !== undefined) walk.errors.push(...hooks.validate(value, ctx));
  if (walk.operation === 'update' && hooks.validateUpdate !== undefined && isObject(old)) {
    walk.errors.push(...hooks.validateUpdate(value, old, ctx));
  }
}

function walkValue(
  schema: Schema,
  value: JsonValue,
  path: string,
  old: JsonValue | undefined,
  walk: Walk,
): void {
  if (!hasExpectedType(schema, value)) {
    const detail = `must be of type ${expectedType(schema)}`;
    walk.errors.push(typeInvalidError(path, value, `${detail}: ${jsonTypeName(value)}`));
    return;
  }
  switch (schema.kind) {
    case 'object':
      walkObject(schema, value as JsonObject, path, old, walk);
      return;
    case 'array': {
      const oldItems = Array.isArray(old) ? old : [];
      (value as readonly JsonValue[]).forEach((item, i) => {
        if (item !== null) walkValue(schema.items, item, indexPath(path, i), oldItems[i], walk);
      });
      return;
    }
    case 'map': {
      const entries = value as JsonObject;
      for (const key of Object.keys(entries)) {
        const item = entries[key] as JsonValue;
        if (item !== null) walkValue(schema.values, item, keyPath(path, key), undefined, walk);
      }
      return;
    }
    default:
      checkScalar(schema, value, path, walk);
  }
}

/**
 * Field errors for an object of the declared type, as upstream's validation would report them
 * on create or update. Never throws, whatever JSON it is given.
 */
export function validateObject(
  type: SchemaCarrier,
  object: JsonValue,
  options: ValidateOptions,
): FieldError[] {
  const schema = schemaOf(type);
  if (!isObject(object)) {
    return [typeInvalidError('', object, `must be of type object: ${jsonTypeName(object)}`)];
  }
  const old = options.operation === 'update' && isObject(options.old) ? options.old : undefined;
  const walk: Walk = {
    operation: options.operation,
    kind: schema.root,
    root: object,
    oldRoot: old,
    errors: [],
  };
  walkObject(schema, object, '', old, walk);
  return walk.errors;
}

/** Validates a value of any declared type at a given path (e.g. a scenario's pod template). */
export function validateValue(schema: Schema, value: JsonValue, path: string): FieldError[] {
  const root = isObject(value) ? value : {};
  const walk: Walk = { operation: 'create', kind: undefined, root, oldRoot: undefined, errors: [] };
  walkValue(schema, value, path, undefined, walk);
  return walk.errors;
}
