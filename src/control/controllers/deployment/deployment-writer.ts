// The writes of one Deployment sync (sync.go scaleReplicaSet*, cleanupDeployment, status and
// revision writes), with the sync's view of its objects kept current.
//
// A DeploymentWriter lives for one reconcile. It starts from the informer's Deployment and the
// claimed ReplicaSets and replaces each with the server's answer after every write, so later
// steps of the same sync build on what was written (upstream re-uses its stale copies and lets
// the resulting 409 Conflicts requeue the key; the outcome is the same, with fewer retries).
// Upstream writes the revision annotation together with the status through UpdateStatus; the
// miniku API server keeps metadata on status writes, so the annotation goes first through a PUT
// of the Deployment (same resourceVersion precondition), then the status.

import type { CacheReader } from '../../client/cache.js';
import type { KubeClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import type { KubeObject } from '../../client/types.js';
import type { EventRecorder } from '../../events/event-recorder.js';
import { objectReference } from '../../events/event-types.js';
import type { PassiveClock } from '../../ports/clock.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from './deployment-objects.js';
import {
  annotationsOf,
  deploymentReplicas,
  deploymentsResource,
  nameOf,
  replicaSetsResource,
  revisionAnnotation,
  specReplicas,
  uidOf,
} from './deployment-objects.js';
import { statusesEqual } from './deployment-status.js';
import { replicasAnnotationsNeedUpdate, withReplicasAnnotations } from './revision.js';
import { maxSurgeOf } from './rolling-params.js';
import type { ScaleStep } from './scale-plan.js';
import { planHistoryCleanup } from './scale-plan.js';

/** What a sync needs besides the objects: the API, the time, events and the ReplicaSet cache. */
export interface SyncWorld {
  client: KubeClient;
  clock: PassiveClock;
  events: EventRecorder;
  log: (line: string) => void;
  /** The informer's ReplicaSets by `namespace/name` (getNewReplicaSet's AlreadyExists check). */
  replicaSets: CacheReader<KubeObject>;
}

export class DeploymentWriter {
  readonly world: SyncWorld;
  #deployment: Deployment;
  /** The claimed ReplicaSets, replaced by the server's answer after each write. */
  #replicaSets: ReplicaSet[];

  constructor(world: SyncWorld, deployment: Deployment, replicaSets: readonly ReplicaSet[]) {
    this.world = world;
    this.#deployment = deployment;
    this.#replicaSets = [...replicaSets];
  }

  /** The Deployment as last written or read. */
  get deployment(): Deployment {
    return this.#deployment;
  }

  get replicaSets(): readonly ReplicaSet[] {
    return this.#replicaSets;
  }

  /** The newest known version of `rs` (after this sync's writes). */
  latest(rs: ReplicaSet): ReplicaSet {
    return this.#replicaSets.find((known) => uidOf(known) === uidOf(rs)) ?? rs;
  }

  /** The newest versions of the old ReplicaSets and the new one (undefined: none yet). */
  all(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): (ReplicaSet | undefined)[] {
    const latestNew = newRS === undefined ? undefined : this.latest(newRS);
    return [...oldRSs.map((rs) => this.latest(rs)), latestNew];
  }

  /** Records a ReplicaSet this sync created or found. */
  add(rs: ReplicaSet): void {
    if (!this.#replicaSets.some((known) => uidOf(known) === uidOf(rs))) this.#replicaSets.push(rs);
  }

  /** The revision annotation (a PUT when it changed), then the status (when it changed). */
  async writeDeployment(revision: string, status: DeploymentStatus): Promise<void> {
    const deployment = this.#deployment;
    if (annotationsOf(deployment)[revisionAnnotation] !== revision) {
      const annotations = { ...annotationsOf(deployment), [revisionAnnotation]: revision };
      const body = { ...deployment, metadata: { ...deployment.metadata, annotations } };
      const namespace = deployment.metadata.namespace ?? '';
      this.#deployment = await this.world.client.update(deploymentsResource, namespace, body);
    }
    if (!statusesEqual(this.#deployment.status, status)) await this.writeStatus(status);
  }

  /** PUT of the status subresource. */
  async writeStatus(status: DeploymentStatus): Promise<void> {
    const deployment = this.#deployment;
    const namespace = deployment.metadata.namespace ?? '';
    const body: Deployment = { ...deployment, status };
    this.#deployment = await this.world.client.updateStatus(deploymentsResource, namespace, body);
  }

  async updateReplicaSet(body: ReplicaSet): Promise<ReplicaSet> {
    const namespace = body.metadata.namespace ?? '';
    const updated = await this.world.client.update(replicaSetsResource, namespace, body);
    this.#replicaSets = this.#replicaSets.map((rs) =>
      uidOf(rs) === uidOf(updated) ? updated : rs,
    );
    return updated;
  }

  /** scaleReplicaSetAndRecordEvent: nothing when the size is already right. */
  async scaleAndRecord(rs: ReplicaSet, replicas: number): Promise<boolean> {
    const current = specReplicas(this.latest(rs));
    if (current === replicas) return false;
    return this.scale(rs, replicas, current > replicas ? 'down' : 'up');
  }

  /**
   * scaleReplicaSet: writes the size and the replica annotations when either is stale; a size
   * change is reported as a ScalingReplicaSet event. Resolves whether the size changed.
   */
  async scale(rs: ReplicaSet, replicas: number, operation: string): Promise<boolean> {
    const latest = this.latest(rs);
    const desired = deploymentReplicas(this.#deployment);
    const max = desired + maxSurgeOf(this.#deployment);
    const oldReplicas = specReplicas(latest);
    const sizeChanged = oldReplicas !== replicas;
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(latest, desired, max)) return false;
    const annotations = withReplicasAnnotations(annotationsOf(latest), desired, max).annotations;
    const updated = await this.updateReplicaSet({
      ...latest,
      metadata: { ...latest.metadata, annotations },
      spec: { ...latest.spec, replicas },
    });
    if (!sizeChanged) return false;
    const name = nameOf(updated);
    this.event(
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${operation} replica set ${name} from ${oldReplicas} to ${replicas}`,
    );
    return true;
  }

  /** Applies a scale plan in order (`always` steps also refresh stale annotations). */
  async applySteps(steps: readonly ScaleStep[]): Promise<void> {
    for (const step of steps) {
      if (step.always) await this.scale(step.rs, step.replicas, step.operation);
      else await this.scaleAndRecord(step.rs, step.replicas);
    }
  }

  /** cleanupDeployment: deletes the planned old ReplicaSets (already gone is fine). */
  async cleanup(oldRSs: readonly ReplicaSet[]): Promise<void> {
    const latest = oldRSs.map((rs) => this.latest(rs));
    for (const rs of planHistoryCleanup(this.#deployment, latest)) {
      try {
        const namespace = rs.metadata.namespace ?? '';
        await this.world.client.delete(replicaSetsResource, namespace, nameOf(rs));
        this.world.log(`deleted old replica set ${nameOf(rs)}`);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }

  /** An event on the Deployment from the deployment-controller. */
  event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    const reference = objectReference(this.#deployment, { resource: deploymentsResource });
    this.world.events.event(reference, type, reason, message);
  }
}
