// Turns schema DSL declarations into OpenAPI v3 component schemas shaped like upstream's:
// named structs as components referenced through `allOf`, patch and list extensions on fields.

import type { ObjectSchema, Schema } from '../../api/schema/schema.js';
import { listMetaSchema } from '../../api/types/meta.js';
import { canonicalStringify } from '../../api/values/canonical-json.js';
import { compareGoStrings } from '../../api/values/go-format.js';
import type { JsonObject, JsonValue } from '../../store/types.js';
import { assert, assertNever } from '../../util/assert.js';
import type { DeclaredTypes } from './declared-types.js';
import type { GroupVersionKind, TypeNamer } from './type-names.js';
import {
  intOrStringComponent,
  microTimeComponent,
  patchComponent,
  quantityComponent,
  timeComponent,
} from './type-names.js';

type Mutable = Record<string, JsonValue>;

/** Struct fields of a kind that are Go values, not pointers, in every upstream kind. */
const kindStructFields: ReadonlySet<string> = new Set(['metadata', 'spec', 'status']);

/** `#/components/schemas/<key>`. */
export function componentRef(key: string): JsonObject {
  return { $ref: `#/components/schemas/${key}` };
}

/** Components that are not DSL object types (scalar wrappers and the patch body). */
const builtinComponents: Readonly<Record<string, JsonObject>> = {
  [quantityComponent]: {
    description:
      'A fixed-point number with an optional suffix (e.g. 100m, 1.5Gi, 2e3), written as a ' +
      'string; a JSON number is accepted too.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
  [intOrStringComponent]: {
    description: 'Either a 32-bit integer or a string (e.g. a port name or a percentage).',
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  },
  [timeComponent]: {
    description: 'A timestamp in RFC 3339 form at second precision.',
    format: 'date-time',
    type: 'string',
  },
  [microTimeComponent]: {
    description: 'A timestamp in RFC 3339 form with microseconds.',
    format: 'date-time',
    type: 'string',
  },
  [patchComponent]: {
    description: 'The body of a PATCH request; its form depends on the Content-Type.',
    type: 'object',
  },
};

export interface ComponentBuilderOptions {
  namer: TypeNamer;
  declared: DeclaredTypes;
  /** `x-kubernetes-group-version-kind` of the components of kinds, by component key. */
  kindsByComponent: ReadonlyMap<string, readonly GroupVersionKind[]>;
}

/**
 * Collects the components one document needs: every type reached from the schemas handed to
 * `ref`/`listRef`. One builder per document, so a document holds only what its paths use.
 */
export class ComponentBuilder {
  readonly #options: ComponentBuilderOptions;
  readonly #schemas = new Map<string, JsonObject>();
  /** The field table each object component was built from, to catch name clashes. */
  readonly #sources = new Map<string, object>();

  constructor(options: ComponentBuilderOptions) {
    this.#options = options;
  }

  /** A `$ref` to the component of an object type, building it (and what it uses) if new. */
  ref(schema: ObjectSchema): JsonObject {
    const key = this.#options.namer.componentName(schema.name);
    const source = this.#sources.get(key);
    if (source === undefined) {
      this.#sources.set(key, schema.fields);
      this.#schemas.set(key, {}); // placeholder: a type may reach itself
      this.#schemas.set(key, this.#objectComponent(key, schema));
    } else if (source !== schema.fields) {
      const built = canonicalStringify(this.#objectComponent(key, schema));
      const first = canonicalStringify(this.#schemas.get(key) ?? {});
      assert(built === first, `two different types are named ${key}`);
    }
    return componentRef(key);
  }

  /** A `$ref` to a built-in component (Quantity, IntOrString, Time, MicroTime, Patch). */
  builtinRef(key: string): JsonObject {
    const builtin = builtinComponents[key];
    assert(builtin !== undefined, `no built-in component ${key}`);
    this.#schemas.set(key, builtin);
    return componentRef(key);
  }

  /** A `$ref` to `<Kind>List` of a kind, built like upstream's list types. */
  listRef(kind: ObjectSchema, gvk: GroupVersionKind): JsonObject {
    const itemRef = this.ref(kind);
    const key = `${this.#options.namer.componentName(kind.name)}List`;
    if (!this.#schemas.has(key)) {
      const listMeta = this.ref(listMetaSchema);
      this.#schemas.set(key, {
        description: `A list of ${kind.name} objects.`,
        properties: {
          apiVersion: { description: 'Versioned schema of this representation.', type: 'string' },
          items: {
            description: `The ${kind.name} objects.`,
            items: { allOf: [itemRef], default: {} },
            type: 'array',
          },
          kind: { description: 'Kind of this representation.', type: 'string' },
          metadata: { allOf: [listMeta], default: {}, description: 'Standard list metadata.' },
        },
        required: ['items'],
        type: 'object',
        'x-kubernetes-group-version-kind': [{ ...gvk, kind: `${gvk.kind}List` }],
      });
    }
    return componentRef(key);
  }

  /** All components, keyed and sorted as upstream's documents are. */
  schemas(): JsonObject {
    const keys = [...this.#schemas.keys()].sort(compareGoStrings);
    const out: Mutable = {};
    for (const key of keys) out[key] = this.#schemas.get(key) as JsonObject;
    return out;
  }

  #objectComponent(key: string, schema: ObjectSchema): JsonObject {
    const description = this.#options.declared.ownDescription(schema) ?? schema.description ?? '';
    const properties: Mutable = {};
    const required: string[] = [];
    const isKind = schema.root !== undefined || this.#options.kindsByComponent.has(key);
    for (const [name, field] of Object.entries(schema.fields)) {
      properties[name] = this.#property(field, isKind && kindStructFields.has(name));
      if (field.required === true) required.push(name);
    }
    const component: Mutable = { properties, type: 'object' };
    if (description !== '') component.description = description;
    if (required.length > 0) component.required = required;
    const kinds = this.#options.kindsByComponent.get(key);
    if (kinds !== undefined)
      component['x-kubernetes-group-version-kind'] = kinds.map((k) => ({ ...k }));
    return component;
  }

  /** A field: its type, this use's description, default and patch/list extensions. */
  #property(field: Schema, valueStruct: boolean): JsonObject {
    const value = this.#valueSchema(field);
    const extra: Mutable = {};
    if (field.description !== undefined && field.description !== '') {
      extra.description = field.description;
    }
    const fallback = propertyDefault(field, valueStruct);
    if (fallback !== undefined) extra.default = fallback;
    Object.assign(extra, extensions(field));
    if (value.$ref !== undefined && Object.keys(extra).length > 0) {
      return { allOf: [value], ...extra };
    }
    return { ...value, ...extra };
  }

  /** An array item or map value: its type and Go's zero value as the default, as upstream. */
  #elementSchema(element: Schema): JsonObject {
    const value = this.#valueSchema(element);
    const zero = zeroValue(element);
    if (zero === undefined) return value;
    if (value.$ref !== undefined) return { allOf: [value], default: zero };
    return { ...value, default: zero };
  }

  /** The type part of a schema: `type`/`format`/`enum`, a `$ref`, `items` or values. */
  #valueSchema(schema: Schema): JsonObject {
    switch (schema.kind) {
      case 'string':
        return stringSchema(schema.enum ?? schema.knownValues);
      case 'int32':
      case 'int64':
        return { format: schema.kind, type: 'integer' };
      case 'number':
        return { format: 'double', type: 'number' };
      case 'boolean':
        return { type: 'boolean' };
      case 'quantity':
        return this.builtinRef(quantityComponent);
      case 'time':
        return this.builtinRef(timeComponent);
      case 'microTime':
        return this.builtinRef(microTimeComponent);
      case 'intOrString':
        return this.builtinRef(intOrStringComponent);
      case 'any':
        return { type: 'object' };
      case 'array':
        return { items: this.#elementSchema(schema.items), type: 'array' };
      case 'map':
        return { additionalProperties: this.#elementSchema(schema.values), type: 'object' };
      case 'object':
        return this.ref(schema);
      default:
        return assertNever(schema, 'unknown schema kind');
    }
  }
}

function stringSchema(values: readonly string[] | undefined): JsonObject {
  if (values === undefined || values.length === 0) return { type: 'string' };
  return { enum: [...values].sort(compareGoStrings), type: 'string' };
}

/** Go's zero value of an element type, which upstream's generator records as its default. */
function zeroValue(schema: Schema): JsonValue | undefined {
  switch (schema.kind) {
    case 'string':
      return '';
    case 'int32':
    case 'int64':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'object':
      return {};
    default:
      return undefined;
  }
}

/**
 * Upstream records a default for struct fields that are values rather than pointers (always
 * `metadata`, `spec` and `status` of a kind; elsewhere the declaration's `{}` default) and the
 * zero value of required scalars (fields without `omitempty`). Server-side defaults that Go
 * code applies do not appear in upstream's documents, so none appear here.
 */
function propertyDefault(field: Schema, valueStruct: boolean): JsonValue | undefined {
  if (field.kind === 'object') {
    const declared = field.default;
    const emptyDefault =
      typeof declared === 'object' &&
      declared !== null &&
      !Array.isArray(declared) &&
      Object.keys(declared).length === 0;
    return valueStruct || emptyDefault ? {} : undefined;
  }
  if (field.required !== true) return undefined;
  if (field.kind === 'string' || field.kind === 'int32' || field.kind === 'int64') {
    return zeroValue(field);
  }
  return field.kind === 'boolean' ? false : undefined;
}

/** The strategic-merge and list extensions of a field, with upstream's key names. */
function extensions(field: Schema): Mutable {
  const out: Mutable = {};
  if (field.listMapKeys !== undefined) out['x-kubernetes-list-map-keys'] = [...field.listMapKeys];
  if (field.listType !== undefined) out['x-kubernetes-list-type'] = field.listType;
  if (field.mapType !== undefined) out['x-kubernetes-map-type'] = field.mapType;
  if (field.patchMergeKey !== undefined) out['x-kubernetes-patch-merge-key'] = field.patchMergeKey;
  if (field.patchStrategy !== undefined) out['x-kubernetes-patch-strategy'] = field.patchStrategy;
  return out;
}
