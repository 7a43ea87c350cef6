// Pure decisions of the garbage collector's attemptToDeleteItem (upstream garbagecollector.go):
// how an owner reference counts, and what to do with an item given all of its references.
import type { KubeObject } from '../../client/types.js';
import type { OwnerReference } from './references.js';
import {
  foregroundFinalizer,
  hasFinalizer,
  isBeingDeleted,
  orphanFinalizer,
} from './references.js';

/**
 * - `solid`: the owner exists and is not waiting for its dependents;
 * - `dangling`: the owner is gone (not found, or the name now has another uid);
 * - `waiting`: the owner is being deleted in the foreground (foregroundDeletion finalizer).
 */
export type ReferenceClass = 'solid' | 'dangling' | 'waiting';

/** How one reference counts, given the owner a live GET returned (undefined: not found). */
export function classifyReference(
  ref: OwnerReference,
  owner: KubeObject | undefined,
): ReferenceClass {
  if (owner === undefined || owner.metadata.uid !== ref.uid) return 'dangling';
  return isBeingDeleted(owner) && hasFinalizer(owner, foregroundFinalizer) ? 'waiting' : 'solid';
}

export interface ClassifiedReferences {
  solid: OwnerReference[];
  dangling: OwnerReference[];
  waiting: OwnerReference[];
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export type AttemptDecision =
  /** A solid owner remains and no reference needs cleaning: not garbage. */
  | { kind: 'keep' }
  /** A solid owner remains: drop the references to gone and foreground-deleting owners. */
  | { kind: 'removeReferences'; ownerUids: string[] }
  /**
   * Garbage: DELETE with the uid as precondition and this policy. `unblockFirst`: first set
   * blockOwnerDeletion false on the item's references (breaks foreground cycles).
   */
  | { kind: 'delete'; policy: PropagationPolicy; unblockFirst: boolean };

export interface ItemFacts {
  /** How many dependents the graph knows for the item. */
  dependentCount: number;
  /** Whether one of those dependents is itself deleting its dependents. */
  dependentDeletingDependents: boolean;
  /** The item's live object. */
  latest: KubeObject;
}

/** The switch at the end of attemptToDeleteItem. */
export function planAttemptToDelete(refs: ClassifiedReferences, item: ItemFacts): AttemptDecision {
  if (refs.solid.length > 0) {
    const gone = [...refs.dangling, ...refs.waiting].map((ref) => ref.uid);
    return gone.length === 0 ? { kind: 'keep' } : { kind: 'removeReferences', ownerUids: gone };
  }
  if (refs.waiting.length > 0 && item.dependentCount > 0) {
    // An owner waits for this item, which has dependents of its own: delete it in the
    // foreground too, so the owner waits for the whole subtree.
    return { kind: 'delete', policy: 'Foreground', unblockFirst: item.dependentDeletingDependents };
  }
  // No solid owner: collect it, honouring a propagation finalizer it already carries.
  let policy: PropagationPolicy = 'Background';
  if (hasFinalizer(item.latest, orphanFinalizer)) policy = 'Orphan';
  else if (hasFinalizer(item.latest, foregroundFinalizer)) policy = 'Foreground';
  return { kind: 'delete', policy, unblockFirst: false };
}
