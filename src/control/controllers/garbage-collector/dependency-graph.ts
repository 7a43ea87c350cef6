// The owner→dependents graph of the garbage collector (upstream GraphBuilder's uidToNode and
// processGraphChanges), fed by informer events and by the collector's virtual delete events.
//
// Nodes are keyed by uid. An owner that a dependent names but no informer has shown yet gets a
// *virtual* node (identity taken from the reference) and is queued for a live check; the first
// informer event for that uid makes it observed. apply() is synchronous and cheap (it runs on
// the watch hot path); it returns the uids to queue rather than touching any queue itself:
// - `attemptToDelete`: items whose owners or dependents changed in a way that may make them
//   garbage, owners waiting for their dependents, virtual owners to verify;
// - `attemptToDeleteRateLimited`: a virtual node retried under another identity;
// - `attemptToOrphan`: owners whose deletion just started with the `orphan` finalizer.
// Identities recorded absent go to the shared AbsentOwnerCache. Iteration follows insertion
// order of deterministic events, so results are deterministic.
import type { KubeObject } from '../../client/types.js';
import type { AbsentOwnerCache } from './absent-owner-cache.js';
import type { ObjectIdentity, OwnerReference } from './references.js';
import {
  compareIdentities,
  foregroundFinalizer,
  hasFinalizer,
  identityOf,
  identityOfReference,
  isBeingDeleted,
  orphanFinalizer,
  ownerReferencesOf,
  referenceMatches,
  referencesDiff,
  sameIdentity,
} from './references.js';

export interface GraphNode {
  identity: ObjectIdentity;
  owners: OwnerReference[];
  /** Uids of the nodes that name this one as an owner. */
  dependents: Set<string>;
  /** Known only from a dependent's reference, not yet seen by an informer. */
  virtual: boolean;
  beingDeleted: boolean;
  /** Being deleted with the foregroundDeletion finalizer: waits for blocking dependents. */
  deletingDependents: boolean;
}

/** One change: an informer add/update (`old` undefined on add), or a delete. */
export type GraphEvent =
  | { type: 'upsert'; apiVersion: string; kind: string; object: KubeObject; old?: KubeObject }
  | { type: 'delete'; apiVersion: string; kind: string; object: KubeObject; virtual: boolean };

export interface GraphEffects {
  attemptToDelete: string[];
  attemptToDeleteRateLimited: string[];
  attemptToOrphan: string[];
}

/** Whether `newObject` just started deleting with `finalizer` (deletionStartsWithFinalizer). */
function deletionStartsWith(
  old: KubeObject | undefined,
  newObject: KubeObject,
  finalizer: string,
): boolean {
  if (!isBeingDeleted(newObject) || !hasFinalizer(newObject, finalizer)) return false;
  return old === undefined || !isBeingDeleted(old) || !hasFinalizer(old, finalizer);
}

export class DependencyGraph {
  readonly #nodes = new Map<string, GraphNode>();
  readonly #absent: AbsentOwnerCache;
  #effects: GraphEffects = {
    attemptToDelete: [],
    attemptToDeleteRateLimited: [],
    attemptToOrphan: [],
  };

  constructor(options: { absentOwners: AbsentOwnerCache }) {
    this.#absent = options.absentOwners;
  }

  get size(): number {
    return this.#nodes.size;
  }

  get(uid: string): GraphNode | undefined {
    return this.#nodes.get(uid);
  }

  /** The dependents' nodes, in insertion order. */
  dependentsOf(node: GraphNode): GraphNode[] {
    const result: GraphNode[] = [];
    for (const uid of node.dependents) {
      const dependent = this.#nodes.get(uid);
      if (dependent !== undefined) result.push(dependent);
    }
    return result;
  }

  /** Dependents whose reference to `node` has blockOwnerDeletion=true. */
  blockingDependents(node: GraphNode): GraphNode[] {
    const uid = node.identity.uid;
    return this.dependentsOf(node).filter((dependent) =>
      dependent.owners.some((ref) => ref.uid === uid && ref.blockOwnerDeletion === true),
    );
  }

  /** Applies one event; returns what to queue (see the file comment). */
  apply(event: GraphEvent): GraphEffects {
    this.#effects = { attemptToDelete: [], attemptToDeleteRateLimited: [], attemptToOrphan: [] };
    const uid = event.object.metadata.uid ?? '';
    if (uid === '') return this.#effects;
    const existing = this.#nodes.get(uid);
    const informed = event.type === 'upsert' || !event.virtual;
    if (existing !== undefined && informed && existing.virtual) this.#observe(existing, event);
    if (event.type === 'upsert') {
      if (existing === undefined) this.#insert(event);
      else this.#update(existing, event);
    } else this.#delete(existing, event);
    return this.#effects;
  }

  #queueDelete(node: GraphNode): void {
    this.#effects.attemptToDelete.push(node.identity.uid);
  }

  /** A virtual node seen by an informer: take the observed identity, recheck disagreeing deps. */
  #observe(node: GraphNode, event: GraphEvent): void {
    const observed = identityOf(event.object, event.apiVersion, event.kind);
    if (!sameIdentity(observed, node.identity)) {
      const { nonmatching } = this.#partitionDependents(node, observed);
      for (const dependent of nonmatching) this.#queueDelete(dependent);
      node.identity = observed;
    }
    node.virtual = false;
  }

  #insert(event: Extract<GraphEvent, { type: 'upsert' }>): void {
    const object = event.object;
    const deleting = isBeingDeleted(object);
    const node: GraphNode = {
      identity: identityOf(object, event.apiVersion, event.kind),
      owners: ownerReferencesOf(object),
      dependents: new Set(),
      virtual: false,
      beingDeleted: deleting,
      deletingDependents: deleting && hasFinalizer(object, foregroundFinalizer),
    };
    this.#nodes.set(node.identity.uid, node);
    this.#addDependentToOwners(node, node.owners);
    this.#processTransitions(event.old, object, node);
  }

  #update(node: GraphNode, event: Extract<GraphEvent, { type: 'upsert' }>): void {
    node.identity = { ...node.identity, apiVersion: event.apiVersion, kind: event.kind };
    const refs = ownerReferencesOf(event.object);
    const diff = referencesDiff(node.owners, refs);
    if (diff.added.length + diff.removed.length + diff.changed.length > 0) {
      this.#addUnblockedOwners(diff.removed, diff.changed);
      node.owners = refs;
      this.#addDependentToOwners(node, diff.added);
      this.#removeDependentFromOwners(node, diff.removed);
    }
    if (isBeingDeleted(event.object)) node.beingDeleted = true;
    this.#processTransitions(event.old, event.object, node);
  }

  /** addDependentToOwners: link, create virtual owners, flag suspicious references. */
  #addDependentToOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    let suspicious = false;
    for (const ref of owners) {
      let owner = this.#nodes.get(ref.uid);
      if (owner === undefined) {
        owner = {
          identity: identityOfReference(ref, node.identity.namespace),
          owners: [],
          dependents: new Set([node.identity.uid]),
          virtual: true,
          beingDeleted: false,
          deletingDependents: false,
        };
        this.#nodes.set(ref.uid, owner);
        this.#queueDelete(owner);
        continue;
      }
      owner.dependents.add(node.identity.uid);
      if (!suspicious) suspicious = this.#suspicious(ref, owner, node);
    }
    if (suspicious) this.#queueDelete(node);
  }

  /** Whether a reference to an existing owner node may be invalid (wrong namespace/coords). */
  #suspicious(ref: OwnerReference, owner: GraphNode, node: GraphNode): boolean {
    const ownerNamespace = owner.identity.namespace;
    if (ownerNamespace !== '' && ownerNamespace !== node.identity.namespace) return true;
    if (!referenceMatches(ref, owner.identity)) return true;
    return ownerNamespace === '' && node.identity.namespace !== '' && owner.virtual;
  }

  #removeDependentFromOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    for (const ref of owners) this.#nodes.get(ref.uid)?.dependents.delete(node.identity.uid);
  }

  /** Owners a removed or newly non-blocking reference may release (addUnblockedOwnersToDeleteQueue). */
  #addUnblockedOwners(
    removed: readonly OwnerReference[],
    changed: readonly { oldRef: OwnerReference; newRef: OwnerReference }[],
  ): void {
    const released = removed.filter((ref) => ref.blockOwnerDeletion === true);
    for (const { oldRef, newRef } of changed) {
      if (oldRef.blockOwnerDeletion === true && newRef.blockOwnerDeletion !== true) {
        released.push(newRef);
      }
    }
    for (const ref of released) {
      const owner = this.#nodes.get(ref.uid);
      if (owner !== undefined) this.#queueDelete(owner);
    }
  }

  #processTransitions(old: KubeObject | undefined, object: KubeObject, node: GraphNode): void {
    if (deletionStartsWith(old, object, orphanFinalizer)) {
      this.#effects.attemptToOrphan.push(node.identity.uid);
      return;
    }
    if (!deletionStartsWith(old, object, foregroundFinalizer)) return;
    node.deletingDependents = true;
    for (const dependent of this.dependentsOf(node)) this.#queueDelete(dependent);
    this.#queueDelete(node);
  }

  #delete(existing: GraphNode | undefined, event: Extract<GraphEvent, { type: 'delete' }>): void {
    if (existing === undefined) return;
    const deleted = identityOf(event.object, event.apiVersion, event.kind);
    if (event.virtual && !this.#virtualDeleteRemoves(existing, deleted)) return;
    this.#nodes.delete(existing.identity.uid);
    this.#removeDependentFromOwners(existing, existing.owners);
    const dependents = this.dependentsOf(existing);
    if (dependents.length > 0) this.#absent.add(deleted);
    for (const dependent of dependents) this.#queueDelete(dependent);
    for (const ref of existing.owners) {
      const owner = this.#nodes.get(ref.uid);
      if (owner !== undefined && owner.deletingDependents) this.#queueDelete(owner);
    }
  }

  /**
   * A virtual delete (the collector found `deleted` missing): whether to drop the node. When
   * some dependents name the uid with other coordinates, the node stays; dependents matching
   * the verified-absent identity are queued, and a virtual node takes another identity to try.
   */
  #virtualDeleteRemoves(node: GraphNode, deleted: ObjectIdentity): boolean {
    if (node.virtual) {
      const { matching, nonmatching } = this.#partitionDependents(node, deleted);
      if (nonmatching.length === 0) return true;
      this.#markAbsent(deleted, matching);
      if (sameIdentity(node.identity, deleted)) {
        const replacement = alternateOwnerIdentity(nonmatching, deleted);
        if (replacement !== undefined) {
          node.identity = replacement;
          this.#effects.attemptToDeleteRateLimited.push(node.identity.uid);
        }
      }
      return false;
    }
    if (sameIdentity(node.identity, deleted)) return true;
    this.#markAbsent(deleted, this.#partitionDependents(node, deleted).matching);
    return false;
  }

  #markAbsent(identity: ObjectIdentity, matching: readonly GraphNode[]): void {
    if (matching.length === 0) return;
    this.#absent.add(identity);
    for (const dependent of matching) this.#queueDelete(dependent);
  }

  /** partitionDependents: dependents naming `owner` exactly, and those naming its uid otherwise. */
  #partitionDependents(
    node: GraphNode,
    owner: ObjectIdentity,
  ): { matching: GraphNode[]; nonmatching: GraphNode[] } {
    const matching: GraphNode[] = [];
    const nonmatching: GraphNode[] = [];
    for (const dependent of this.dependentsOf(node)) {
      let match = false;
      let mismatch = owner.namespace !== '' && owner.namespace !== dependent.identity.namespace;
      if (!mismatch) {
        for (const ref of dependent.owners) {
          if (ref.uid !== owner.uid) continue;
          if (referenceMatches(ref, owner)) match = true;
          else mismatch = true;
        }
      }
      if (match) matching.push(dependent);
      if (mismatch) nonmatching.push(dependent);
    }
    return { matching, nonmatching };
  }
}

/**
 * getAlternateOwnerIdentity: among the identities `dependents` give the absent uid, the first
 * after `absent` in identity order, else the first; undefined when there is none.
 */
export function alternateOwnerIdentity(
  dependents: readonly GraphNode[],
  absent: ObjectIdentity,
): ObjectIdentity | undefined {
  const clusterScoped = absent.namespace === '';
  let first: ObjectIdentity | undefined;
  let firstFollowing: ObjectIdentity | undefined;
  for (const dependent of dependents) {
    for (const ref of dependent.owners) {
      if (ref.uid !== absent.uid) continue;
      const exact = referenceMatches(ref, absent);
      if (exact && (clusterScoped || absent.namespace === dependent.identity.namespace)) continue;
      const candidate = identityOfReference(ref, dependent.identity.namespace);
      if (clusterScoped && ref.apiVersion === absent.apiVersion && ref.kind === absent.kind) {
        candidate.namespace = '';
      }
      if (sameIdentity(candidate, absent)) continue;
      if (first === undefined || compareIdentities(candidate, first) < 0) first = candidate;
      const follows = compareIdentities(absent, candidate) < 0;
      if (
        follows &&
        (firstFollowing === undefined || compareIdentities(candidate, firstFollowing) < 0)
      ) {
        firstFollowing = candidate;
      }
    }
  }
  return firstFollowing ?? first;
}
