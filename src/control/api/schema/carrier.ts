// Engine entry points accept a root schema or anything carrying one (a registry ResourceType).

import type { ObjectSchema } from './schema.js';

export type SchemaCarrier = ObjectSchema | { readonly schema: ObjectSchema };

export function schemaOf(type: SchemaCarrier): ObjectSchema {
  return 'fields' in type && type.kind === 'object'
    ? type
    : (type as { schema: ObjectSchema }).schema;
}
