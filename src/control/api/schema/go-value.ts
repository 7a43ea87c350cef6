// Go type names and Go `%#v` renderings of schema-typed values, for upstream-shaped messages.

import type { JsonValue } from '../../store/types.js';
import { compareGoStrings, goQuote } from '../values/go-format.js';
import { goFormatFloat } from './go-float.js';
import { isObject } from './json.js';
import type { Schema } from './schema.js';

/** The Go type of a schema node as `reflect.Type.String()` prints it (`[]v1.Container`). */
export function goTypeName(schema: Schema): string {
  if (schema.goType !== undefined) return schema.goType;
  switch (schema.kind) {
    case 'string':
      return 'string';
    case 'int32':
    case 'int64':
      return schema.kind;
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'quantity':
      return 'resource.Quantity';
    case 'time':
      return 'v1.Time';
    case 'microTime':
      return 'v1.MicroTime';
    case 'intOrString':
      return 'intstr.IntOrString';
    case 'any':
      return 'runtime.RawExtension';
    case 'object':
      return `v1.${schema.name}`;
    case 'array':
      return `[]${goTypeName(schema.items)}`;
    case 'map':
      return `map[string]${goTypeName(schema.values)}`;
  }
}

/** Go struct field name of a JSON field. */
export function goFieldName(jsonName: string, schema: Schema): string {
  if (schema.goName !== undefined) return schema.goName;
  return jsonName.charAt(0).toUpperCase() + jsonName.slice(1);
}

function scalarText(value: JsonValue): string {
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goFormatFloat(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return 'nil';
}

/**
 * Go's `%#v` of a value of the schema's type: `map[string]string{"a":"b"}`,
 * `v1.LabelSelector{MatchLabels:map[string]string{...}, MatchExpressions:[]v1.X(nil)}`.
 * Pointers to structs print as `(*T)(nil)` when absent; set pointers have no stable address
 * upstream either, so they print as the pointed-to value.
 */
export function goValueText(schema: Schema, value: JsonValue | undefined): string {
  const type = goTypeName(schema);
  switch (schema.kind) {
    case 'array': {
      if (!Array.isArray(value)) return `${type}(nil)`;
      const items = value.map((item) => goValueText(schema.items, item));
      return `${type}{${items.join(', ')}}`;
    }
    case 'map': {
      if (!isObject(value)) return `${type}(nil)`;
      const entries = Object.keys(value)
        .sort(compareGoStrings)
        .map((key) => `${goQuote(key)}:${goValueText(schema.values, value[key])}`);
      return `${type}{${entries.join(', ')}}`;
    }
    case 'object': {
      if (!isObject(value)) return `(*${type})(nil)`;
      const parts = Object.entries(schema.fields).map(
        ([name, child]) => `${goFieldName(name, child)}:${goValueText(child, value[name])}`,
      );
      return `${type}{${parts.join(', ')}}`;
    }
    case 'string':
    case 'time':
    case 'microTime':
    case 'quantity':
      return goQuote(typeof value === 'string' ? value : value === undefined ? '' : String(value));
    case 'int32':
    case 'int64':
    case 'number':
      return typeof value === 'number' ? goFormatFloat(value) : '0';
    case 'boolean':
      return value === true ? 'true' : 'false';
    case 'intOrString':
    case 'any':
      return value === undefined ? 'nil' : scalarText(value);
  }
}
