// The Deployment controller (pkg/controller/deployment, v1.32): rolls each Deployment's pods
// from old ReplicaSets to the one matching its current template, RollingUpdate or Recreate.
//
// Shape (STYLE.md 13/14): informers on deployments, replicasets and pods; their handlers
// (deployment-handlers.ts) only enqueue `namespace/name` keys of Deployments into a WorkQueue;
// `workerCount` workers reconcile keys once all three caches have synced. One reconcile:
// 1. the Deployment is gone from the cache → done;
// 2. a selector of `{}` selects everything: Warning SelectingAll, only observedGeneration moves;
// 3. claim the namespace's ReplicaSets (adopt selected orphans, release owned ones that stopped
//    matching; adoption first re-reads the Deployment live and refuses once it is deleting);
// 4. group the pods of the claimed ReplicaSets by ReplicaSet UID (for Recreate);
// 5. DeploymentSync (deployment-sync.ts): status only when deleting; paused/scaling → sync;
//    otherwise the strategy's rollout; decisions come from the pure *-plan/status files.
// Errors retry with the default controller rate limiter, at most 15 times (maxRetries), then the
// key is dropped until the next event; a NamespaceTerminating create error is not retried.
// A rollout stuck without progress is looked at again when its progress deadline passes.

import type { LabelSelector } from '../../api/values/labels.js';
import { matchesLabels, selectorFromLabelSelector } from '../../api/values/labels.js';
import type { KubeClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import { Informer } from '../../client/informer.js';
import type { KubeObject, ResourceDescriptor } from '../../client/types.js';
import { WorkQueue } from '../../client/work-queue.js';
import { EventRecorder } from '../../events/event-recorder.js';
import { objectReference } from '../../events/event-types.js';
import type { Clock } from '../../ports/clock.js';
import type { Rng } from '../../ports/rng.js';
import { assert } from '../../util/assert.js';
import type { Deployment, ReplicaSet } from './deployment-objects.js';
import {
  controllerOf,
  deploymentsResource,
  nameOf,
  podsResource,
  replicaSetsResource,
  uidOf,
} from './deployment-objects.js';
import { controllerUidIndex, DeploymentHandlers, namespaceIndex } from './deployment-handlers.js';
import type { SyncResult } from './deployment-sync.js';
import { DeploymentSync, hasStatusCause, namespaceTerminatingCause } from './deployment-sync.js';
import { adoptPatch, claimDecision, releasePatch } from './replica-set-claim.js';
import type { PodPhaseView } from './scale-plan.js';

export interface DeploymentControllerOptions {
  client: KubeClient;
  clock: Clock;
  /** Forks `deployment-informer`, `replicaset-informer`, `pod-informer` and `events`. */
  rng: Rng;
  /** One line per notable decision or failure. Default: none. */
  log?: (message: string) => void;
  /** Event recorder; default one over `client` with component `deployment-controller`. */
  events?: EventRecorder;
  /** Parallel syncs (--concurrent-deployment-syncs). Default 5. */
  workerCount?: number;
  /** Informer resync period; 0 = off. Default 43,200,000 ms (12 h, --min-resync-period). */
  resyncPeriodMs?: number;
  /** How often workers check whether the caches have synced. Default 100 ms. */
  cacheSyncPollMs?: number;
  /** Retries of a failing key before it is dropped (maxRetries). Default 15. */
  retryCountMax?: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `reflect.DeepEqual(d.Spec.Selector, &metav1.LabelSelector{})`: a selector with no fields. */
function selectsEverything(deployment: Deployment): boolean {
  const selector = deployment.spec.selector;
  return selector !== undefined && selector !== null && Object.keys(selector).length === 0;
}

export class DeploymentController {
  readonly #options: DeploymentControllerOptions;
  readonly #client: KubeClient;
  readonly #clock: Clock;
  readonly #deployments: Informer<Deployment>;
  readonly #replicaSets: Informer<ReplicaSet>;
  readonly #pods: Informer<KubeObject>;
  readonly #queue: WorkQueue<string>;
  readonly #events: EventRecorder;
  readonly #ownsEvents: boolean;
  readonly #log: (line: string) => void;
  #state: 'idle' | 'running' | 'stopped' = 'idle';
  #workers: Promise<void>[] = [];

  constructor(options: DeploymentControllerOptions) {
    this.#options = options;
    this.#client = options.client;
    this.#clock = options.clock;
    this.#log = options.log ?? (() => undefined);
    const informer = <T extends KubeObject>(resource: ResourceDescriptor, name: string) =>
      new Informer<T>({
        client: options.client,
        resource,
        clock: options.clock,
        rng: options.rng.fork(name),
        resyncPeriodMs: options.resyncPeriodMs ?? 43_200_000,
        indexers: {
          [namespaceIndex]: (object) => [object.metadata.namespace ?? ''],
          [controllerUidIndex]: (object) => {
            const ref = controllerOf(object);
            return ref === undefined ? [] : [ref.uid];
          },
        },
      });
    this.#deployments = informer<Deployment>(deploymentsResource, 'deployment-informer');
    this.#replicaSets = informer<ReplicaSet>(replicaSetsResource, 'replicaset-informer');
    this.#pods = informer<KubeObject>(podsResource, 'pod-informer');
    this.#queue = new WorkQueue<string>({ clock: options.clock, name: 'deployment' });
    this.#ownsEvents = options.events === undefined;
    this.#events =
      options.events ??
      new EventRecorder({
        client: options.client,
        clock: options.clock,
        rng: options.rng.fork('events'),
        component: 'deployment-controller',
      });
  }

  /** Keys waiting in the queue or on its timers (diagnostics and tests). */
  get pendingCount(): number {
    return this.#queue.length + this.#queue.waitingCount;
  }

  start(): void {
    assert(this.#state === 'idle', 'deployment controller started twice');
    this.#state = 'running';
    const handlers = new DeploymentHandlers({
      deployments: this.#deployments.store,
      replicaSets: this.#replicaSets.store,
      pods: this.#pods.store,
      enqueue: (deployment) =>
        this.#queue.add(`${deployment.metadata.namespace ?? ''}/${nameOf(deployment)}`),
    });
    handlers.register(this.#deployments, this.#replicaSets, this.#pods);
    this.#deployments.start();
    this.#replicaSets.start();
    this.#pods.start();
    const workers = this.#options.workerCount ?? 5;
    assert(Number.isSafeInteger(workers) && workers > 0, 'workerCount must be a positive integer');
    for (let i = 0; i < workers; i++) this.#workers.push(this.#work());
  }

  /** Stops the informers and the queue; workers finish their current key. Idempotent. */
  stop(): void {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    this.#queue.shutDown();
    this.#deployments.stop();
    this.#replicaSets.stop();
    this.#pods.stop();
    if (this.#ownsEvents) this.#events.stop();
  }

  /** Resolves once every worker has returned after stop(). */
  async whenStopped(): Promise<void> {
    await Promise.all(this.#workers);
  }

  async #work(): Promise<void> {
    if (!(await this.#waitForCacheSync())) return;
    for (;;) {
      const next = await this.#queue.get();
      if (next.shutDown) return;
      await this.#process(next.key);
    }
  }

  /** cache.WaitForCacheSync: polls until every informer has listed; false once stopped. */
  async #waitForCacheSync(): Promise<boolean> {
    const pollMs = this.#options.cacheSyncPollMs ?? 100;
    const informers = [this.#deployments, this.#replicaSets, this.#pods];
    while (this.#state === 'running') {
      if (informers.every((informer) => informer.hasSynced())) return true;
      await this.#clock.sleep(pollMs);
    }
    return false;
  }

  async #process(key: string): Promise<void> {
    try {
      const result = await this.reconcile(key);
      this.#queue.forget(key);
      if (result.requeueAfterMs !== undefined) this.#queue.addAfter(key, result.requeueAfterMs);
      if (result.requeueRateLimited === true) this.#queue.addRateLimited(key);
    } catch (error) {
      this.#handleError(key, error);
    } finally {
      this.#queue.done(key);
    }
  }

  /** handleErr: retry with backoff up to retryCountMax times, then drop the key. */
  #handleError(key: string, error: unknown): void {
    if (hasStatusCause(error, namespaceTerminatingCause)) {
      this.#queue.forget(key);
      return;
    }
    if (this.#queue.numRequeues(key) < (this.#options.retryCountMax ?? 15)) {
      this.#log(`error syncing deployment ${key}: ${messageOf(error)}`);
      this.#queue.addRateLimited(key);
      return;
    }
    this.#log(`dropping deployment ${key} out of the queue: ${messageOf(error)}`);
    this.#queue.forget(key);
  }

  /** One level-triggered pass over Deployment `key` (see the file comment). Throws to retry. */
  async reconcile(key: string): Promise<SyncResult> {
    const cached = this.#deployments.store.get(key);
    if (cached === undefined) return {};
    if (selectsEverything(cached)) return this.#selectingAll(cached);
    const replicaSets = await this.#claimReplicaSets(cached);
    const podsByReplicaSetUid = this.#podsByReplicaSet(cached, replicaSets);
    const sync = new DeploymentSync(
      {
        client: this.#client,
        clock: this.#clock,
        events: this.#events,
        log: this.#log,
        replicaSets: this.#replicaSets.store,
      },
      { deployment: cached, replicaSets, podsByReplicaSetUid },
    );
    return sync.run();
  }

  async #selectingAll(deployment: Deployment): Promise<SyncResult> {
    const message = 'This deployment is selecting all pods. A non-empty selector is required.';
    const reference = objectReference(deployment, { resource: deploymentsResource });
    this.#events.event(reference, 'Warning', 'SelectingAll', message);
    const generation = deployment.metadata.generation ?? 0;
    if ((deployment.status?.observedGeneration ?? 0) < generation) {
      const status = { ...deployment.status, observedGeneration: generation };
      const namespace = deployment.metadata.namespace ?? '';
      await this.#client.updateStatus(deploymentsResource, namespace, { ...deployment, status });
    }
    return {};
  }

  #selectorOf(deployment: Deployment): LabelSelector {
    const result = selectorFromLabelSelector(deployment.spec.selector);
    if (result.ok) return result.selector;
    const namespace = deployment.metadata.namespace ?? '';
    const detail = result.message;
    throw new Error(
      `deployment ${namespace}/${nameOf(deployment)} has invalid label selector: ${detail}`,
    );
  }

  /** getReplicaSetsForDeployment: ClaimReplicaSets over the namespace's cached ReplicaSets. */
  async #claimReplicaSets(deployment: Deployment): Promise<ReplicaSet[]> {
    const selector = this.#selectorOf(deployment);
    const namespace = deployment.metadata.namespace ?? '';
    const candidates = this.#replicaSets.store.byIndex(namespaceIndex, namespace);
    const claimed: ReplicaSet[] = [];
    const errors: string[] = [];
    let adoptable: Promise<void> | undefined;
    for (const rs of candidates) {
      const selected = matchesLabels(selector, rs.metadata.labels);
      const decision = claimDecision(deployment, rs, selected);
      if (decision === 'owned') claimed.push(rs);
      if (decision !== 'adopt' && decision !== 'release') continue;
      try {
        if (decision === 'adopt') {
          adoptable ??= this.#recheckDeletion(deployment);
          await adoptable;
          claimed.push(await this.#patchReplicaSet(rs, adoptPatch(deployment, rs)));
        } else {
          await this.#patchReplicaSet(rs, releasePatch(deployment, rs));
        }
      } catch (error) {
        if (!isNotFound(error)) errors.push(messageOf(error));
      }
    }
    if (errors.length > 0)
      throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
    return claimed;
  }

  /** RecheckDeletionTimestamp: a live read; adoption stops if the Deployment is gone or going. */
  async #recheckDeletion(deployment: Deployment): Promise<void> {
    const namespace = deployment.metadata.namespace ?? '';
    const name = nameOf(deployment);
    const fresh = await this.#client.get<Deployment>(deploymentsResource, namespace, name);
    if (uidOf(fresh) !== uidOf(deployment)) {
      throw new Error(
        `original Deployment ${namespace}/${name} is gone: got uid ${uidOf(fresh)}, wanted ${uidOf(deployment)}`,
      );
    }
    const deleted = fresh.metadata.deletionTimestamp;
    if (deleted !== undefined)
      throw new Error(`${namespace}/${name} has just been deleted at ${deleted}`);
  }

  async #patchReplicaSet(rs: ReplicaSet, body: Record<string, unknown>): Promise<ReplicaSet> {
    const target = { namespace: rs.metadata.namespace ?? '', name: nameOf(rs) };
    return this.#client.patch<ReplicaSet>(replicaSetsResource, target, { type: 'strategic', body });
  }

  /** getPodMapForDeployment: selected pods grouped by the claimed ReplicaSet controlling them. */
  #podsByReplicaSet(
    deployment: Deployment,
    replicaSets: readonly ReplicaSet[],
  ): Map<string, PodPhaseView[]> {
    const selector = this.#selectorOf(deployment);
    const map = new Map<string, PodPhaseView[]>();
    for (const rs of replicaSets) {
      const pods = this.#pods.store
        .byIndex(controllerUidIndex, uidOf(rs))
        .filter((pod) => pod.metadata.namespace === deployment.metadata.namespace)
        .filter((pod) => matchesLabels(selector, pod.metadata.labels));
      map.set(uidOf(rs), pods as PodPhaseView[]);
    }
    return map;
  }
}
