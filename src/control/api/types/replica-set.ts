// apps/v1 ReplicaSet: keeps a number of pods matching its selector running.

import type { ObjectSchema } from '../schema/schema.js';
import { arr, int32, int64, obj, ref, str, strKnown, time } from '../schema/schema.js';
import { labelSelectorSchema } from './label-selector.js';
import { metadataField, typeMetaFields } from './meta.js';
import { podTemplateSpecSchema } from './pod-spec.js';
import { ageColumn, nameColumn } from './printing.js';
import type { ResourceDeclaration } from './resource.js';
import { integerColumn, validateSelectorAndTemplate, workloadWideColumns } from './workload.js';

const nonNegative = { minimum: 0 };

/** A workload condition (ReplicaSetCondition / DeploymentCondition share the shape). */
export function workloadCondition(name: string, withUpdateTime: boolean): ObjectSchema {
  return obj(name, 'A condition of the workload.', {
    type: str('Condition type.', { required: true }),
    status: strKnown(['True', 'False', 'Unknown'], 'True, False or Unknown.', {
      required: true,
      goType: 'v1.ConditionStatus',
    }),
    ...(withUpdateTime ? { lastUpdateTime: time('Last time the condition was updated.') } : {}),
    lastTransitionTime: time('Last time the status changed.'),
    reason: str('Machine-readable reason.'),
    message: str('Human-readable details.'),
  });
}

export const conditionsOptions = {
  patchStrategy: 'merge',
  patchMergeKey: 'type',
  listType: 'map',
  listMapKeys: ['type'],
} as const;

export const replicaSetSpecSchema: ObjectSchema = obj(
  'ReplicaSetSpec',
  'Desired state of a ReplicaSet.',
  {
    replicas: int32('Desired number of pods.', { default: 1, ...nonNegative }),
    minReadySeconds: int32('Seconds a pod must be ready to count as available.', nonNegative),
    selector: ref(labelSelectorSchema, 'Pods the ReplicaSet owns; immutable.', {
      immutable: true,
    }),
    template: ref(podTemplateSpecSchema, 'Template of the pods to create.'),
  },
  { hooks: { validate: (spec, ctx) => validateSelectorAndTemplate(spec, ctx.path) } },
);

export const replicaSetStatusSchema = obj('ReplicaSetStatus', 'Observed state of a ReplicaSet.', {
  replicas: int32('Number of pods.', nonNegative),
  fullyLabeledReplicas: int32('Pods with all template labels.', nonNegative),
  readyReplicas: int32('Ready pods.', nonNegative),
  availableReplicas: int32('Available pods.', nonNegative),
  observedGeneration: int64('Generation last acted on.', nonNegative),
  conditions: arr(
    workloadCondition('ReplicaSetCondition', false),
    'Conditions.',
    conditionsOptions,
  ),
});

export const replicaSetSchema: ObjectSchema = obj(
  'ReplicaSet',
  'Keeps a number of identical pods running.',
  {
    ...typeMetaFields(),
    metadata: metadataField(),
    spec: ref(replicaSetSpecSchema, 'Desired state.', { default: {} }),
    status: ref(replicaSetStatusSchema, 'Observed state; written by the controller.'),
  },
  {
    root: {
      group: 'apps',
      version: 'v1',
      kind: 'ReplicaSet',
      scope: 'Namespaced',
      nameFormat: 'dns1123-subdomain',
    },
  },
);

export const replicaSetResource: ResourceDeclaration = {
  schema: replicaSetSchema,
  plural: 'replicasets',
  singular: 'replicaset',
  shortNames: ['rs'],
  categories: ['all'],
  subresources: ['scale', 'status'],
  statusFields: ['status'],
  fieldLabels: {},
  printerColumns: [
    nameColumn(),
    integerColumn('Desired', ['spec', 'replicas'], 'Number of desired pods.'),
    integerColumn('Current', ['status', 'replicas'], 'Number of actually running pods.'),
    integerColumn('Ready', ['status', 'readyReplicas'], 'Number of ready pods.'),
    ageColumn(),
    ...workloadWideColumns(),
  ],
  tracksGeneration: true,
};
