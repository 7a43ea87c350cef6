// The core/v1 Event shapes the recorder writes, and building an ObjectReference from an object.

import type { KubeObject, ObjectMeta, ResourceDescriptor } from '../client/types.js';
import { apiVersionOf } from '../client/paths.js';

export type EventType = 'Normal' | 'Warning';

/** core/v1 ObjectReference; empty fields are omitted, as Go's omitempty does. */
export interface EventObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventSource {
  component?: string;
  host?: string;
}

/** A core/v1 Event as the recorder writes it (and the server echoes it). */
export interface CoreEvent extends KubeObject {
  apiVersion: 'v1';
  kind: 'Event';
  metadata: ObjectMeta & { name: string; namespace: string };
  involvedObject: EventObjectReference;
  reason: string;
  message: string;
  source: EventSource;
  /** metav1.Time text (RFC 3339, seconds). */
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  type: string;
  reportingComponent: string;
  reportingInstance: string;
}

/** What a repeat changes on the stored event (upstream sends it as a strategic merge patch). */
export interface EventPatch {
  count: number;
  lastTimestamp: string;
  /** Absent when the message is empty (the two-way diff upstream computes leaves it out). */
  message?: string;
}

const referenceFields = [
  'kind',
  'namespace',
  'name',
  'uid',
  'apiVersion',
  'resourceVersion',
  'fieldPath',
] as const;

/** The reference with empty or missing fields dropped (field order fixed). */
export function compactReference(reference: EventObjectReference): EventObjectReference {
  const out: EventObjectReference = {};
  for (const field of referenceFields) {
    const value = reference[field];
    if (typeof value === 'string' && value !== '') out[field] = value;
  }
  return out;
}

/**
 * client-go's reference.GetReference: kind, apiVersion, name, namespace, uid and
 * resourceVersion of `object`. Objects read from lists carry no kind/apiVersion: pass their
 * `resource` (a descriptor with `kind`) to fill them in. `fieldPath` names a part of the object,
 * e.g. `spec.containers{web}` (GetPartialReference).
 */
export function objectReference(
  object: KubeObject,
  options: { resource?: ResourceDescriptor; fieldPath?: string } = {},
): EventObjectReference {
  const { resource, fieldPath } = options;
  const meta = object.metadata;
  return compactReference({
    kind: object.kind ?? resource?.kind,
    namespace: meta.namespace,
    name: meta.name,
    uid: meta.uid,
    apiVersion: object.apiVersion ?? (resource === undefined ? undefined : apiVersionOf(resource)),
    resourceVersion: meta.resourceVersion,
    fieldPath,
  });
}
