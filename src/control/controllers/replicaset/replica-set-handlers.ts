// The ReplicaSet controller's informer event handlers (replica_set.go's addRS … deletePod):
// they map ReplicaSet and Pod events to ReplicaSet keys and record observed creates/deletes in
// the expectations. Hot path: synchronous, cache reads and queue adds only.
//
// - A ReplicaSet added, updated or deleted → its key (a deleted one, or one re-created with a new
//   UID, also drops its expectations).
// - A pod with a controller reference → the owning ReplicaSet, if the informer holds one with that
//   name and UID: a new pod is a creation observed; a pod deleted, or updated to carry a
//   deletionTimestamp, is a deletion observed. A pod that just became Ready also re-queues its
//   owner minReadySeconds + 1 s later, so availableReplicas is recounted.
// - An orphan pod (no controller) → every ReplicaSet in its namespace whose selector matches it,
//   when it is added or its labels/controller changed, so one of them may adopt it.
// - A changed controller reference also wakes the previous owner.

import { canonicalStringify } from '../../api/values/canonical-json.js';
import type { CacheReader } from '../../client/cache.js';
import type { InformerEventHandler } from '../../client/informer.js';
import type { KubeObject } from '../../client/types.js';
import type { LabelSelectorObject } from '../../api/values/labels.js';
import {
  isEverythingLabelSelector,
  matchesLabels,
  selectorFromLabelSelector,
} from '../../api/values/labels.js';
import type { OwnerReference } from './controller-ref.js';
import { getControllerOf, sameControllerRef } from './controller-ref.js';
import type { ControllerExpectations } from './expectations.js';
import { podIsReady } from './pod-availability.js';
import { isBeingDeleted, labelsOf, podKey, specOf, uidOf } from './pod-fields.js';
import { minReadySecondsOf } from './replica-set-status.js';

/** The informer index of ReplicaSets and pods by namespace. */
export const namespaceIndex = 'namespace';

export interface ReplicaSetHandlerDeps {
  replicaSets: CacheReader<KubeObject>;
  expectations: ControllerExpectations;
  /** The kind controller references must name (`ReplicaSet`). */
  controllerKind: string;
  enqueue(key: string): void;
  enqueueAfter(key: string, delayMs: number): void;
}

export function objectKey(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

/** The ReplicaSet a controller reference names, when the cache holds it with that UID. */
function resolveControllerRef(
  replicaSets: CacheReader<KubeObject>,
  namespace: string,
  reference: OwnerReference,
  controllerKind: string,
): KubeObject | undefined {
  if (reference.kind !== controllerKind) return undefined;
  const replicaSet = replicaSets.get(`${namespace}/${reference.name}`);
  return replicaSet !== undefined && uidOf(replicaSet) === reference.uid ? replicaSet : undefined;
}

/**
 * GetPodReplicaSets: the ReplicaSets in the pod's namespace whose selector matches its labels; a
 * selector that is invalid or empty matches nothing here.
 */
export function replicaSetsSelecting(
  replicaSets: CacheReader<KubeObject>,
  pod: KubeObject,
): KubeObject[] {
  const candidates = replicaSets.byIndex(namespaceIndex, pod.metadata.namespace ?? '');
  return candidates.filter((replicaSet) => {
    const selector = specOf(replicaSet).selector as LabelSelectorObject | undefined;
    const parsed = selectorFromLabelSelector(selector);
    if (!parsed.ok || isEverythingLabelSelector(parsed.selector)) return false;
    return matchesLabels(parsed.selector, labelsOf(pod));
  });
}

function labelsText(object: KubeObject): string {
  const labels = labelsOf(object);
  return labels === undefined ? '' : canonicalStringify(labels);
}

/** The handlers of both informers (see the file comment); register `replicaSet` and `pod`. */
export class ReplicaSetEventHandlers {
  readonly replicaSet: InformerEventHandler<KubeObject>;
  readonly pod: InformerEventHandler<KubeObject>;
  readonly #deps: ReplicaSetHandlerDeps;

  constructor(deps: ReplicaSetHandlerDeps) {
    this.#deps = deps;
    this.replicaSet = {
      onAdd: (replicaSet) => deps.enqueue(objectKey(replicaSet)),
      onUpdate: (old, replicaSet) => {
        if (uidOf(old) !== uidOf(replicaSet)) this.#replicaSetDeleted(old);
        deps.enqueue(objectKey(replicaSet));
      },
      onDelete: (replicaSet) => this.#replicaSetDeleted(replicaSet),
    };
    this.pod = {
      onAdd: (pod) => this.#podAdded(pod),
      onUpdate: (old, pod) => this.#podUpdated(old, pod),
      onDelete: (pod) => this.#podDeleted(pod),
    };
  }

  #resolve(namespace: string | undefined, reference: OwnerReference): KubeObject | undefined {
    const { replicaSets, controllerKind } = this.#deps;
    return resolveControllerRef(replicaSets, namespace ?? '', reference, controllerKind);
  }

  #enqueueSelecting(pod: KubeObject): void {
    for (const replicaSet of replicaSetsSelecting(this.#deps.replicaSets, pod)) {
      this.#deps.enqueue(objectKey(replicaSet));
    }
  }

  #replicaSetDeleted(replicaSet: KubeObject): void {
    const key = objectKey(replicaSet);
    this.#deps.expectations.delete(key);
    this.#deps.enqueue(key);
  }

  #podAdded(pod: KubeObject): void {
    // After a controller restart a pod may first appear already terminating: not a creation.
    if (isBeingDeleted(pod)) return this.#podDeleted(pod);
    const reference = getControllerOf(pod);
    if (reference === undefined) return this.#enqueueSelecting(pod);
    const owner = this.#resolve(pod.metadata.namespace, reference);
    if (owner === undefined) return;
    const key = objectKey(owner);
    this.#deps.expectations.creationObserved(key);
    this.#deps.enqueue(key);
  }

  #podUpdated(old: KubeObject, pod: KubeObject): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return; // a resync
    const labelsChanged = labelsText(old) !== labelsText(pod);
    if (isBeingDeleted(pod)) {
      this.#podDeleted(pod);
      if (labelsChanged) this.#podDeleted(old);
      return;
    }
    const reference = getControllerOf(pod);
    const oldReference = getControllerOf(old);
    const referenceChanged = !sameControllerRef(reference, oldReference);
    if (referenceChanged && oldReference !== undefined) {
      const previous = this.#resolve(old.metadata.namespace, oldReference);
      if (previous !== undefined) this.#deps.enqueue(objectKey(previous));
    }
    if (reference === undefined) {
      if (labelsChanged || referenceChanged) this.#enqueueSelecting(pod);
      return;
    }
    const owner = this.#resolve(pod.metadata.namespace, reference);
    if (owner === undefined) return;
    this.#deps.enqueue(objectKey(owner));
    const minReadySeconds = minReadySecondsOf(owner);
    if (!podIsReady(old) && podIsReady(pod) && minReadySeconds > 0) {
      // One second more than minReadySeconds, against millisecond skew (as upstream).
      this.#deps.enqueueAfter(objectKey(owner), minReadySeconds * 1000 + 1000);
    }
  }

  #podDeleted(pod: KubeObject): void {
    const reference = getControllerOf(pod);
    if (reference === undefined) return; // no controller waits for an orphan
    const owner = this.#resolve(pod.metadata.namespace, reference);
    if (owner === undefined) return;
    const key = objectKey(owner);
    this.#deps.expectations.deletionObserved(key, podKey(pod));
    this.#deps.enqueue(key);
  }
}
