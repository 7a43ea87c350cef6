// One sync of one Deployment (deployment_controller.go syncDeployment after the claim, with
// sync.go, rolling.go, recreate.go and progress.go): the order of the steps, around the pure
// plans (scale-plan.ts, deployment-status.ts); the writes go through a DeploymentWriter.

import { ApiStatusError, isAlreadyExists } from '../../client/errors.js';
import { assert } from '../../util/assert.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from './deployment-objects.js';
import {
  annotationsOf,
  deploymentReplicas,
  hasProgressDeadline,
  nameOf,
  replicaSetsResource,
  revisionAnnotation,
} from './deployment-objects.js';
import {
  calculateStatus,
  deploymentComplete,
  getCondition,
  newCondition,
  pausedConditionUpdate,
  progressingCondition,
  reasons,
  rolloutStatus,
  setCondition,
  statusesEqual,
  stuckRequeue,
} from './deployment-status.js';
import type { SyncWorld } from './deployment-writer.js';
import { DeploymentWriter } from './deployment-writer.js';
import { newReplicaSetFor } from './new-replica-set.js';
import {
  activeReplicaSets,
  findNewReplicaSet,
  findOldReplicaSets,
  maxRevision,
} from './replica-set-lists.js';
import { newReplicaSetAnnotations } from './revision.js';
import { maxSurgeOf } from './rolling-params.js';
import type { PodPhaseView } from './scale-plan.js';
import {
  isScalingEvent,
  newReplicaSetReplicas,
  oldPodsRunning,
  planNewReplicaSet,
  planOldReplicaSets,
  planRecreateScaleDown,
  planScale,
} from './scale-plan.js';
import { equalIgnoreHash } from './template-hash.js';

export type { SyncWorld } from './deployment-writer.js';

/** What a sync asks of the queue besides success: a later look, or a rate-limited one. */
export interface SyncResult {
  requeueAfterMs?: number;
  requeueRateLimited?: boolean;
}

/** v1.NamespaceTerminatingCause. */
export const namespaceTerminatingCause = 'NamespaceTerminating';

export function hasStatusCause(error: unknown, cause: string): boolean {
  if (!(error instanceof ApiStatusError)) return false;
  return (error.details?.causes ?? []).some((entry) => entry.reason === cause);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface ReplicaSetSplit {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

export class DeploymentSync {
  readonly #world: SyncWorld;
  readonly #writer: DeploymentWriter;
  readonly #podsByReplicaSetUid: ReadonlyMap<string, readonly PodPhaseView[]>;

  constructor(
    world: SyncWorld,
    state: {
      deployment: Deployment;
      replicaSets: readonly ReplicaSet[];
      podsByReplicaSetUid: ReadonlyMap<string, readonly PodPhaseView[]>;
    },
  ) {
    this.#world = world;
    this.#writer = new DeploymentWriter(world, state.deployment, state.replicaSets);
    this.#podsByReplicaSetUid = state.podsByReplicaSetUid;
  }

  get #deployment(): Deployment {
    return this.#writer.deployment;
  }

  /** syncDeployment from the deletion check on. Throws to retry. */
  async run(): Promise<SyncResult> {
    if (this.#deployment.metadata.deletionTimestamp !== undefined) return this.#syncStatusOnly();
    const paused = pausedConditionUpdate(this.#deployment, this.#world.clock.nowMs());
    if (paused !== undefined) await this.#writer.writeStatus(paused);
    if (this.#deployment.spec.paused === true) return this.#sync();
    const split = await this.#allReplicaSetsAndSyncRevision(false);
    const all = this.#writer.all(split.newRS, split.oldRSs);
    if (isScalingEvent(this.#deployment, all)) return this.#sync();
    const type = this.#deployment.spec.strategy?.type ?? 'RollingUpdate';
    if (type === 'Recreate') return this.#rolloutRecreate();
    if (type === 'RollingUpdate') return this.#rolloutRolling();
    throw new Error(`unexpected deployment strategy type: ${type}`);
  }

  async #syncStatusOnly(): Promise<SyncResult> {
    const { newRS, oldRSs } = await this.#allReplicaSetsAndSyncRevision(false);
    await this.#syncDeploymentStatus(newRS, oldRSs);
    return {};
  }

  /** sync(): scaling events and paused Deployments — scale, clean up when paused, status. */
  async #sync(): Promise<SyncResult> {
    const { newRS, oldRSs } = await this.#allReplicaSetsAndSyncRevision(false);
    await this.#writer.applySteps(planScale(this.#deployment, newRS, oldRSs));
    if (this.#deployment.spec.paused === true) await this.#writer.cleanup(oldRSs);
    await this.#syncDeploymentStatus(newRS, oldRSs);
    return {};
  }

  async #rolloutRolling(): Promise<SyncResult> {
    const { newRS, oldRSs } = await this.#allReplicaSetsAndSyncRevision(true);
    assert(newRS !== undefined, 'a rolling update has a new ReplicaSet once created');
    const writer = this.#writer;
    const target = planNewReplicaSet(this.#deployment, writer.all(newRS, oldRSs), newRS);
    if (!target.ok) throw new Error(target.message);
    if (await writer.scaleAndRecord(newRS, target.value)) {
      return this.#syncRolloutStatus(newRS, oldRSs);
    }
    const old = oldRSs.map((rs) => writer.latest(rs));
    const plan = planOldReplicaSets(
      this.#deployment,
      writer.all(newRS, old),
      activeReplicaSets(old),
      writer.latest(newRS),
    );
    for (const step of plan.steps) await writer.scaleAndRecord(step.rs, step.replicas);
    if (plan.error !== undefined) throw new Error(plan.error);
    if (plan.steps.length > 0) return this.#syncRolloutStatus(newRS, oldRSs);
    if (deploymentComplete(this.#deployment, this.#deployment.status ?? {})) {
      await writer.cleanup(oldRSs);
    }
    return this.#syncRolloutStatus(newRS, oldRSs);
  }

  async #rolloutRecreate(): Promise<SyncResult> {
    let split = await this.#allReplicaSetsAndSyncRevision(false);
    let scaledDown = false;
    for (const step of planRecreateScaleDown(split.oldRSs)) {
      if (await this.#writer.scaleAndRecord(step.rs, step.replicas)) scaledDown = true;
    }
    if (scaledDown) return this.#syncRolloutStatus(split.newRS, split.oldRSs);
    if (oldPodsRunning(split.newRS, split.oldRSs, this.#podsByReplicaSetUid)) {
      return this.#syncRolloutStatus(split.newRS, split.oldRSs);
    }
    if (split.newRS === undefined) split = await this.#allReplicaSetsAndSyncRevision(true);
    assert(split.newRS !== undefined, 'a recreate rollout has a new ReplicaSet once created');
    await this.#writer.scaleAndRecord(split.newRS, deploymentReplicas(this.#deployment));
    if (deploymentComplete(this.#deployment, this.#deployment.status ?? {})) {
      await this.#writer.cleanup(split.oldRSs);
    }
    return this.#syncRolloutStatus(split.newRS, split.oldRSs);
  }

  /** getAllReplicaSetsAndSyncRevision. */
  async #allReplicaSetsAndSyncRevision(create: boolean): Promise<ReplicaSetSplit> {
    const replicaSets = this.#writer.replicaSets;
    const oldRSs = findOldReplicaSets(this.#deployment, replicaSets);
    const newRevision = maxRevision(oldRSs) + 1;
    const existing = findNewReplicaSet(this.#deployment, replicaSets);
    if (existing !== undefined) {
      return { newRS: await this.#syncExistingNewReplicaSet(existing, newRevision), oldRSs };
    }
    if (!create) return { newRS: undefined, oldRSs };
    return { newRS: await this.#createNewReplicaSet(oldRSs, newRevision), oldRSs };
  }

  /**
   * getNewReplicaSet for an existing new ReplicaSet: bring its revision, copied annotations and
   * minReadySeconds up to date (and stop there), else the Deployment's revision and, with a
   * deadline and no Progressing condition yet, FoundNewReplicaSet.
   */
  async #syncExistingNewReplicaSet(existing: ReplicaSet, newRevision: number) {
    const deployment = this.#deployment;
    const desired = deploymentReplicas(deployment);
    const update = newReplicaSetAnnotations(annotationsOf(existing), {
      deployment: annotationsOf(deployment),
      newRevision,
      exists: true,
      desiredReplicas: desired,
      maxReplicas: desired + maxSurgeOf(deployment),
    });
    const minReadySeconds = deployment.spec.minReadySeconds ?? 0;
    if (update.changed || (existing.spec.minReadySeconds ?? 0) !== minReadySeconds) {
      return this.#writer.updateReplicaSet({
        ...existing,
        metadata: { ...existing.metadata, annotations: update.annotations },
        spec: { ...existing.spec, minReadySeconds },
      });
    }
    let status = deployment.status ?? {};
    if (
      hasProgressDeadline(deployment) &&
      getCondition(status, progressingCondition) === undefined
    ) {
      const message = `Found new replica set "${nameOf(existing)}"`;
      status = setCondition(status, this.#progressing('True', reasons.foundNewRS, message));
    }
    await this.#writer.writeDeployment(annotationsOf(existing)[revisionAnnotation] ?? '', status);
    return existing;
  }

  /** getNewReplicaSet's create path: sized by NewRSNewReplicas, stamped with the revision. */
  async #createNewReplicaSet(oldRSs: ReplicaSet[], newRevision: number): Promise<ReplicaSet> {
    const deployment = this.#deployment;
    const { rs: draft } = newReplicaSetFor(deployment);
    const count = newReplicaSetReplicas(deployment, [...oldRSs, draft], draft);
    if (!count.ok) throw new Error(count.message);
    const desired = deploymentReplicas(deployment);
    const annotations = newReplicaSetAnnotations(
      {},
      {
        deployment: annotationsOf(deployment),
        newRevision,
        exists: false,
        desiredReplicas: desired,
        maxReplicas: desired + maxSurgeOf(deployment),
      },
    ).annotations;
    const created = await this.#createOrFind({
      ...draft,
      metadata: { ...draft.metadata, annotations },
      spec: { ...draft.spec, replicas: count.value },
    });
    const name = nameOf(created.rs);
    if (!created.alreadyExisted && count.value > 0) {
      const message = `Scaled up replica set ${name} from 0 to ${count.value}`;
      this.#writer.event('Normal', 'ScalingReplicaSet', message);
    }
    let status = this.#deployment.status ?? {};
    if (!created.alreadyExisted && hasProgressDeadline(this.#deployment)) {
      const message = `Created new replica set "${name}"`;
      status = setCondition(status, this.#progressing('True', reasons.newReplicaSet, message));
    }
    await this.#writer.writeDeployment(String(newRevision), status);
    return created.rs;
  }

  /** POST; AlreadyExists with our template is taken as is, otherwise a hash collision. */
  async #createOrFind(body: ReplicaSet): Promise<{ rs: ReplicaSet; alreadyExisted: boolean }> {
    const namespace = body.metadata.namespace ?? '';
    try {
      const client = this.#world.client;
      const rs = await client.create<ReplicaSet>(replicaSetsResource, namespace, body);
      this.#writer.add(rs);
      return { rs, alreadyExisted: false };
    } catch (error) {
      if (isAlreadyExists(error)) return this.#onAlreadyExists(body, error);
      if (!hasStatusCause(error, namespaceTerminatingCause))
        await this.#onCreateFailed(body, error);
      throw error;
    }
  }

  async #onAlreadyExists(body: ReplicaSet, error: unknown) {
    const key = `${body.metadata.namespace ?? ''}/${nameOf(body)}`;
    const cached = this.#world.replicaSets.get(key) as ReplicaSet | undefined;
    if (cached === undefined) throw new Error(`replicaset.apps "${nameOf(body)}" not found`);
    if (equalIgnoreHash(cached.spec.template, this.#deployment.spec.template)) {
      this.#writer.add(cached);
      return { rs: cached, alreadyExisted: true };
    }
    const status = this.#deployment.status ?? {};
    const collisionCount = (status.collisionCount ?? 0) + 1;
    try {
      await this.#writer.writeStatus({ ...status, collisionCount });
      const name = nameOf(this.#deployment);
      this.#world.log(
        `found a hash collision for deployment ${name}: collisionCount now ${collisionCount}`,
      );
    } catch (writeError) {
      this.#world.log(`collisionCount update failed: ${messageOf(writeError)}`);
    }
    throw error;
  }

  /** A failed create: Progressing False/ReplicaSetCreateError (best effort) and a Warning. */
  async #onCreateFailed(body: ReplicaSet, error: unknown): Promise<void> {
    const message = `Failed to create new replica set "${nameOf(body)}": ${messageOf(error)}`;
    if (hasProgressDeadline(this.#deployment)) {
      const condition = this.#progressing('False', reasons.failedRSCreate, message);
      const status = setCondition(this.#deployment.status ?? {}, condition);
      await this.#writer.writeStatus(status).catch(() => undefined);
    }
    this.#writer.event('Warning', reasons.failedRSCreate, message);
  }

  /** syncDeploymentStatus: counts and Available only. */
  async #syncDeploymentStatus(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]) {
    const next = calculateStatus(
      this.#writer.all(newRS, oldRSs),
      newRS === undefined ? undefined : this.#writer.latest(newRS),
      this.#deployment,
      this.#world.clock.nowMs(),
    );
    if (!statusesEqual(this.#deployment.status, next)) await this.#writer.writeStatus(next);
  }

  /** syncRolloutStatus: the full status; unchanged and stuck → look again at the deadline. */
  async #syncRolloutStatus(
    newRS: ReplicaSet | undefined,
    oldRSs: readonly ReplicaSet[],
  ): Promise<SyncResult> {
    const nowMs = this.#world.clock.nowMs();
    const latestNew = newRS === undefined ? undefined : this.#writer.latest(newRS);
    const all = this.#writer.all(newRS, oldRSs);
    const next: DeploymentStatus = rolloutStatus(all, latestNew, this.#deployment, nowMs);
    if (!statusesEqual(this.#deployment.status, next)) {
      await this.#writer.writeStatus(next);
      return {};
    }
    const requeue = stuckRequeue(this.#deployment, next, nowMs);
    if (requeue.kind === 'after') return { requeueAfterMs: requeue.delayMs };
    if (requeue.kind === 'rateLimited') return { requeueRateLimited: true };
    return {};
  }

  #progressing(status: 'True' | 'False', reason: string, message: string) {
    return newCondition(progressingCondition, status, reason, message, this.#world.clock.nowMs());
  }
}
