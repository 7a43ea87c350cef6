// coordination.k8s.io/v1 Lease: node heartbeats and leader election (MicroTime timestamps).

import type { JsonObject } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import { invalidError } from '../schema/field-errors.js';
import { childPath, numberAt } from '../schema/json.js';
import type { ObjectSchema, ValidationContext } from '../schema/schema.js';
import { int32, microTime, obj, ref, str, strKnown } from '../schema/schema.js';
import { metadataField, typeMetaFields } from './meta.js';
import { ageColumn, fieldColumn, nameColumn } from './printing.js';
import type { ResourceDeclaration } from './resource.js';

export const leaseSpecSchema = obj(
  'LeaseSpec',
  'Desired state of a lease.',
  {
    holderIdentity: str('Current holder.'),
    leaseDurationSeconds: int32('Seconds candidates wait before taking the lease over.'),
    acquireTime: microTime('When the current holder acquired the lease.'),
    renewTime: microTime('When the holder last renewed the lease.'),
    leaseTransitions: int32('Number of holder changes.'),
    strategy: strKnown(['OldestEmulationVersion'], 'Coordinated leader election strategy.'),
    preferredHolder: str('Holder the coordinator prefers.'),
  },
  { hooks: { validate: validateLeaseSpec } },
);

export const leaseSchema: ObjectSchema = obj(
  'Lease',
  'A lease: a holder identity renewed at intervals.',
  {
    ...typeMetaFields(),
    metadata: metadataField(),
    spec: ref(leaseSpecSchema, 'Desired state of the lease.', { default: {} }),
  },
  {
    root: {
      group: 'coordination.k8s.io',
      version: 'v1',
      kind: 'Lease',
      scope: 'Namespaced',
      nameFormat: 'dns1123-subdomain',
    },
  },
);

/** ValidateLeaseSpec. */
function validateLeaseSpec(spec: JsonObject, ctx: ValidationContext): FieldError[] {
  const errors: FieldError[] = [];
  const duration = numberAt(spec, 'leaseDurationSeconds');
  if (duration !== undefined && duration <= 0) {
    const path = childPath(ctx.path, 'leaseDurationSeconds');
    errors.push(invalidError(path, duration, 'must be greater than 0'));
  }
  const transitions = numberAt(spec, 'leaseTransitions');
  if (transitions !== undefined && transitions < 0) {
    const path = childPath(ctx.path, 'leaseTransitions');
    errors.push(invalidError(path, transitions, 'must be greater than or equal to 0'));
  }
  return errors;
}

export const leaseResource: ResourceDeclaration = {
  schema: leaseSchema,
  plural: 'leases',
  singular: 'lease',
  shortNames: [],
  categories: [],
  subresources: [],
  statusFields: [],
  fieldLabels: {},
  printerColumns: [
    nameColumn(),
    fieldColumn('Holder', ['spec', 'holderIdentity'], 'Holder identity of the lease.'),
    ageColumn(),
  ],
  tracksGeneration: false,
};
