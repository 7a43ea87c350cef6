// The Deployment controller's informer event handlers (deployment_controller.go add/update/
// delete handlers): they map Deployment, ReplicaSet and pod events to Deployment keys. Hot path:
// cache reads and queue adds only, never an API call.

import { matchesLabels, selectorFromLabelSelector } from '../../api/values/labels.js';
import type { CacheReader } from '../../client/cache.js';
import type { Informer } from '../../client/informer.js';
import type { KubeObject } from '../../client/types.js';
import type { Deployment, OwnerReference, ReplicaSet } from './deployment-objects.js';
import { controllerOf, isRollingUpdate, uidOf } from './deployment-objects.js';
import { canonicalStringify } from '../../api/values/canonical-json.js';

/** Informer index: objects by namespace. */
export const namespaceIndex = 'namespace';
/** Informer index: objects by the UID of their controller reference. */
export const controllerUidIndex = 'controllerUID';

export interface DeploymentHandlersOptions {
  deployments: CacheReader<Deployment>;
  replicaSets: CacheReader<ReplicaSet>;
  pods: CacheReader<KubeObject>;
  /** Queues the Deployment's key. */
  enqueue: (deployment: Deployment) => void;
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalStringify(a ?? null) === canonicalStringify(b ?? null);
}

export class DeploymentHandlers {
  readonly #options: DeploymentHandlersOptions;

  constructor(options: DeploymentHandlersOptions) {
    this.#options = options;
  }

  register(
    deployments: Informer<Deployment>,
    replicaSets: Informer<ReplicaSet>,
    pods: Informer<KubeObject>,
  ): void {
    const enqueue = this.#options.enqueue;
    deployments.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_old, next) => enqueue(next),
      onDelete: enqueue,
    });
    replicaSets.addEventHandler({
      onAdd: (rs) => this.addReplicaSet(rs),
      onUpdate: (old, next) => this.updateReplicaSet(old, next),
      onDelete: (rs) => this.deleteReplicaSet(rs),
    });
    pods.addEventHandler({ onDelete: (pod) => this.deletePod(pod) });
  }

  /** A new ReplicaSet wakes its controller, or every Deployment that could adopt it. */
  addReplicaSet(rs: ReplicaSet): void {
    if (rs.metadata.deletionTimestamp !== undefined) {
      this.deleteReplicaSet(rs);
      return;
    }
    const ref = controllerOf(rs);
    if (ref !== undefined) {
      const deployment = this.resolveControllerRef(rs.metadata.namespace ?? '', ref);
      if (deployment !== undefined) this.#options.enqueue(deployment);
      return;
    }
    for (const deployment of this.deploymentsForReplicaSet(rs)) this.#options.enqueue(deployment);
  }

  /**
   * A changed ReplicaSet wakes its old controller when the reference moved, its current one,
   * or — for an orphan whose labels or reference changed — every Deployment that could adopt it.
   */
  updateReplicaSet(old: ReplicaSet, next: ReplicaSet): void {
    if (old.metadata.resourceVersion === next.metadata.resourceVersion) return;
    const nextRef = controllerOf(next);
    const oldRef = controllerOf(old);
    const refChanged = !sameJson(nextRef, oldRef);
    const namespace = next.metadata.namespace ?? '';
    if (refChanged && oldRef !== undefined) {
      const previous = this.resolveControllerRef(old.metadata.namespace ?? '', oldRef);
      if (previous !== undefined) this.#options.enqueue(previous);
    }
    if (nextRef !== undefined) {
      const deployment = this.resolveControllerRef(namespace, nextRef);
      if (deployment !== undefined) this.#options.enqueue(deployment);
      return;
    }
    const labelsChanged = !sameJson(old.metadata.labels, next.metadata.labels);
    if (!labelsChanged && !refChanged) return;
    for (const deployment of this.deploymentsForReplicaSet(next)) this.#options.enqueue(deployment);
  }

  /** A deleted ReplicaSet wakes its controller; orphans concern nobody. */
  deleteReplicaSet(rs: ReplicaSet): void {
    const ref = controllerOf(rs);
    if (ref === undefined) return;
    const deployment = this.resolveControllerRef(rs.metadata.namespace ?? '', ref);
    if (deployment !== undefined) this.#options.enqueue(deployment);
  }

  /**
   * A deleted pod wakes a Recreate Deployment once none of its pods are left. Upstream lists the
   * ReplicaSets live here; this reads the cache, to keep handlers free of API calls.
   */
  deletePod(pod: KubeObject): void {
    const deployment = this.deploymentForPod(pod);
    if (deployment === undefined || isRollingUpdate(deployment)) return;
    const selector = selectorFromLabelSelector(deployment.spec.selector);
    if (!selector.ok) return;
    const owned = this.#options.replicaSets
      .byIndex(controllerUidIndex, uidOf(deployment))
      .filter((rs) => matchesLabels(selector.selector, rs.metadata.labels));
    for (const rs of owned) {
      const pods = this.#options.pods.byIndex(controllerUidIndex, uidOf(rs));
      if (pods.some((p) => matchesLabels(selector.selector, p.metadata.labels))) return;
    }
    this.#options.enqueue(deployment);
  }

  /** resolveControllerRef: the cached Deployment the reference names, if the UID matches. */
  resolveControllerRef(namespace: string, ref: OwnerReference): Deployment | undefined {
    if (ref.kind !== 'Deployment') return undefined;
    const deployment = this.#options.deployments.get(`${namespace}/${ref.name}`);
    return deployment !== undefined && uidOf(deployment) === ref.uid ? deployment : undefined;
  }

  /** GetDeploymentsForReplicaSet: Deployments of the namespace whose selector matches. */
  deploymentsForReplicaSet(rs: ReplicaSet): Deployment[] {
    const labels = rs.metadata.labels ?? {};
    if (Object.keys(labels).length === 0) return [];
    const namespace = rs.metadata.namespace ?? '';
    return this.#options.deployments.byIndex(namespaceIndex, namespace).filter((deployment) => {
      const selector = selectorFromLabelSelector(deployment.spec.selector);
      if (!selector.ok) return false;
      const requirements = selector.selector;
      const empty = requirements.kind === 'nothing' || requirements.requirements.length === 0;
      return !empty && matchesLabels(requirements, labels);
    });
  }

  /** getDeploymentForPod: pod → controlling ReplicaSet → controlling Deployment. */
  deploymentForPod(pod: KubeObject): Deployment | undefined {
    const ref = controllerOf(pod);
    if (ref === undefined || ref.kind !== 'ReplicaSet') return undefined;
    const namespace = pod.metadata.namespace ?? '';
    const rs = this.#options.replicaSets.get(`${namespace}/${ref.name}`);
    if (rs === undefined || uidOf(rs) !== ref.uid) return undefined;
    const rsRef = controllerOf(rs);
    return rsRef === undefined ? undefined : this.resolveControllerRef(namespace, rsRef);
  }
}
