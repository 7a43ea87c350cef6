// The built-in admission plugins driven by the type schemas: defaulting, then validation.
import { applyDefaults, formatFieldError, validateObject } from '../api/index.js';
import { qualifiedKind } from '../api/registry.js';
import type { JsonObject } from '../store/types.js';
import type { AdmissionPlugin } from './admission.js';
import type { Draft } from './json-body.js';
import type { StatusCause } from './status.js';
import { invalid } from './status.js';

/** Fills upstream defaults from the schema (pods, workloads, services, ...). */
export const defaultingPlugin: AdmissionPlugin = {
  name: 'Defaulting',
  admit(attributes) {
    if (attributes.object === undefined) return undefined;
    const operation = attributes.operation === 'CREATE' ? 'create' : 'update';
    const defaulted = applyDefaults(attributes.type, attributes.object as unknown as JsonObject, {
      operation,
    });
    attributes.object = defaulted as unknown as Draft;
    return undefined;
  },
};

/** Rejects objects the schema's validation finds fault with: 422 Invalid with causes. */
export const validationPlugin: AdmissionPlugin = {
  name: 'Validation',
  validate(attributes) {
    if (attributes.object === undefined) return undefined;
    const errors = validateObject(attributes.type, attributes.object as unknown as JsonObject, {
      operation: attributes.operation === 'CREATE' ? 'create' : 'update',
      old: attributes.oldObject,
    });
    if (errors.length === 0) return undefined;
    const messages: string[] = [];
    const causes: StatusCause[] = [];
    for (const e of errors) {
      const message = formatFieldError(e);
      if (messages.includes(message)) continue;
      messages.push(message);
      causes.push({ reason: e.type, message: message.slice(e.field.length + 2), field: e.field });
    }
    return invalid(
      qualifiedKind(attributes.type),
      attributes.type.group,
      attributes.name,
      messages,
      causes,
    );
  },
};

export function defaultAdmissionPlugins(): AdmissionPlugin[] {
  return [defaultingPlugin, validationPlugin];
}
