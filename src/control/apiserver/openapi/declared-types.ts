// The type declarations as written, to recover a type's own description: a field that uses a
// type through `ref()` carries a copy whose description is the field's, not the type's.

import type { ObjectSchema } from '../../api/schema/schema.js';
import * as container from '../../api/types/container.js';
import * as deployment from '../../api/types/deployment.js';
import * as endpoints from '../../api/types/endpoints.js';
import * as event from '../../api/types/event.js';
import * as labelSelector from '../../api/types/label-selector.js';
import * as lease from '../../api/types/lease.js';
import * as meta from '../../api/types/meta.js';
import * as namespace from '../../api/types/namespace.js';
import * as node from '../../api/types/node.js';
import * as objectReference from '../../api/types/object-reference.js';
import * as podSpec from '../../api/types/pod-spec.js';
import * as podStatus from '../../api/types/pod-status.js';
import * as pod from '../../api/types/pod.js';
import * as priorityClass from '../../api/types/priority-class.js';
import * as probe from '../../api/types/probe.js';
import * as replicaSet from '../../api/types/replica-set.js';
import * as scheduling from '../../api/types/scheduling.js';
import * as service from '../../api/types/service.js';
import * as subresourceKinds from '../../api/types/subresource-kinds.js';
import * as volume from '../../api/types/volume.js';

const modules: readonly Readonly<Record<string, unknown>>[] = [
  container,
  deployment,
  endpoints,
  event,
  labelSelector,
  lease,
  meta,
  namespace,
  node,
  objectReference,
  podSpec,
  podStatus,
  pod,
  priorityClass,
  probe,
  replicaSet,
  scheduling,
  service,
  subresourceKinds,
  volume,
];

function isObjectSchema(value: unknown): value is ObjectSchema {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ObjectSchema>;
  return candidate.kind === 'object' && typeof candidate.name === 'string';
}

/**
 * Own descriptions of the exported object types, keyed by Go name and field table (two types
 * may share a field table, e.g. ConfigMapKeySelector and SecretKeySelector).
 */
export class DeclaredTypes {
  readonly #byName = new Map<string, { fields: object; description: string }[]>();

  constructor() {
    for (const module of modules) {
      for (const value of Object.values(module)) {
        if (!isObjectSchema(value)) continue;
        const list = this.#byName.get(value.name) ?? [];
        list.push({ fields: value.fields, description: value.description ?? '' });
        this.#byName.set(value.name, list);
      }
    }
  }

  /** The description the type was declared with, or undefined when it is not exported. */
  ownDescription(schema: ObjectSchema): string | undefined {
    return this.#byName.get(schema.name)?.find((d) => d.fields === schema.fields)?.description;
  }
}
