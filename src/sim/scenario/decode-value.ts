// Decodes one YAML node against a declared type into its model value: scalars, lists, maps,
// unions and free JSON here; objects and their groups in decode-object.ts.
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { parseTime } from '../../control/api/values/time.js';
import type { JsonValue } from '../../control/store/types.js';
import { decodeObject } from './decode-object.js';
import {
  buildContext,
  defineEntry,
  mapEntries,
  newDecodeState,
  nodeLine,
  remember,
  resolveNode,
} from './decode-state.js';
import type { DecodeOptions, DecodeState } from './decode-state.js';
import { parseDurationText } from './duration-text.js';
import { quote, renderPath } from './scenario-errors.js';
import type { ObjectPath } from './scenario-errors.js';
import { invalid } from './schema-dsl.js';
import type {
  DurationType,
  IntType,
  JsonType,
  ListType,
  MapType,
  NumberType,
  StringType,
  Type,
  UnionType,
} from './schema-dsl.js';

type Shape = 'string' | 'number' | 'boolean' | 'null' | 'mapping' | 'list' | 'other';

function shapeOf(node: YamlNode | null): Shape {
  if (node === null) return 'null';
  if (isMap(node)) return 'mapping';
  if (isSeq(node)) return 'list';
  if (!isScalar(node)) return 'other';
  const value = node.value;
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return typeof value as Shape;
  }
  return 'other';
}

/** How a message names the value that was found. */
export function describeNode(node: YamlNode | null): string {
  const shape = shapeOf(node);
  if (shape === 'mapping') return 'a mapping';
  if (shape === 'list') return 'a list';
  if (shape === 'null') return 'nothing';
  if (shape === 'other') return 'an unsupported value';
  return quote((node as { value: unknown }).value);
}

/** How a message names what a type accepts. */
export function expectedText(type: Type): string {
  switch (type.kind) {
    case 'string':
      return type.label ?? 'a string';
    case 'int':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'bool':
      return type.onlyTrue === true ? 'true' : 'true or false';
    case 'duration':
      return 'a duration such as "90s"';
    case 'time':
      return 'an RFC 3339 time such as "2026-01-01T00:00:00Z"';
    case 'enum':
      return `one of ${type.values.map(quote).join(', ')}`;
    case 'list':
      return 'a list';
    case 'map':
    case 'object':
      return 'a mapping';
    case 'union':
      return type.label;
    case 'json':
      return type.shape === 'object' ? 'a mapping' : 'a value';
  }
}

function accepts(type: Type, shape: Shape): boolean {
  switch (type.kind) {
    case 'string':
    case 'duration':
    case 'time':
    case 'enum':
      return shape === 'string';
    case 'int':
    case 'number':
      return shape === 'number';
    case 'bool':
      return shape === 'boolean';
    case 'list':
      return shape === 'list';
    case 'map':
    case 'object':
      return shape === 'mapping';
    case 'union':
      return type.variants.some((variant) => accepts(variant, shape));
    case 'json':
      return type.shape === 'any' ? shape !== 'other' : shape === 'mapping';
  }
}

/** Decodes `node` against `type`; reports problems and returns `invalid` when there are any. */
export function decodeValue(
  state: DecodeState,
  type: Type,
  node: YamlNode | null,
  path: ObjectPath,
  line: number,
): unknown {
  const resolved = resolveNode(state, node, path, line);
  if (resolved === undefined) return invalid;
  state.lines.set(renderPath(path), line);
  if (!accepts(type, shapeOf(resolved))) {
    const hint = type.kind === 'duration' && shapeOf(resolved) === 'number' ? ' (add a unit)' : '';
    state.report(
      path,
      line,
      `expected ${expectedText(type)}, got ${describeNode(resolved)}${hint}`,
    );
    return invalid;
  }
  if (resolved !== null) state.ancestors.add(resolved);
  try {
    const value = decodeAccepted(state, type, resolved, path, line);
    remember(state, value, path);
    return value;
  } finally {
    if (resolved !== null) state.ancestors.delete(resolved);
  }
}

function decodeAccepted(
  state: DecodeState,
  type: Type,
  node: YamlNode | null,
  path: ObjectPath,
  line: number,
): unknown {
  const scalar = isScalar(node) ? node.value : undefined;
  const fail: Fail = (message) => {
    state.report(path, line, message);
    return invalid;
  };
  switch (type.kind) {
    case 'string':
      return checkString(type, scalar as string, fail);
    case 'int':
      return checkInt(type, scalar as number, fail);
    case 'number':
      return checkNumber(type, scalar as number, fail);
    case 'bool':
      if (type.onlyTrue === true && scalar === false) return fail('must be true (or left out)');
      return scalar;
    case 'duration':
      return checkDuration(type, scalar as string, fail);
    case 'time': {
      const ms = parseTime(scalar as string);
      if (ms !== undefined) return ms;
      return fail(`invalid time ${quote(scalar)} (use RFC 3339 such as "2026-01-01T00:00:00Z")`);
    }
    case 'enum':
      if (type.values.includes(scalar as string)) return scalar;
      return fail(`unsupported value ${quote(scalar)} (use ${type.values.map(quote).join(', ')})`);
    case 'list':
      return decodeList(state, type, node, path, line);
    case 'map':
      return decodeMap(state, type, node, path);
    case 'object':
      return decodeObject(state, type, node, path, line);
    case 'union':
      return decodeUnion(state, type, node, path, line);
    case 'json':
      return decodeJson(state, type, node, path, line);
  }
}

type Fail = (message: string) => typeof invalid;

function checkString(type: StringType, value: string, fail: Fail): unknown {
  if (type.minLength !== undefined && value.length < type.minLength) {
    return fail(
      type.minLength === 1
        ? 'must not be empty'
        : `must have at least ${type.minLength} characters`,
    );
  }
  if (type.maxLength !== undefined && value.length > type.maxLength) {
    return fail(`must have at most ${type.maxLength} characters`);
  }
  const problem = type.check?.(value);
  return problem === undefined ? value : fail(problem);
}

function checkRange(value: number, type: IntType | NumberType, fail: Fail): unknown {
  if (type.min !== undefined && value < type.min) return fail(`must be at least ${type.min}`);
  if (type.max !== undefined && value > type.max) return fail(`must be at most ${type.max}`);
  return value;
}

function checkInt(type: IntType, value: number, fail: Fail): unknown {
  if (!Number.isInteger(value)) return fail(`expected an integer, got ${quote(value)}`);
  if (!Number.isSafeInteger(value)) return fail('integer out of range');
  return checkRange(value, type, fail);
}

function checkNumber(type: NumberType, value: number, fail: Fail): unknown {
  if (!Number.isFinite(value)) return fail('must be a finite number');
  if (type.above !== undefined && value <= type.above)
    return fail(`must be more than ${type.above}`);
  return checkRange(value, type, fail);
}

function checkDuration(type: DurationType, text: string, fail: Fail): unknown {
  const parsed = parseDurationText(text);
  if (!parsed.ok) return fail(parsed.message);
  if (parsed.ms < 0 && type.signed !== true)
    return fail(`must not be negative (got ${quote(text)})`);
  if (parsed.ms === 0 && type.positive === true) return fail('must be longer than 0s');
  return parsed.ms;
}

function decodeList(
  state: DecodeState,
  type: ListType,
  node: YamlNode | null,
  path: ObjectPath,
  line: number,
): unknown {
  if (!isSeq(node)) return invalid;
  const items: unknown[] = [];
  node.items.forEach((item, index) => {
    const itemNode = item as YamlNode | null;
    const itemPath = [...path, index];
    const value = decodeValue(
      state,
      type.items,
      itemNode,
      itemPath,
      nodeLine(state, itemNode, line),
    );
    if (value !== invalid) items.push(value);
  });
  if (type.minItems !== undefined && node.items.length < type.minItems) {
    state.report(
      path,
      line,
      `must have at least ${type.minItems} item${type.minItems === 1 ? '' : 's'}`,
    );
    return invalid;
  }
  if (type.maxItems !== undefined && node.items.length > type.maxItems) {
    state.report(path, line, `must have at most ${type.maxItems} items`);
    return invalid;
  }
  return items;
}

function decodeMap(
  state: DecodeState,
  type: MapType,
  node: YamlNode | null,
  path: ObjectPath,
): unknown {
  if (!isMap(node)) return invalid;
  const result: Record<string, unknown> = {};
  for (const entry of mapEntries(state, node, path, (key) => ({ entry: key }))) {
    const entryPath = [...path, { entry: entry.key }];
    state.lines.set(renderPath(entryPath), entry.keyLine);
    const keyProblem = checkString(type.keys, entry.key, (message) => {
      state.report(
        entryPath,
        entry.keyLine,
        `invalid ${type.keyLabel} ${quote(entry.key)}: ${message}`,
      );
      return invalid;
    });
    if (keyProblem === invalid) continue;
    const value = decodeValue(state, type.values, entry.value, entryPath, entry.keyLine);
    if (value !== invalid) defineEntry(result, entry.key, value);
  }
  return result;
}

function decodeUnion(
  state: DecodeState,
  type: UnionType,
  node: YamlNode | null,
  path: ObjectPath,
  line: number,
): unknown {
  const shape = shapeOf(node);
  const index = type.variants.findIndex((variant) => accepts(variant, shape));
  const variant = type.variants[index] as Type;
  const value = decodeAccepted(state, variant, node, path, line);
  if (value === invalid || type.build === undefined) return value;
  return type.build(value as never, index, buildContext(state, path));
}

function decodeJson(
  state: DecodeState,
  type: JsonType,
  node: YamlNode | null,
  path: ObjectPath,
  line: number,
): unknown {
  const value = jsonOf(state, node, path, line);
  if (value === invalid || type.build === undefined) return value;
  return type.build(value as never, buildContext(state, path));
}

function jsonOf(
  state: DecodeState,
  node: YamlNode | null,
  path: ObjectPath,
  line: number,
): unknown {
  const resolved = resolveNode(state, node, path, line);
  if (resolved === undefined) return invalid;
  state.lines.set(renderPath(path), line);
  if (isMap(resolved) || isSeq(resolved)) {
    state.ancestors.add(resolved);
    try {
      return isMap(resolved)
        ? jsonObject(state, resolved, path)
        : jsonList(state, resolved, path, line);
    } finally {
      state.ancestors.delete(resolved);
    }
  }
  const scalar = isScalar(resolved) ? resolved.value : null;
  if (scalar === null || typeof scalar === 'string' || typeof scalar === 'boolean') return scalar;
  if (typeof scalar === 'number' && Number.isFinite(scalar))
    return Object.is(scalar, -0) ? 0 : scalar;
  state.report(
    path,
    line,
    `unsupported value ${describeNode(resolved)} (not representable in JSON)`,
  );
  return invalid;
}

function jsonObject(state: DecodeState, node: YamlNode, path: ObjectPath): unknown {
  if (!isMap(node)) return invalid;
  const result: Record<string, JsonValue> = {};
  let ok = true;
  for (const entry of mapEntries(state, node, path, (key) => key)) {
    const value = jsonOf(state, entry.value, [...path, entry.key], entry.keyLine);
    if (value === invalid) ok = false;
    else defineEntry(result, entry.key, value);
  }
  return ok ? result : invalid;
}

function jsonList(state: DecodeState, node: YamlNode, path: ObjectPath, line: number): unknown {
  if (!isSeq(node)) return invalid;
  const items: JsonValue[] = [];
  let ok = true;
  node.items.forEach((item, index) => {
    const itemNode = item as YamlNode | null;
    const value = jsonOf(state, itemNode, [...path, index], nodeLine(state, itemNode, line));
    if (value === invalid) ok = false;
    else items.push(value as JsonValue);
  });
  return ok ? items : invalid;
}

export interface DecodeResult {
  value: unknown;
  state: DecodeState;
}

/** Decodes a whole document's contents against `type`. */
export function decodeDocument(options: DecodeOptions, type: Type, path: ObjectPath): DecodeResult {
  const state = newDecodeState(options, decodeValue);
  const contents = (options.document.contents ?? null) as YamlNode | null;
  const value = decodeValue(state, type, contents, path, nodeLine(state, contents, 1));
  return { value, state };
}
