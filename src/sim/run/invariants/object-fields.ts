// What the invariant checks read from stored objects, and the store key prefixes they watch.
import { findResource } from '../../../control/api/registry.js';
import { collectionPrefix } from '../../../control/apiserver/context.js';
import type { JsonValue, StoredObject } from '../../../control/store/types.js';
import { assert } from '../../../control/util/assert.js';

function field(object: JsonValue | undefined, key: string): JsonValue | undefined {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return undefined;
  return (object as { readonly [k: string]: JsonValue })[key];
}

function text(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** metadata.resourceVersion ('' when absent). */
export function resourceVersionOf(object: JsonValue | undefined): string {
  return text(field(field(object, 'metadata'), 'resourceVersion'));
}

export function uidOf(object: JsonValue | undefined): string {
  return text(field(field(object, 'metadata'), 'uid'));
}

/** `namespace/name`, the scheduler's pod key. */
export function namespacedNameOf(object: JsonValue | undefined): string {
  const metadata = field(object, 'metadata');
  return `${text(field(metadata, 'namespace'))}/${text(field(metadata, 'name'))}`;
}

export function nameOf(object: JsonValue | undefined): string {
  return text(field(field(object, 'metadata'), 'name'));
}

export function kindOf(object: JsonValue | undefined): string {
  return text(field(object, 'kind'));
}

/** spec.nodeName of a pod ('' when unbound or absent). */
export function nodeNameOf(pod: JsonValue | undefined): string {
  return text(field(field(pod, 'spec'), 'nodeName'));
}

/** The kubelet has reported the pod (it sets status.startTime when it admits or rejects it). */
export function hasStartTime(pod: JsonValue | undefined): boolean {
  return text(field(field(pod, 'status'), 'startTime')) !== '';
}

/** The resourceVersion as a revision number; NaN when it is not a decimal integer. */
export function revisionOf(object: JsonValue | undefined): number {
  const rv = resourceVersionOf(object);
  return /^\d{1,16}$/.test(rv) ? Number(rv) : Number.NaN;
}

/** Store key prefixes of every pod and every node. */
export function storePrefixes(): { pods: string; nodes: string } {
  const pods = findResource('', 'v1', 'pods');
  const nodes = findResource('', 'v1', 'nodes');
  assert(pods !== undefined && nodes !== undefined, 'pods and nodes are registered');
  return { pods: collectionPrefix(pods, ''), nodes: collectionPrefix(nodes, '') };
}

/** A short description of a stored object for messages: `Pod default/web-1`. */
export function describeObject(object: StoredObject | undefined): string {
  if (object === undefined) return 'nothing';
  const namespace = text(field(field(object, 'metadata'), 'namespace'));
  const name = nameOf(object);
  return `${kindOf(object) || 'object'} ${namespace === '' ? name : `${namespace}/${name}`}`;
}
