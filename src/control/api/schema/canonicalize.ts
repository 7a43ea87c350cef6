// Canonical stored form: quantities as upstream serialises them, times at their API precision.
//
// Quantities go through canonicalizeQuantityString (what ParseQuantity + MarshalJSON yields);
// fields marked `roundUpToMilli` (upstream SetDefaults_ResourceList) are first rounded up to a
// whole milli-unit. metav1.Time is rewritten to UTC seconds and MicroTime to UTC with six
// fractional digits unless already in that form. Values that do not parse are left alone
// (decoding rejects them first).

import type { JsonObject, JsonValue } from '../../store/types.js';
import {
  canonicalizeQuantityString,
  formatQuantity,
  parseQuantity,
  quantityFromMillis,
  quantityMilliValue,
} from '../values/quantity.js';
import { formatMicroTime, formatTime, parseMicroTime, parseTime } from '../values/time.js';
import { schemaOf, type SchemaCarrier } from './carrier.js';
import { isObject, withField } from './json.js';
import type { Schema } from './schema.js';

const int64Max = (1n << 63n) - 1n;
const canonicalTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const canonicalMicroTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

function roundedUp(text: string): string | undefined {
  const parsed = parseQuantity(text);
  if (parsed === undefined || parsed.scale <= 3) return undefined;
  const millis = quantityMilliValue(parsed);
  if (millis > int64Max || millis < -int64Max) return undefined;
  return formatQuantity(quantityFromMillis(millis, parsed.format));
}

function canonicalQuantity(schema: Schema, value: JsonValue): JsonValue {
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  const text = typeof value === 'string' ? value.trim() : JSON.stringify(value);
  const rounded = schema.roundUpToMilli === true ? roundedUp(text) : undefined;
  return rounded ?? canonicalizeQuantityString(text) ?? value;
}

function canonicalTimeText(schema: Schema, value: JsonValue): JsonValue {
  if (typeof value !== 'string') return value;
  if (schema.kind === 'microTime') {
    if (canonicalMicroTime.test(value)) return value;
    const ms = parseMicroTime(value);
    return ms === undefined ? value : formatMicroTime(ms);
  }
  if (canonicalTime.test(value)) return value;
  const ms = parseTime(value);
  return ms === undefined ? value : formatTime(ms);
}

function canonicalEntries(schemaFor: (key: string) => Schema | undefined, value: JsonObject) {
  let next = value;
  for (const key of Object.keys(value)) {
    const schema = schemaFor(key);
    if (schema === undefined) continue;
    const current = value[key] as JsonValue;
    const canonical = canonicalValue(schema, current);
    if (canonical !== current) next = withField(next, key, canonical);
  }
  return next;
}

function canonicalValue(schema: Schema, value: JsonValue): JsonValue {
  switch (schema.kind) {
    case 'quantity':
      return canonicalQuantity(schema, value);
    case 'time':
    case 'microTime':
      return canonicalTimeText(schema, value);
    case 'object':
      if (!isObject(value)) return value;
      return canonicalEntries(
        (key) => (Object.hasOwn(schema.fields, key) ? schema.fields[key] : undefined),
        value,
      );
    case 'map':
      return isObject(value) ? canonicalEntries(() => schema.values, value) : value;
    case 'array': {
      if (!Array.isArray(value)) return value;
      const next = value.map((item) => canonicalValue(schema.items, item));
      return next.some((item, i) => item !== value[i]) ? next : value;
    }
    default:
      return value;
  }
}

/** The object with quantities and times in canonical form; unchanged parts are shared. */
export function canonicalize(type: SchemaCarrier, object: JsonObject): JsonObject {
  const result = canonicalValue(schemaOf(type), object);
  return isObject(result) ? result : object;
}

/** Alias used by the API server. */
export const canonicalizeObject = canonicalize;
