// The JSON Schema (draft-07) of scenario files, generated from the format's declarations, for
// editors (yaml-language-server). The parser is stricter: it also runs each field's checks.
import type { JsonObject, JsonValue } from '../../control/store/types.js';
import { assert } from '../../control/util/assert.js';
import { scenarioType } from './scenario-format.js';
import type { Field, Fields, Group, ObjectType, Type } from './schema-dsl.js';

const number = String.raw`([0-9]+(\.[0-9]*)?|\.[0-9]+)`;
const units = '(h|m|s|ms|us|µs|μs|ns)';
const durationPattern = `^\\+?(0|(${number}${units})+)$`;
const signedDurationPattern = `^[-+]?(0|(${number}${units})+)$`;

type Definitions = Map<string, { type: ObjectType; schema: JsonObject | undefined }>;

function ref(name: string): JsonObject {
  return { $ref: `#/definitions/${name}` };
}

function range(schema: JsonObject, min?: number, max?: number): JsonObject {
  return {
    ...schema,
    ...(min === undefined ? {} : { minimum: min }),
    ...(max === undefined ? {} : { maximum: max }),
  };
}

function schemaOf(type: Type, definitions: Definitions): JsonObject {
  switch (type.kind) {
    case 'string':
      return {
        type: 'string',
        ...(type.pattern === undefined ? {} : { pattern: type.pattern }),
        ...(type.minLength === undefined ? {} : { minLength: type.minLength }),
        ...(type.maxLength === undefined ? {} : { maxLength: type.maxLength }),
      };
    case 'int':
      return range({ type: 'integer' }, type.min, type.max);
    case 'number':
      return {
        ...range({ type: 'number' }, type.min, type.max),
        ...(type.above === undefined ? {} : { exclusiveMinimum: type.above }),
      };
    case 'bool':
      return type.onlyTrue === true ? { const: true } : { type: 'boolean' };
    case 'duration':
      return ref(type.signed === true ? 'signedDuration' : 'duration');
    case 'time':
      return { type: 'string', format: 'date-time' };
    case 'enum':
      return { type: 'string', enum: [...type.values] };
    case 'list':
      return {
        type: 'array',
        items: schemaOf(type.items, definitions),
        ...(type.minItems === undefined ? {} : { minItems: type.minItems }),
        ...(type.maxItems === undefined ? {} : { maxItems: type.maxItems }),
      };
    case 'map':
      return { type: 'object', additionalProperties: schemaOf(type.values, definitions) };
    case 'object':
      return defineObject(type, definitions);
    case 'union':
      return { anyOf: type.variants.map((variant) => schemaOf(variant, definitions)) };
    case 'json':
      return type.shape === 'object' ? { type: 'object' } : {};
  }
}

function describedField(field: Field, definitions: Definitions): JsonObject {
  const schema = schemaOf(field.type, definitions);
  const defaultText = field.defaultDoc === undefined ? '' : ` Default: ${field.defaultDoc}.`;
  const described = { description: `${field.doc}${defaultText}` };
  const withDefault: JsonObject = field.default === undefined ? {} : { default: field.default };
  // Keywords beside $ref are ignored in draft-07: wrap references.
  if ('$ref' in schema) return { ...described, ...withDefault, allOf: [schema] };
  return { ...described, ...schema, ...withDefault };
}

function requiredOne(name: string): JsonObject {
  return { required: [name] };
}

function groupConstraint(group: Group): JsonObject {
  const each = Object.keys(group.options).map(requiredOne);
  return group.required ? { oneOf: each } : { oneOf: [...each, { not: { anyOf: each } }] };
}

function addProperties(
  target: Record<string, JsonValue>,
  fields: Fields,
  definitions: Definitions,
) {
  for (const [name, field] of Object.entries(fields)) {
    target[name] = describedField(field, definitions);
  }
}

function groupDependencies(groups: readonly Group[]): Record<string, JsonValue> {
  const owners = new Map<string, string[]>();
  const dependencies: Record<string, JsonValue> = {};
  for (const group of groups) {
    for (const [name, option] of Object.entries(group.options)) {
      const companions = Object.entries(option.with ?? {});
      const required = companions.filter(([, field]) => field.required === true).map(([n]) => n);
      if (required.length > 0) dependencies[name] = required;
      for (const [companion] of companions)
        owners.set(companion, [...(owners.get(companion) ?? []), name]);
    }
  }
  for (const [companion, names] of owners) {
    dependencies[companion] = names.length === 1 ? names : { anyOf: names.map(requiredOne) };
  }
  return dependencies;
}

function objectSchema(type: ObjectType, definitions: Definitions): JsonObject {
  const properties: Record<string, JsonValue> = {};
  addProperties(properties, type.fields, definitions);
  const groups = type.groups ?? [];
  for (const group of groups) {
    for (const [name, option] of Object.entries(group.options)) {
      properties[name] = describedField({ type: option.type, doc: option.doc }, definitions);
      addProperties(properties, option.with ?? {}, definitions);
    }
  }
  const required = Object.entries(type.fields)
    .filter(([, f]) => f.required === true)
    .map(([n]) => n);
  const dependencies = groupDependencies(groups);
  return {
    type: 'object',
    description: type.doc,
    properties,
    ...(required.length === 0 ? {} : { required }),
    additionalProperties: false,
    ...(groups.length === 0 ? {} : { allOf: groups.map(groupConstraint) }),
    ...(Object.keys(dependencies).length === 0 ? {} : { dependencies }),
  };
}

function defineObject(type: ObjectType, definitions: Definitions): JsonObject {
  const known = definitions.get(type.name);
  if (known !== undefined) {
    assert(known.type === type, `two object types are named ${type.name}`);
    return ref(type.name);
  }
  const entry: { type: ObjectType; schema: JsonObject | undefined } = { type, schema: undefined };
  definitions.set(type.name, entry);
  entry.schema = objectSchema(type, definitions);
  return ref(type.name);
}

function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The JSON Schema of a scenario file, with definitions sorted by name. */
export function scenarioJsonSchema(): JsonObject {
  const definitions: Definitions = new Map();
  const root = schemaOf(scenarioType, definitions);
  const sorted: Record<string, JsonValue> = {
    duration: {
      type: 'string',
      pattern: durationPattern,
      description: 'A Go duration such as 90s, 1m30s or 500ms.',
    },
    signedDuration: {
      type: 'string',
      pattern: signedDurationPattern,
      description: 'A Go duration that may be negative.',
    },
  };
  for (const name of [...definitions.keys()].sort(compareNames)) {
    sorted[name] = definitions.get(name)?.schema ?? {};
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://miniku.dev/schemas/scenario.schema.json',
    title: 'miniku scenario',
    description:
      'A miniku simulator scenario (generated from src/sim/scenario; see scenarios/README.md).',
    ...root,
    definitions: sorted,
  };
}
