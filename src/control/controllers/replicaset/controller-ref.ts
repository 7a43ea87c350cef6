// ControllerRef helpers (apimachinery metav1 controller_ref.go and the patches of
// pkg/controller/controller_ref_manager.go): who controls an object, whether a controller may
// claim it, and the strategic merge patches that adopt or release it. Pure; shared by the
// ReplicaSet controller (pods) and the Deployment controller (ReplicaSets).

import type { KubeObject } from '../../client/types.js';
import { isBeingDeleted, recordAt, uidOf } from './pod-fields.js';

/** meta/v1 OwnerReference. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** A controller's API type, e.g. `{ apiVersion: 'apps/v1', kind: 'ReplicaSet' }`. */
export interface ControllerKind {
  apiVersion: string;
  kind: string;
}

function ownerReferenceOf(value: unknown): OwnerReference {
  const record = recordAt(value);
  const text = (field: string): string => {
    const value = record[field];
    return typeof value === 'string' ? value : '';
  };
  const reference: OwnerReference = {
    apiVersion: text('apiVersion'),
    kind: text('kind'),
    name: text('name'),
    uid: text('uid'),
  };
  if (typeof record.controller === 'boolean') reference.controller = record.controller;
  if (typeof record.blockOwnerDeletion === 'boolean') {
    reference.blockOwnerDeletion = record.blockOwnerDeletion;
  }
  return reference;
}

/** metadata.ownerReferences, read defensively (copies; the object is not touched). */
export function ownerReferencesOf(object: KubeObject): OwnerReference[] {
  const references = object.metadata.ownerReferences;
  return Array.isArray(references) ? references.map(ownerReferenceOf) : [];
}

/** metav1.GetControllerOf: the first owner reference with controller=true, or undefined. */
export function getControllerOf(object: KubeObject): OwnerReference | undefined {
  return ownerReferencesOf(object).find((reference) => reference.controller === true);
}

/** metav1.IsControlledBy: the object's controller reference names `owner`'s UID. */
export function isControlledBy(object: KubeObject, owner: KubeObject): boolean {
  const reference = getControllerOf(object);
  return reference !== undefined && reference.uid === uidOf(owner);
}

/** Whether two controller references are the same (reflect.DeepEqual of the pointers). */
export function sameControllerRef(
  a: OwnerReference | undefined,
  b: OwnerReference | undefined,
): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    a.name === b.name &&
    a.uid === b.uid &&
    a.controller === b.controller &&
    a.blockOwnerDeletion === b.blockOwnerDeletion
  );
}

/** metav1.NewControllerRef: controller=true and blockOwnerDeletion=true. */
export function newControllerRef(owner: KubeObject, kind: ControllerKind): OwnerReference {
  return {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    name: owner.metadata.name ?? '',
    uid: uidOf(owner),
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * What a controller does with one object it lists (BaseControllerRefManager.ClaimObject):
 * - `claimed`: it already controls the object and its selector matches;
 * - `adopt`: an orphan that matches, not being deleted, in the controller's namespace, while the
 *   controller is not being deleted;
 * - `release`: it controls the object but the selector no longer matches (never while the
 *   controller is being deleted);
 * - `ignore`: anything else (owned by another controller, not matching, …).
 */
export type ClaimDecision = 'claimed' | 'adopt' | 'release' | 'ignore';

/** The claim decision; `matches`: whether the owner's selector (and filters) match the object. */
export function decideClaim(
  owner: KubeObject,
  object: KubeObject,
  options: { matches: boolean },
): ClaimDecision {
  const { matches } = options;
  const reference = getControllerOf(object);
  if (reference !== undefined) {
    if (reference.uid !== uidOf(owner)) return 'ignore';
    if (matches) return 'claimed';
    return isBeingDeleted(owner) ? 'ignore' : 'release';
  }
  if (isBeingDeleted(owner) || !matches || isBeingDeleted(object)) return 'ignore';
  const namespace = owner.metadata.namespace ?? '';
  if (namespace !== '' && namespace !== (object.metadata.namespace ?? '')) return 'ignore';
  return 'adopt';
}

/**
 * The strategic merge patch that adopts an object: adds the controller reference (merged by
 * uid) and names the object's UID, as upstream's ownerRefControllerPatch.
 */
export function adoptionPatch(
  reference: OwnerReference,
  objectUid: string,
): Record<string, unknown> {
  return { metadata: { ownerReferences: [{ ...reference }], uid: objectUid } };
}

/**
 * The strategic merge patch that releases an object (GenerateDeleteOwnerRefStrategicMergeBytes):
 * deletes the owner reference with `ownerUid` and names the object's UID.
 */
export function releasePatch(ownerUid: string, objectUid: string): Record<string, unknown> {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUid }], uid: objectUid } };
}
