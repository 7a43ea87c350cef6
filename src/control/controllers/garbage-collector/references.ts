// Owner references, object identities and the metadata patches of the garbage collector
// (pkg/controller/garbagecollector: objectReference, referencesDiffs, the patch builders).
import { compareGoStrings } from '../../api/values/go-format.js';
import type { KubeObject } from '../../client/types.js';

/** The finalizer of an owner deleted with propagationPolicy Foreground. */
export const foregroundFinalizer = 'foregroundDeletion';
/** The finalizer of an owner deleted with propagationPolicy Orphan. */
export const orphanFinalizer = 'orphan';

/** metadata.ownerReferences[i], as the graph keeps it. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Who an object is: an owner reference's coordinates plus the namespace ('' if cluster). */
export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  namespace: string;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function toOwnerReference(value: unknown): OwnerReference | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const raw = value as Record<string, unknown>;
  const ref: OwnerReference = {
    apiVersion: text(raw.apiVersion),
    kind: text(raw.kind),
    name: text(raw.name),
    uid: text(raw.uid),
  };
  if (typeof raw.controller === 'boolean') ref.controller = raw.controller;
  if (typeof raw.blockOwnerDeletion === 'boolean') ref.blockOwnerDeletion = raw.blockOwnerDeletion;
  return ref.uid === '' ? undefined : ref;
}

export function ownerReferencesOf(object: KubeObject): OwnerReference[] {
  const refs = object.metadata.ownerReferences;
  if (!Array.isArray(refs)) return [];
  const result: OwnerReference[] = [];
  for (const raw of refs) {
    const ref = toOwnerReference(raw);
    if (ref !== undefined) result.push(ref);
  }
  return result;
}

/** The identity an informer event gives an object of `apiVersion`/`kind`. */
export function identityOf(object: KubeObject, apiVersion: string, kind: string): ObjectIdentity {
  return {
    apiVersion,
    kind,
    name: object.metadata.name ?? '',
    uid: object.metadata.uid ?? '',
    namespace: object.metadata.namespace ?? '',
  };
}

/** The owner's identity as a dependent in `namespace` sees it. */
export function identityOfReference(ref: OwnerReference, namespace: string): ObjectIdentity {
  return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace };
}

export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return (
    a.uid === b.uid &&
    a.name === b.name &&
    a.kind === b.kind &&
    a.apiVersion === b.apiVersion &&
    a.namespace === b.namespace
  );
}

/** ownerReferenceMatchesCoordinates: uid, name, kind and apiVersion agree. */
export function referenceMatches(ref: OwnerReference, identity: ObjectIdentity): boolean {
  return (
    ref.uid === identity.uid &&
    ref.name === identity.name &&
    ref.kind === identity.kind &&
    ref.apiVersion === identity.apiVersion
  );
}

/** referenceLessThan as a comparator: kind, apiVersion, namespace, name, uid. */
export function compareIdentities(a: ObjectIdentity, b: ObjectIdentity): number {
  return (
    compareGoStrings(a.kind, b.kind) ||
    compareGoStrings(a.apiVersion, b.apiVersion) ||
    compareGoStrings(a.namespace, b.namespace) ||
    compareGoStrings(a.name, b.name) ||
    compareGoStrings(a.uid, b.uid)
  );
}

/** A stable text key of an identity (absent-owner cache, logs). */
export function identityKey(identity: ObjectIdentity): string {
  const { apiVersion, kind, namespace, name, uid } = identity;
  return `${apiVersion}, Kind=${kind}, ${namespace === '' ? '' : `${namespace}/`}${name}, uid ${uid}`;
}

function sameReference(a: OwnerReference, b: OwnerReference): boolean {
  return (
    referenceMatches(a, { ...b, namespace: '' }) &&
    a.controller === b.controller &&
    a.blockOwnerDeletion === b.blockOwnerDeletion
  );
}

export interface ReferenceDiff {
  added: OwnerReference[];
  removed: OwnerReference[];
  changed: { oldRef: OwnerReference; newRef: OwnerReference }[];
}

/** referencesDiffs, matched by uid; each list in the order of the list it comes from. */
export function referencesDiff(
  oldRefs: readonly OwnerReference[],
  newRefs: readonly OwnerReference[],
): ReferenceDiff {
  const byUid = new Map(oldRefs.map((ref) => [ref.uid, ref]));
  const diff: ReferenceDiff = { added: [], removed: [], changed: [] };
  const seen = new Set<string>();
  for (const ref of newRefs) {
    const old = byUid.get(ref.uid);
    if (old === undefined) diff.added.push(ref);
    else if (!sameReference(old, ref)) diff.changed.push({ oldRef: old, newRef: ref });
    seen.add(ref.uid);
  }
  for (const ref of oldRefs) if (!seen.has(ref.uid)) diff.removed.push(ref);
  return diff;
}

export function isBeingDeleted(object: KubeObject): boolean {
  const stamp = object.metadata.deletionTimestamp;
  return typeof stamp === 'string' && stamp !== '';
}

export function hasFinalizer(object: KubeObject, finalizer: string): boolean {
  const list = object.metadata.finalizers;
  return Array.isArray(list) && list.includes(finalizer);
}

/**
 * Strategic merge patch removing the owner references with `ownerUids`
 * (GenerateDeleteOwnerRefStrategicMergeBytes); the dependent's uid rides along as upstream's
 * precondition.
 */
export function deleteOwnerReferencesPatch(
  dependentUid: string,
  ownerUids: readonly string[],
): Record<string, unknown> {
  const ownerReferences = ownerUids.map((uid) => ({ $patch: 'delete', uid }));
  return { metadata: { ownerReferences, uid: dependentUid } };
}

/**
 * Strategic merge patch setting blockOwnerDeletion false on every blocking reference
 * (unblockOwnerReferencesStrategicMergePatch); undefined when none blocks.
 */
export function unblockOwnerReferencesPatch(
  uid: string,
  refs: readonly OwnerReference[],
): Record<string, unknown> | undefined {
  const blocking = refs.filter((ref) => ref.blockOwnerDeletion === true);
  if (blocking.length === 0) return undefined;
  const ownerReferences = blocking.map((ref) => ({ uid: ref.uid, blockOwnerDeletion: false }));
  return { metadata: { ownerReferences, uid } };
}

/**
 * JSON merge patch writing the finalizers without `finalizer`, guarded by the resourceVersion
 * (removeFinalizer); undefined when the object does not carry it.
 */
export function removeFinalizerPatch(
  object: KubeObject,
  finalizer: string,
): Record<string, unknown> | undefined {
  const list = Array.isArray(object.metadata.finalizers) ? object.metadata.finalizers : [];
  if (!list.includes(finalizer)) return undefined;
  const finalizers = list.filter((f) => f !== finalizer);
  const resourceVersion = object.metadata.resourceVersion ?? '';
  return { metadata: { resourceVersion, finalizers: finalizers.length === 0 ? null : finalizers } };
}
