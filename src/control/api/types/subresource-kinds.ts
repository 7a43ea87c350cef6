// Kinds that are sent or returned but never stored: Binding, Eviction, Scale, DeleteOptions, Status.

import type { JsonObject } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import { notSupportedError, requiredError } from '../schema/field-errors.js';
import { objectAt, stringAt } from '../schema/json.js';
import type { ObjectSchema } from '../schema/schema.js';
import { arr, bool, int32, int64, obj, ref, str, strEnum, stringList } from '../schema/schema.js';
import { listMetaSchema, metadataField, typeMetaFields } from './meta.js';
import { objectReferenceSchema } from './object-reference.js';

export const deleteOptionsSchema: ObjectSchema = obj(
  'DeleteOptions',
  'Options of a delete request.',
  {
    ...typeMetaFields(),
    gracePeriodSeconds: int64('Seconds before the object is deleted; 0 deletes at once.'),
    preconditions: obj('Preconditions', 'Must hold for the delete to proceed.', {
      uid: str('Expected UID.', { goName: 'UID' }),
      resourceVersion: str('Expected resource version.'),
    }),
    orphanDependents: bool('Deprecated; use propagationPolicy.'),
    propagationPolicy: strEnum(['Orphan', 'Background', 'Foreground'], 'Garbage collection mode.', {
      goType: 'v1.DeletionPropagation',
    }),
    dryRun: stringList('Dry-run stages; only "All".'),
    ignoreStoreReadErrorWithClusterBreakingPotential: bool('Delete objects that fail to decode.'),
  },
);

export const bindingSchema: ObjectSchema = obj(
  'Binding',
  'Binds a pod to a node (the pods/binding subresource).',
  {
    ...typeMetaFields(),
    metadata: metadataField(),
    target: ref(objectReferenceSchema, 'The node to bind to.'),
  },
  { hooks: { validate: validateBinding } },
);

/** ValidatePodBinding. */
function validateBinding(binding: JsonObject): FieldError[] {
  const target = objectAt(binding, 'target');
  const errors: FieldError[] = [];
  const kind = stringAt(target, 'kind') ?? '';
  if (kind !== '' && kind !== 'Node') errors.push(notSupportedError('target.kind', kind, ['Node']));
  if ((stringAt(target, 'name') ?? '') === '') errors.push(requiredError('target.name'));
  return errors;
}

export const evictionSchema: ObjectSchema = obj(
  'Eviction',
  'Evicts a pod, honouring disruption budgets (the pods/eviction subresource).',
  {
    ...typeMetaFields(),
    metadata: metadataField(),
    deleteOptions: ref(deleteOptionsSchema, 'Options of the resulting delete.'),
  },
);

export const scaleSchema: ObjectSchema = obj(
  'Scale',
  'The replica count of a scalable resource (the scale subresource).',
  {
    ...typeMetaFields(),
    metadata: metadataField(),
    spec: obj('ScaleSpec', 'Desired scale.', {
      replicas: int32('Desired number of replicas.', { minimum: 0 }),
    }),
    status: obj('ScaleStatus', 'Observed scale.', {
      replicas: int32('Actual number of replicas.'),
      selector: str('Label selector of the pods, in string form.'),
    }),
  },
  {
    root: {
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      scope: 'Namespaced',
      nameFormat: 'dns1123-subdomain',
    },
  },
);

export const statusCauseSchema = obj('StatusCause', 'One cause of a failure.', {
  reason: str('Machine-readable cause, e.g. FieldValueRequired.'),
  message: str('Human-readable description.'),
  field: str('Field path of the cause.'),
});

export const statusSchema: ObjectSchema = obj(
  'Status',
  'Result of an operation that returns no object.',
  {
    ...typeMetaFields(),
    metadata: ref(listMetaSchema, 'Standard list metadata.'),
    status: str('Success or Failure.'),
    message: str('Human-readable description.'),
    reason: str('Machine-readable reason, e.g. NotFound.', { goType: 'v1.StatusReason' }),
    details: obj('StatusDetails', 'Details about the failure.', {
      name: str('Name of the object.'),
      group: str('Group of the object.'),
      kind: str('Kind (or resource) of the object.'),
      uid: str('UID of the object.', { goName: 'UID' }),
      causes: arr(statusCauseSchema, 'Causes of the failure.', { listType: 'atomic' }),
      retryAfterSeconds: int32('Seconds to wait before retrying.'),
    }),
    code: int32('HTTP status code.'),
  },
);
