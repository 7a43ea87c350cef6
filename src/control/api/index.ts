// Public surface of the API types: the schema engine, the declarations and the registry.

export type {
  ArraySchema,
  DefaultValue,
  FieldOptions,
  KindDeclaration,
  ListType,
  MapSchema,
  MapType,
  NameFormat,
  ObjectHooks,
  ObjectSchema,
  PatchStrategy,
  Schema,
  SchemaMeta,
  StringFormat,
  ValidationContext,
} from './schema/schema.js';
export type { FieldError, FieldErrorType } from './schema/field-errors.js';
export {
  fieldErrorBody,
  formatAggregate,
  formatFieldError,
  formatInvalidMessage,
} from './schema/field-errors.js';
export { findUnknownFields, pruneUnknownFields } from './schema/unknown-fields.js';
export { decodeTypeErrors } from './schema/decode-errors.js';
export type { ApplyDefaultsOptions } from './schema/defaults.js';
export { applyDefaults, applyDefaultsTo } from './schema/defaults.js';
export { canonicalize, canonicalizeObject } from './schema/canonicalize.js';
export type { ValidateOptions } from './schema/validate.js';
export { validateObject, validateValue } from './schema/validate.js';
export { semanticEqual } from './schema/semantic-equal.js';
export { goTypeName } from './schema/go-value.js';
export type { SchemaCarrier } from './schema/carrier.js';

export type { QosClass } from './types/qos.js';
export { computeQosClass } from './types/qos.js';
export { podView } from './types/pod-printer.js';
export { humanDuration } from './types/printing.js';
export { imageTag } from './types/image.js';
export { podSchema } from './types/pod.js';
export { podSpecSchema, podTemplateSpecSchema } from './types/pod-spec.js';
export { containerSchema } from './types/container.js';
export { nodeSchema } from './types/node.js';
export { namespaceSchema, kubernetesFinalizer } from './types/namespace.js';
export { serviceSchema } from './types/service.js';
export { endpointsSchema } from './types/endpoints.js';
export { eventSchema } from './types/event.js';
export { leaseSchema } from './types/lease.js';
export { replicaSetSchema } from './types/replica-set.js';
export { deploymentSchema } from './types/deployment.js';
export { priorityClassSchema, systemPriorityClasses } from './types/priority-class.js';
export {
  bindingSchema,
  deleteOptionsSchema,
  evictionSchema,
  scaleSchema,
  statusSchema,
} from './types/subresource-kinds.js';
export { objectMetaSchema, listMetaSchema } from './types/meta.js';
export { labelSelectorSchema } from './types/label-selector.js';

export type { PrinterColumn, PrinterContext, ResourceType, Subresource } from './registry.js';
export {
  apiGroups,
  findKindSchema,
  findResource,
  findResourceByKind,
  qualifiedKind,
  qualifiedResource,
  resourceTypes,
} from './registry.js';
