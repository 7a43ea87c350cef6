// meta/v1 types: ObjectMeta, ListMeta, OwnerReference, LabelSelector, ManagedFieldsEntry, Condition.

import type { JsonObject, JsonValue } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import {
  forbiddenError,
  invalidError,
  requiredError,
  tooLongError,
} from '../schema/field-errors.js';
import { goValueText } from '../schema/go-value.js';
import { arrayAt, childPath, isObject, objectAt, stringAt } from '../schema/json.js';
import type { NameFormat, ObjectSchema, Schema, ValidationContext } from '../schema/schema.js';
import {
  arr,
  bool,
  int64,
  obj,
  ref,
  str,
  strEnum,
  stringList,
  stringMap,
  time,
  anyJson,
} from '../schema/schema.js';
import { validateLabelKey } from '../values/labels.js';
import { validateLabelMap } from './label-selector.js';
import {
  validateDns1035Label,
  validateDns1123Label,
  validateDns1123Subdomain,
} from '../values/names.js';
import { goStringSlice, utf8ByteLength } from '../values/go-format.js';
import { semanticEqual } from '../schema/semantic-equal.js';

/** apimachinery TotalAnnotationSizeLimitB. */
export const annotationsSizeLimitBytes = 256 * 1024;

export const ownerReferenceSchema = obj(
  'OwnerReference',
  'A reference to an owning object in the same namespace (or a cluster-scoped owner).',
  {
    apiVersion: str('API version of the owner.', { goName: 'APIVersion' }),
    kind: str('Kind of the owner.'),
    name: str('Name of the owner.'),
    uid: str('UID of the owner.', { goName: 'UID' }),
    controller: bool('True when the owner is the managing controller; at most one may be.'),
    blockOwnerDeletion: bool('When true, foreground deletion of the owner waits for this object.'),
  },
);

export const managedFieldsEntrySchema = obj(
  'ManagedFieldsEntry',
  'Which fields a manager owns (server-side apply bookkeeping).',
  {
    manager: str('Identifier of the workflow managing the fields.'),
    operation: str('Operation that set the fields: Apply or Update.'),
    apiVersion: str('Version of the fields.', { goName: 'APIVersion' }),
    time: time('When the entry was last changed.'),
    fieldsType: str('Format of fieldsV1; only "FieldsV1".'),
    fieldsV1: anyJson('The owned field set.'),
    subresource: str('Subresource the fields were written through.'),
  },
);

export const objectMetaSchema: ObjectSchema = obj(
  'ObjectMeta',
  'Metadata every persisted object has.',
  {
    name: str('Unique name within the namespace.'),
    generateName: str('Prefix for a server-generated name when name is empty.'),
    namespace: str('Namespace of the object; empty for cluster-scoped kinds.'),
    selfLink: str('Deprecated; not set.'),
    uid: str('Unique id, set by the server on create.', { goName: 'UID' }),
    resourceVersion: str('Opaque version for optimistic concurrency and watches.'),
    generation: int64('Sequence number of the desired state, set by the server.', {
      minimum: 0,
    }),
    creationTimestamp: time('When the object was created, set by the server.'),
    deletionTimestamp: time('When graceful deletion was requested; set by the server.'),
    deletionGracePeriodSeconds: int64('Seconds allowed for graceful termination.'),
    labels: stringMap('Labels used by selectors.'),
    annotations: stringMap('Arbitrary non-identifying metadata.'),
    ownerReferences: arr(ownerReferenceSchema, 'Objects this object depends on.', {
      patchStrategy: 'merge',
      patchMergeKey: 'uid',
      listType: 'map',
      listMapKeys: ['uid'],
    }),
    finalizers: stringList('Entries that must be removed before the object is deleted.', {
      patchStrategy: 'merge',
      listType: 'set',
    }),
    managedFields: arr(managedFieldsEntrySchema, 'Field ownership of managers.', {
      listType: 'atomic',
    }),
  },
  { hooks: { validate: validateObjectMeta, validateUpdate: validateObjectMetaUpdate } },
);

export const listMetaSchema = obj('ListMeta', 'Metadata of a list.', {
  selfLink: str('Deprecated; not set.'),
  resourceVersion: str('Revision the list was read at.'),
  continue: str('Token to fetch the next page.'),
  remainingItemCount: int64('Objects not yet returned when the list was cut.'),
});

/** metav1.Condition (used by Service status). */
export const conditionSchema = obj('Condition', 'A standard status condition.', {
  type: str('Condition type in CamelCase.', { required: true }),
  status: strEnum(['True', 'False', 'Unknown'], 'True, False or Unknown.', {
    required: true,
    goType: 'v1.ConditionStatus',
  }),
  observedGeneration: int64('Generation the condition was set for.'),
  lastTransitionTime: time('Last time the status changed.', { required: true }),
  reason: str('Machine-readable reason in CamelCase.', { required: true }),
  message: str('Human-readable details.'),
});

/** The `apiVersion` and `kind` fields every object carries. */
export function typeMetaFields(): Record<string, ReturnType<typeof str>> {
  return {
    apiVersion: str('Versioned schema of this representation.', { goName: 'APIVersion' }),
    kind: str('Kind of this representation.'),
  };
}

/** The `metadata` field of a top-level object. */
export function metadataField(): ObjectSchema {
  return ref(objectMetaSchema, 'Standard object metadata.');
}

function validateAnnotations(value: JsonValue | undefined, path: string): FieldError[] {
  if (!isObject(value)) return [];
  const errors: FieldError[] = [];
  let size = 0;
  for (const [key, annotation] of Object.entries(value)) {
    for (const detail of validateLabelKey(key.toLowerCase())) {
      errors.push(invalidError(path, key, detail));
    }
    size += utf8ByteLength(key) + (typeof annotation === 'string' ? utf8ByteLength(annotation) : 0);
  }
  if (size > annotationsSizeLimitBytes) errors.push(tooLongError(path, annotationsSizeLimitBytes));
  return errors;
}

/** schema.FromAPIVersionAndKind's version: empty when the apiVersion does not parse. */
function versionOf(apiVersion: string): string {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return apiVersion;
  return parts.length === 2 ? (parts[1] as string) : '';
}

function validateOwnerReference(ref: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const apiVersion = stringAt(ref, 'apiVersion') ?? '';
  const kind = stringAt(ref, 'kind') ?? '';
  const name = stringAt(ref, 'name') ?? '';
  const uid = stringAt(ref, 'uid') ?? '';
  if (versionOf(apiVersion) === '') {
    errors.push(
      invalidError(childPath(path, 'apiVersion'), apiVersion, 'version must not be empty'),
    );
  }
  if (kind === '')
    errors.push(invalidError(childPath(path, 'kind'), kind, 'kind must not be empty'));
  if (name === '')
    errors.push(invalidError(childPath(path, 'name'), name, 'name must not be empty'));
  if (uid === '') errors.push(invalidError(childPath(path, 'uid'), uid, 'uid must not be empty'));
  if (apiVersion === 'v1' && kind === 'Event') {
    const text = goValueText(ownerReferenceSchema, ref);
    errors.push(invalidError(path, ref, '/v1, Kind=Event is disallowed from being an owner', text));
  }
  return errors;
}

function validateOwnerReferences(meta: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  let firstController: string | undefined;
  const refs = arrayAt(meta, 'ownerReferences');
  for (const ref of refs) {
    if (!isObject(ref)) continue;
    errors.push(...validateOwnerReference(ref, path));
    if (ref.controller !== true) continue;
    const current = `${stringAt(ref, 'kind') ?? ''}/${stringAt(ref, 'name') ?? ''}`;
    if (firstController === undefined) firstController = current;
    else {
      const detail = `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`;
      const text = goValueText(objectMetaSchema.fields.ownerReferences as Schema, refs);
      errors.push(invalidError(path, refs, detail, text));
    }
  }
  return errors;
}

function validateFinalizers(meta: JsonObject, path: string): FieldError[] {
  const finalizers = arrayAt(meta, 'finalizers').filter((f): f is string => typeof f === 'string');
  const errors: FieldError[] = [];
  for (const finalizer of finalizers) {
    for (const detail of validateLabelKey(finalizer)) {
      errors.push(invalidError(path, finalizer, detail));
    }
  }
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    const detail = 'finalizer orphan and foregroundDeletion cannot be both set';
    errors.push(invalidError(path, finalizers, detail, goStringSlice(finalizers)));
  }
  return errors;
}

/** apimachinery maskTrailingDash (quirk kept: it drops two characters before adding "a"). */
function maskTrailingDash(name: string): string {
  if (name.length > 1 && name.endsWith('-')) return `${name.slice(0, -2)}a`;
  return name;
}

/** Upstream ValidateNameFunc for a kind's name format. */
export function validateName(format: NameFormat, name: string, prefix: boolean): string[] {
  const value = prefix ? maskTrailingDash(name) : name;
  switch (format) {
    case 'dns1123-subdomain':
      return validateDns1123Subdomain(value);
    case 'dns1123-label':
      return validateDns1123Label(value);
    case 'dns1035-label':
      return validateDns1035Label(value);
    case 'none':
      return [];
  }
}

function validateIdentity(meta: JsonObject, ctx: ValidationContext): FieldError[] {
  const kind = ctx.kind;
  if (kind === undefined) return [];
  const errors: FieldError[] = [];
  const generateName = stringAt(meta, 'generateName') ?? '';
  const name = stringAt(meta, 'name') ?? '';
  const namespace = stringAt(meta, 'namespace') ?? '';
  const path = ctx.path;
  for (const detail of generateName === ''
    ? []
    : validateName(kind.nameFormat, generateName, true)) {
    errors.push(invalidError(childPath(path, 'generateName'), generateName, detail));
  }
  if (name === '') {
    // Upstream validates after generating the name; here a generateName alone is enough.
    if (generateName === '') {
      errors.push(requiredError(childPath(path, 'name'), 'name or generateName is required'));
    }
  } else {
    for (const detail of validateName(kind.nameFormat, name, false)) {
      errors.push(invalidError(childPath(path, 'name'), name, detail));
    }
  }
  if (kind.scope === 'Namespaced') {
    if (namespace === '') errors.push(requiredError(childPath(path, 'namespace')));
    for (const detail of namespace === '' ? [] : validateDns1123Label(namespace)) {
      errors.push(invalidError(childPath(path, 'namespace'), namespace, detail));
    }
  } else if (namespace !== '') {
    errors.push(forbiddenError(childPath(path, 'namespace'), 'not allowed on this type'));
  }
  return errors;
}

/** Whether this ObjectMeta is the object's own metadata (not a template's). */
function isRootMetadata(ctx: ValidationContext): boolean {
  return ctx.kind !== undefined && ctx.path === 'metadata';
}

function validateObjectMeta(meta: JsonObject, ctx: ValidationContext): FieldError[] {
  const path = ctx.path;
  return [
    ...(isRootMetadata(ctx) ? validateIdentity(meta, ctx) : []),
    ...validateLabelMap(meta.labels, childPath(path, 'labels')),
    ...validateAnnotations(meta.annotations, childPath(path, 'annotations')),
    ...validateOwnerReferences(meta, childPath(path, 'ownerReferences')),
    ...validateFinalizers(meta, childPath(path, 'finalizers')),
  ];
}

const immutableMetaFields = [
  'name',
  'namespace',
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

function validateObjectMetaUpdate(
  meta: JsonObject,
  old: JsonObject,
  ctx: ValidationContext,
): FieldError[] {
  if (!isRootMetadata(ctx)) return [];
  const errors: FieldError[] = [];
  const path = ctx.path;
  if (old.deletionTimestamp !== undefined && old.deletionTimestamp !== null) {
    const before = new Set(arrayAt(old, 'finalizers'));
    const added = arrayAt(meta, 'finalizers').filter((f): f is string => typeof f === 'string');
    const extra = [...new Set(added.filter((f) => !before.has(f)))].sort();
    if (extra.length > 0) {
      const detail = `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra)}`;
      errors.push(forbiddenError(childPath(path, 'finalizers'), detail));
    }
  }
  const generation = typeof meta.generation === 'number' ? meta.generation : 0;
  const oldGeneration = typeof old.generation === 'number' ? old.generation : 0;
  if (generation < oldGeneration) {
    errors.push(invalidError(childPath(path, 'generation'), generation, 'must not be decremented'));
  }
  for (const key of immutableMetaFields) {
    const schema = objectMetaSchema.fields[key];
    if (schema === undefined || semanticEqual(schema, meta[key], old[key])) continue;
    const shown = meta[key] ?? '';
    errors.push(invalidError(childPath(path, key), shown, 'field is immutable'));
  }
  return errors;
}

/** The metadata object of a value (empty when absent). */
export function metadataOf(object: JsonValue | undefined): JsonObject {
  return objectAt(object, 'metadata') ?? {};
}
