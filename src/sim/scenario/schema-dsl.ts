// A small schema-description language: the scenario format is declared once as these values, and
// the decoder, the JSON Schema and the README field tables are all derived from them.
//
// Decoding rules the declarations rely on (see schema-decode.ts):
// - an object's field `x` becomes model key `x`, except duration and time fields, which become
//   `xMs` (integer milliseconds), and fields with an explicit `model` name;
// - a group ("exactly one of these keys") becomes a nested model object `{ kind: <key>, ... }`
//   holding the chosen option's fields (object options) or its value under the option's model
//   key (other options), plus the option's `with` fields;
// - `build` hooks turn the generic result into the typed model and may report errors.
import type { JsonValue } from '../../control/store/types.js';
import type { ObjectPath } from './scenario-errors.js';

/** Returns an error message for a bad value, or undefined when it is fine. */
export type ValueCheck<T> = (value: T) => string | undefined;

interface TypeBase {
  /** Used in "expected …" messages instead of the generic type name. */
  label?: string;
  /** Short type name for the README's Type column (`node name`, `quantity`). */
  docName?: string;
}

export interface StringType extends TypeBase {
  kind: 'string';
  /** JSON Schema pattern, for editors; `check` is what the parser enforces. */
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  check?: ValueCheck<string>;
}

export interface IntType extends TypeBase {
  kind: 'int';
  min?: number;
  max?: number;
}

export interface NumberType extends TypeBase {
  kind: 'number';
  min?: number;
  max?: number;
  /** The value must be above this. */
  above?: number;
}

export interface BoolType extends TypeBase {
  kind: 'bool';
  /** Only `true` is accepted (a marker such as `eventually: true`). */
  onlyTrue?: boolean;
}

export interface DurationType extends TypeBase {
  kind: 'duration';
  /** Negative values are allowed (clock offsets). */
  signed?: boolean;
  /** Zero is rejected. */
  positive?: boolean;
}

/** An RFC 3339 time; decodes to epoch milliseconds. */
export interface TimeType extends TypeBase {
  kind: 'time';
}

export interface EnumType extends TypeBase {
  kind: 'enum';
  values: readonly string[];
}

export interface ListType extends TypeBase {
  kind: 'list';
  items: Type;
  minItems?: number;
  maxItems?: number;
}

export interface MapType extends TypeBase {
  kind: 'map';
  keys: StringType;
  values: Type;
  /** What the keys are, for docs: `label key`, `image reference`. */
  keyLabel: string;
}

export interface Field {
  type: Type;
  doc: string;
  required?: boolean;
  /** A YAML-level value decoded as if written when the field is absent. */
  default?: JsonValue;
  /** Documented default that the model leaves absent (a component applies it). */
  defaultDoc?: string;
  /** Model key; default: the field name, plus `Ms` for durations and times. */
  model?: string;
}

export type Fields = Readonly<Record<string, Field>>;

export interface GroupOption {
  type: Type;
  doc: string;
  /** Sibling fields allowed only together with this option. */
  with?: Fields;
  /** A YAML example for the docs; tests check that it is valid. */
  example?: string;
}

/** A set of mutually exclusive keys of one object. */
export interface Group {
  /** Model key of the nested object. */
  name: string;
  /** How messages name a member, e.g. `fault verb`. */
  label: string;
  required: boolean;
  options: Readonly<Record<string, GroupOption>>;
}

/** Hands a decoded value to the typed model; reports problems with paths relative to it. */
export interface BuildContext {
  error(relative: ObjectPath, message: string): void;
  /** Reports a problem inside another file (a manifest file the scenario names). */
  errorInFile(file: string, line: number, path: string, message: string): void;
  /** The scenario file's name as given to the parser (files it names are relative to it). */
  readonly fileName: string;
  /** Loads a file named in the scenario (see ParseScenarioOptions.loadFile). */
  readonly loadFile: ((path: string) => string | undefined) | undefined;
  /** The absolute path of the value being built. */
  readonly path: ObjectPath;
}

/** Marks a build that failed; the decoder drops the value. */
export const invalid: unique symbol = Symbol('invalid');
export type Invalid = typeof invalid;

export type BuildHook = (value: never, context: BuildContext) => unknown;

export interface ObjectType extends TypeBase {
  kind: 'object';
  /** Names the README section and the JSON Schema definition. */
  name: string;
  doc: string;
  fields: Fields;
  groups?: readonly Group[];
  /** Extra advice for fields people are likely to write by mistake. */
  hints?: Readonly<Record<string, string>>;
  build?: BuildHook;
  /** YAML example for the README section. */
  example?: string;
}

/** One of several types, chosen by the YAML node's shape (string, number, mapping, …). */
export interface UnionType extends TypeBase {
  kind: 'union';
  label: string;
  variants: readonly Type[];
  /** Receives the decoded value and the index of the variant that matched. */
  build?: (value: never, variant: number, context: BuildContext) => unknown;
}

/** Free JSON (Kubernetes manifests, plugin args): any mapping, or any value. */
export interface JsonType extends TypeBase {
  kind: 'json';
  shape: 'object' | 'any';
  build?: BuildHook;
}

export type Type =
  | StringType
  | IntType
  | NumberType
  | BoolType
  | DurationType
  | TimeType
  | EnumType
  | ListType
  | MapType
  | ObjectType
  | UnionType
  | JsonType;

/** The model key of a field: its `model`, or the name with `Ms` for durations and times. */
export function modelKeyOf(name: string, type: Type, model?: string): string {
  if (model !== undefined) return model;
  return type.kind === 'duration' || type.kind === 'time' ? `${name}Ms` : name;
}

export function str(options: Omit<StringType, 'kind'> = {}): StringType {
  return { kind: 'string', ...options };
}

export function int(options: Omit<IntType, 'kind'> = {}): IntType {
  return { kind: 'int', ...options };
}

export function num(options: Omit<NumberType, 'kind'> = {}): NumberType {
  return { kind: 'number', ...options };
}

export function bool(options: Omit<BoolType, 'kind'> = {}): BoolType {
  return { kind: 'bool', ...options };
}

export function duration(options: Omit<DurationType, 'kind'> = {}): DurationType {
  return { kind: 'duration', ...options };
}

export function time(): TimeType {
  return { kind: 'time' };
}

export function oneOfStrings(values: readonly string[]): EnumType {
  return { kind: 'enum', values };
}

export function list(items: Type, options: Omit<ListType, 'kind' | 'items'> = {}): ListType {
  return { kind: 'list', items, ...options };
}

export function map(keyLabel: string, keys: StringType, values: Type): MapType {
  return { kind: 'map', keyLabel, keys, values };
}

export function object(declaration: Omit<ObjectType, 'kind'>): ObjectType {
  return { kind: 'object', ...declaration };
}

export function union(declaration: Omit<UnionType, 'kind'>): UnionType {
  return { kind: 'union', ...declaration };
}

export function json(shape: JsonType['shape'], options: Omit<JsonType, 'kind' | 'shape'> = {}) {
  return { kind: 'json', shape, ...options } satisfies JsonType;
}

/** A field; `required` fields must be written, others may carry a default. */
export function field(type: Type, doc: string, options: Omit<Field, 'type' | 'doc'> = {}): Field {
  return { type, doc, ...options };
}
