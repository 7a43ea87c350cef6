// The schema DSL: one declaration per API type, read by every engine (decode, defaults, validation,
// canonicalisation, and later strategic merge patch, OpenAPI, Table output and scenario schemas).

import type { JsonObject, JsonValue } from '../../store/types.js';
import type { FieldError } from './field-errors.js';

/** Strategic-merge-patch strategy of a field (k8s.io/api struct tag `patchStrategy`). */
export type PatchStrategy = 'merge' | 'retainKeys' | 'merge,retainKeys' | 'replace';
/** `+listType` marker: how server-side apply and OpenAPI treat a list. */
export type ListType = 'atomic' | 'set' | 'map';
/** `+mapType` marker. */
export type MapType = 'atomic' | 'granular';

/** Named string checks; each maps to an upstream validator whose messages become details. */
export type StringFormat =
  | 'dns1123-label'
  | 'dns1123-subdomain'
  | 'dns1035-label'
  | 'qualified-name'
  | 'label-value'
  | 'port-name';

/** A default: a value, or a function of the (partly defaulted) parent object. */
export type DefaultValue = JsonValue | ((parent: JsonObject) => JsonValue | undefined);

/** Metadata that any schema node may carry; on a field it describes that use of the type. */
export interface SchemaMeta {
  description?: string;
  /** Applied when the field is absent or null (or its Go zero value, with `zeroIsUnset`). */
  default?: DefaultValue;
  /**
   * Validation reports `Required value` when the field is absent, null, or its Go zero value
   * ("" / 0 / [] / {}), as upstream's hand-written `len(x) == 0` checks do.
   */
  required?: boolean;
  /** Changing the value on update is rejected with `field is immutable`. */
  immutable?: boolean;
  /**
   * The Go field is not a pointer: its zero value ("", 0, false) means "unset", so defaults
   * apply to it and range checks skip it (e.g. `hostPort: 0`).
   */
  zeroIsUnset?: boolean;
  /** Go type as printed in decode errors when not derivable (named types: `v1.RestartPolicy`). */
  goType?: string;
  /** Go struct field name when it is not the JSON name with a capital first letter. */
  goName?: string;
  patchStrategy?: PatchStrategy;
  patchMergeKey?: string;
  listType?: ListType;
  listMapKeys?: readonly string[];
  mapType?: MapType;
  /** String format check (non-empty values only). */
  format?: StringFormat;
  /** Integer bounds (inclusive); the detail follows upstream's wording unless `rangeDetail`. */
  minimum?: number;
  maximum?: number;
  rangeDetail?: string;
  /** Quantities: rounded up to a whole milli-unit on write (upstream SetDefaults_ResourceList). */
  roundUpToMilli?: boolean;
  /** For enums: "" is accepted (e.g. toleration effect) instead of being `Required value`. */
  enumAllowsEmpty?: boolean;
}

export interface StringSchema extends SchemaMeta {
  kind: 'string';
  /**
   * Supported values, checked by validation, in upstream's order (the order of the
   * `Unsupported value` detail). "" is `Required value` unless `enumAllowsEmpty`.
   */
  enum?: readonly string[];
  /** Documented values that validation does not check (upstream validates them elsewhere). */
  knownValues?: readonly string[];
}
export interface IntegerSchema extends SchemaMeta {
  kind: 'int32' | 'int64';
}
export interface NumberSchema extends SchemaMeta {
  kind: 'number';
}
export interface BooleanSchema extends SchemaMeta {
  kind: 'boolean';
}
/** resource.Quantity: a string (or JSON number) stored in canonical form. */
export interface QuantitySchema extends SchemaMeta {
  kind: 'quantity';
}
/** metav1.Time (RFC 3339, seconds) or metav1.MicroTime (6 fractional digits). */
export interface TimeSchema extends SchemaMeta {
  kind: 'time' | 'microTime';
}
/** intstr.IntOrString. */
export interface IntOrStringSchema extends SchemaMeta {
  kind: 'intOrString';
}
/** Free-form JSON (RawExtension, FieldsV1): no checks, no unknown fields. */
export interface AnySchema extends SchemaMeta {
  kind: 'any';
}
export interface ArraySchema extends SchemaMeta {
  kind: 'array';
  items: Schema;
}
export interface MapSchema extends SchemaMeta {
  kind: 'map';
  values: Schema;
}

/** What a validation hook sees besides the value. */
export interface ValidationContext {
  /** Field path of the value (`spec.containers[0]`); '' for the root object. */
  path: string;
  operation: 'create' | 'update';
  /** The whole new object. */
  root: JsonObject;
  /** The whole stored object on update. */
  oldRoot: JsonObject | undefined;
  /** The kind being validated (from the root schema), for metadata rules. */
  kind: KindDeclaration | undefined;
}

export interface DefaultingContext {
  /** 'create' runs the create-only hooks (upstream PrepareForCreate-style defaults). */
  operation: 'create' | 'update' | undefined;
}

/** Type-specific logic that cannot be expressed per field; kept beside the declaration. */
export interface ObjectHooks {
  /** Cross-field defaults, run after this object's field defaults, before its children's. */
  defaults?: (value: JsonObject, ctx: DefaultingContext) => JsonObject;
  /** Cross-field validation, run after the fields of this object were checked. */
  validate?: (value: JsonObject, ctx: ValidationContext) => FieldError[];
  /** Update-only validation; `old` is the value at the same path in the stored object. */
  validateUpdate?: (value: JsonObject, old: JsonObject, ctx: ValidationContext) => FieldError[];
}

/** Name validation of `metadata.name` / `metadata.generateName` for a kind. */
/** Name validation of a kind; 'none' only requires a name (core/v1 Events validate no format). */
export type NameFormat = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'none';

/** Identity of a top-level kind (only on root schemas). */
export interface KindDeclaration {
  group: string;
  version: string;
  kind: string;
  scope: 'Namespaced' | 'Cluster';
  nameFormat: NameFormat;
}

export interface ObjectSchema extends SchemaMeta {
  kind: 'object';
  /** Go type name (`PodSpec`), printed in decode errors as `v1.PodSpec`. */
  name: string;
  fields: Readonly<Record<string, Schema>>;
  hooks?: ObjectHooks;
  /** Set on the schema of a whole top-level object. */
  root?: KindDeclaration;
}

export type Schema =
  | StringSchema
  | IntegerSchema
  | NumberSchema
  | BooleanSchema
  | QuantitySchema
  | TimeSchema
  | IntOrStringSchema
  | AnySchema
  | ArraySchema
  | MapSchema
  | ObjectSchema;

/** Per-use metadata for a field (everything but the description, given separately). */
export type FieldOptions = Omit<SchemaMeta, 'description'>;
type StringOptions = FieldOptions;

export function str(description: string, options: StringOptions = {}): StringSchema {
  return { kind: 'string', description, ...options };
}

/** A string whose values validation checks against `values`. */
export function strEnum(
  values: readonly string[],
  description: string,
  options: StringOptions = {},
): StringSchema {
  return { kind: 'string', enum: values, description, ...options };
}

/** A string with documented values that validation does not check. */
export function strKnown(
  values: readonly string[],
  description: string,
  options: StringOptions = {},
): StringSchema {
  return { kind: 'string', knownValues: values, description, ...options };
}

export function int32(description: string, options: FieldOptions = {}): IntegerSchema {
  return { kind: 'int32', description, ...options };
}

export function int64(description: string, options: FieldOptions = {}): IntegerSchema {
  return { kind: 'int64', description, ...options };
}

export function float(description: string, options: FieldOptions = {}): NumberSchema {
  return { kind: 'number', description, ...options };
}

export function bool(description: string, options: FieldOptions = {}): BooleanSchema {
  return { kind: 'boolean', description, ...options };
}

export function quantity(description: string, options: FieldOptions = {}): QuantitySchema {
  return { kind: 'quantity', description, ...options };
}

export function time(description: string, options: FieldOptions = {}): TimeSchema {
  return { kind: 'time', description, ...options };
}

export function microTime(description: string, options: FieldOptions = {}): TimeSchema {
  return { kind: 'microTime', description, ...options };
}

export function intOrString(description: string, options: FieldOptions = {}): IntOrStringSchema {
  return { kind: 'intOrString', description, ...options };
}

export function anyJson(description: string, options: FieldOptions = {}): AnySchema {
  return { kind: 'any', description, ...options };
}

export function arr(items: Schema, description: string, options: FieldOptions = {}): ArraySchema {
  return { kind: 'array', items, description, ...options };
}

export function map(values: Schema, description: string, options: FieldOptions = {}): MapSchema {
  return { kind: 'map', values, description, ...options };
}

/** map[string]string, e.g. labels, annotations, nodeSelector. */
export function stringMap(description: string, options: FieldOptions = {}): MapSchema {
  return map(str(''), description, { goType: 'map[string]string', ...options });
}

/** v1.ResourceList: resource name → quantity. */
export function resourceList(description: string, options: FieldOptions = {}): MapSchema {
  const value = quantity('', { roundUpToMilli: true });
  return map(value, description, { goType: 'v1.ResourceList', ...options });
}

/** []string. */
export function stringList(description: string, options: FieldOptions = {}): ArraySchema {
  return arr(str(''), description, { listType: 'atomic', ...options });
}

/** Declares a named object type (a Go struct). */
export function obj(
  name: string,
  description: string,
  fields: Record<string, Schema>,
  extra: { hooks?: ObjectHooks; root?: KindDeclaration } = {},
): ObjectSchema {
  return { kind: 'object', name, description, fields, ...extra };
}

/** Uses a declared type as a field, with this use's description and options. */
export function ref<T extends Schema>(
  schema: T,
  description: string,
  options: FieldOptions = {},
): T {
  return { ...schema, description, ...options };
}

/** Whether a value counts as Go's zero value (the "unset" of non-pointer fields). */
export function isGoZero(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null) return true;
  if (value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return false;
}
