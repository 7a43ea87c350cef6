// The first JSON type mismatch of a body, worded as Go's encoding/json (sigs.k8s.io/json) reports it.
//
// Go keeps the first plain type error and goes on decoding; errors returned by a type's own
// UnmarshalJSON (Quantity, Time, MicroTime, IntOrString) stop decoding at once and win. A type
// error names the innermost Go struct and the path of struct fields from the root, without
// list indices or map keys:
//   json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32

import type { JsonObject, JsonValue } from '../../store/types.js';
import { parseQuantity } from '../values/quantity.js';
import { goTimeParseError } from './go-time-parse.js';
import { goTypeName } from './go-value.js';
import { isObject } from './json.js';
import type { ObjectSchema, Schema } from './schema.js';

interface Context {
  struct: string;
  fields: readonly string[];
}

interface State {
  saved: string | undefined;
}

const int32Range: [number, number] = [-2147483648, 2147483647];
const int64Limit = 2 ** 63;

function jsonKind(value: JsonValue): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

function typeError(ctx: Context, valueText: string, goType: string): string {
  if (ctx.struct === '' && ctx.fields.length === 0) {
    return `json: cannot unmarshal ${valueText} into Go value of type ${goType}`;
  }
  return `json: cannot unmarshal ${valueText} into Go struct field ${ctx.struct}.${ctx.fields.join('.')} of type ${goType}`;
}

function save(state: State, message: string): void {
  if (state.saved === undefined) state.saved = message;
}

function integerFits(value: number, kind: 'int32' | 'int64'): boolean {
  if (!Number.isInteger(value)) return false;
  if (kind === 'int32') return value >= int32Range[0] && value <= int32Range[1];
  return value >= -int64Limit && value < int64Limit;
}

const quantityFormatError =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const isDigit = (char: string | undefined): boolean =>
  char !== undefined && char >= '0' && char <= '9';

/** Where resource's parseQuantityString stops scanning `text` (its length when it all scans). */
function scannedLength(text: string): number {
  let pos = text[0] === '-' || text[0] === '+' ? 1 : 0;
  while (isDigit(text[pos])) pos += 1;
  if (text[pos] === '.') {
    pos += 1;
    while (isDigit(text[pos])) pos += 1;
  }
  while (pos < text.length && 'eEinumkKMGTP'.includes(text[pos] as string)) pos += 1;
  if (text[pos] === '-' || text[pos] === '+') pos += 1;
  while (isDigit(text[pos])) pos += 1;
  return pos;
}

/**
 * resource.ParseQuantity's error for text it rejects: ErrFormatWrong when the scanner meets a
 * character it cannot place, ErrSuffix when the text scans but its suffix means nothing.
 */
export function quantityParseError(text: string): string {
  if (text === '' || scannedLength(text) < text.length) return quantityFormatError;
  return "unable to parse quantity's suffix";
}

function rawText(value: JsonValue): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Fatal errors (from a type's own UnmarshalJSON) are returned; plain ones are saved. */
type Fatal = string | undefined;

function checkQuantity(value: JsonValue): Fatal {
  const text = rawText(value).trim();
  return parseQuantity(text) === undefined ? quantityParseError(text) : undefined;
}

function checkTime(schema: Schema, value: JsonValue, ctx: Context): Fatal {
  if (typeof value !== 'string') return typeError(ctx, jsonKind(value), 'string');
  return goTimeParseError(value, schema.kind === 'microTime');
}

function checkIntOrString(value: JsonValue, ctx: Context): Fatal {
  if (typeof value === 'string') return undefined;
  if (typeof value !== 'number') return typeError(ctx, jsonKind(value), 'int32');
  if (integerFits(value, 'int32')) return undefined;
  return typeError(ctx, `number ${JSON.stringify(value)}`, 'int32');
}

function checkScalar(schema: Schema, value: JsonValue, ctx: Context, state: State): void {
  const goType = goTypeName(schema);
  switch (schema.kind) {
    case 'string':
      if (typeof value !== 'string') save(state, typeError(ctx, jsonKind(value), goType));
      return;
    case 'boolean':
      if (typeof value !== 'boolean') save(state, typeError(ctx, jsonKind(value), goType));
      return;
    case 'number':
      if (typeof value !== 'number') save(state, typeError(ctx, jsonKind(value), goType));
      return;
    case 'int32':
    case 'int64':
      if (typeof value !== 'number') save(state, typeError(ctx, jsonKind(value), goType));
      else if (!integerFits(value, schema.kind)) {
        save(state, typeError(ctx, `number ${JSON.stringify(value)}`, goType));
      }
      return;
    default:
      return;
  }
}

function walkObject(schema: ObjectSchema, value: JsonObject, ctx: Context, state: State): Fatal {
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(schema.fields, key)) continue;
    const childCtx = { struct: schema.name, fields: [...ctx.fields, key] };
    const fatal = walk(schema.fields[key] as Schema, value[key] as JsonValue, childCtx, state);
    if (fatal !== undefined) return fatal;
  }
  return undefined;
}

function walkItems(items: readonly JsonValue[], schema: Schema, ctx: Context, state: State): Fatal {
  for (const item of items) {
    const fatal = walk(schema, item, ctx, state);
    if (fatal !== undefined) return fatal;
  }
  return undefined;
}

function walk(schema: Schema, value: JsonValue, ctx: Context, state: State): Fatal {
  if (value === null) return undefined;
  switch (schema.kind) {
    case 'object':
      if (isObject(value)) return walkObject(schema, value, ctx, state);
      break;
    case 'array':
      if (Array.isArray(value)) return walkItems(value, schema.items, ctx, state);
      break;
    case 'map':
      if (isObject(value)) return walkItems(Object.values(value), schema.values, ctx, state);
      break;
    case 'quantity':
      return checkQuantity(value);
    case 'time':
    case 'microTime':
      return checkTime(schema, value, ctx);
    case 'intOrString':
      return checkIntOrString(value, ctx);
    case 'any':
      return undefined;
    default:
      checkScalar(schema, value, ctx, state);
      return undefined;
  }
  save(state, typeError(ctx, jsonKind(value), goTypeName(schema)));
  return undefined;
}

/**
 * The decode error Go would return for `value` decoded into the schema's type, or undefined.
 * The caller renders `<Kind> in version "<v>" cannot be handled as a <Kind>: <error>`.
 */
export function decodeTypeErrors(schema: ObjectSchema, value: JsonValue): string | undefined {
  const state: State = { saved: undefined };
  return walk(schema, value, { struct: '', fields: [] }, state) ?? state.saved;
}
