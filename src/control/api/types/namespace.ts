// core/v1 Namespace: finalizers, phase, and its create-time `kubernetes` finalizer.

import type { JsonObject } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import { invalidError } from '../schema/field-errors.js';
import { arrayAt, childPath, objectAt, stringAt, withField } from '../schema/json.js';
import type { DefaultingContext, ObjectSchema, ValidationContext } from '../schema/schema.js';
import { arr, obj, ref, str, strKnown, stringList, time } from '../schema/schema.js';
import { validateLabelKey } from '../values/labels.js';
import { metadataField, typeMetaFields } from './meta.js';
import { ageColumn, fieldColumn, nameColumn } from './printing.js';
import type { ResourceDeclaration } from './resource.js';

/** The finalizer the namespace controller removes once the namespace is empty. */
export const kubernetesFinalizer = 'kubernetes';
/** Label every named namespace carries (SetDefaults_Namespace). */
export const namespaceNameLabel = 'kubernetes.io/metadata.name';

export const namespaceSpecSchema = obj(
  'NamespaceSpec',
  'Desired state of a namespace.',
  {
    finalizers: stringList('Must be empty before the namespace is removed.', {
      goType: '[]v1.FinalizerName',
    }),
  },
  { hooks: { validate: validateFinalizers } },
);

export const namespaceSchema: ObjectSchema = obj(
  'Namespace',
  'A scope for names.',
  {
    ...typeMetaFields(),
    metadata: metadataField(),
    spec: ref(namespaceSpecSchema, 'Desired state of the namespace.', { default: {} }),
    status: ref(
      obj('NamespaceStatus', 'Observed state of a namespace.', {
        phase: strKnown(['Active', 'Terminating'], 'Active or Terminating.', {
          default: 'Active',
          zeroIsUnset: true,
          goType: 'v1.NamespacePhase',
        }),
        conditions: arr(
          obj('NamespaceCondition', 'A condition of a namespace.', {
            type: str('Condition type.', { required: true }),
            status: str('True, False or Unknown.', { required: true }),
            lastTransitionTime: time('Last time the status changed.'),
            reason: str('Machine-readable reason.'),
            message: str('Human-readable details.'),
          }),
          'Current conditions.',
          {
            patchStrategy: 'merge',
            patchMergeKey: 'type',
            listType: 'map',
            listMapKeys: ['type'],
          },
        ),
      }),
      'Observed state of the namespace.',
      { default: {} },
    ),
  },
  {
    hooks: { defaults: defaultNamespace },
    root: {
      group: '',
      version: 'v1',
      kind: 'Namespace',
      scope: 'Cluster',
      nameFormat: 'dns1123-label',
    },
  },
);

/**
 * SetDefaults_Namespace (name label, every write) and, on create, the `kubernetes` finalizer
 * of the namespace strategy's PrepareForCreate (never re-added later: /finalize removes it).
 */
function defaultNamespace(namespace: JsonObject, ctx: DefaultingContext): JsonObject {
  let next = namespace;
  const metadata = objectAt(next, 'metadata');
  const name = stringAt(metadata, 'name') ?? '';
  if (metadata !== undefined && name !== '') {
    const labels = objectAt(metadata, 'labels') ?? {};
    if (labels[namespaceNameLabel] !== name) {
      const nextLabels = { ...labels, [namespaceNameLabel]: name };
      next = withField(next, 'metadata', withField(metadata, 'labels', nextLabels));
    }
  }
  if (ctx.operation !== 'create') return next;
  const spec = objectAt(next, 'spec') ?? {};
  const finalizers = arrayAt(spec, 'finalizers');
  if (finalizers.includes(kubernetesFinalizer)) return next;
  return withField(next, 'spec', { ...spec, finalizers: [...finalizers, kubernetesFinalizer] });
}

/** validateFinalizerName: errors are reported at spec.finalizers itself. */
function validateFinalizers(spec: JsonObject, ctx: ValidationContext): FieldError[] {
  const path = childPath(ctx.path, 'finalizers');
  const errors: FieldError[] = [];
  for (const finalizer of arrayAt(spec, 'finalizers')) {
    if (typeof finalizer !== 'string') continue;
    for (const detail of validateLabelKey(finalizer))
      errors.push(invalidError(path, finalizer, detail));
    if (!finalizer.includes('/') && finalizer !== kubernetesFinalizer) {
      const detail = 'name is neither a standard finalizer name nor is it fully qualified';
      errors.push(invalidError(path, finalizer, detail));
    }
  }
  return errors;
}

export const namespaceResource: ResourceDeclaration = {
  schema: namespaceSchema,
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  categories: [],
  subresources: ['finalize', 'status'],
  statusFields: ['status'],
  fieldLabels: { 'status.phase': (ns) => stringAt(objectAt(ns, 'status'), 'phase') ?? '' },
  printerColumns: [
    nameColumn(),
    fieldColumn('Status', ['status', 'phase'], 'The status of the namespace'),
    ageColumn(),
  ],
  tracksGeneration: false,
};
