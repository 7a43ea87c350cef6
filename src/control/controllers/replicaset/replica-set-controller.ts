// The ReplicaSet controller (pkg/controller/replicaset, v1.32): keeps spec.replicas active pods
// for every ReplicaSet, adopting matching orphans and releasing pods that stopped matching.
//
// Shape (STYLE.md 13/14): informers on replicasets and pods feed a WorkQueue of ReplicaSet keys
// (replica-set-handlers.ts); `workerCount` workers reconcile keys once both caches have synced.
// Decisions are the pure functions of replica-set-plan.ts, replica-set-status.ts and
// active-pods-ranking.ts; this file only calls the API. One sync of `namespace/name`:
// 1. gone from the cache → drop its expectations, done;
// 2. list the namespace's active pods from the cache and claim them (controller-ref-manager.ts;
//    adoption first re-reads the ReplicaSet live and refuses while it is being deleted);
// 3. when its expectations are satisfied and it is not being deleted, create the shortfall in
//    slow-start batches or delete the surplus in ranked order, at most `burstReplicas` per sync,
//    recording expectations first;
// 4. compute the status (ReplicaFailure when step 3 failed) and PUT it to the status subresource
//    when it changed (one retry after re-reading, as upstream's statusUpdateRetries = 1);
// 5. a step-3 failure is thrown after the status write → rate-limited retry; all pods Ready but
//    not yet available → look again after minReadySeconds.
// Unlike upstream, a sync skipped because expectations are unmet re-queues the key for when they
// expire, so the 5-minute TTL takes effect even if no further event arrives.
// Deleting a ReplicaSet leaves its pods to the garbage collector. Creates, deletes and their
// events (SuccessfulCreate, FailedCreate, SuccessfulDelete, FailedDelete) are pod-control.ts's.

import type { LabelSelector, LabelSelectorObject } from '../../api/values/labels.js';
import { matchesLabels, selectorFromLabelSelector } from '../../api/values/labels.js';
import type { KubeClient } from '../../client/client.js';
import { Informer } from '../../client/informer.js';
import { coreResources } from '../../client/resource-client.js';
import type { KubeObject } from '../../client/types.js';
import { WorkQueue } from '../../client/work-queue.js';
import { EventRecorder } from '../../events/event-recorder.js';
import type { Clock } from '../../ports/clock.js';
import type { Rng } from '../../ports/rng.js';
import { assert, assertNever } from '../../util/assert.js';
import { getControllerOf } from './controller-ref.js';
import { claimObjects, recheckDeletionTimestamp } from './controller-ref-manager.js';
import { ControllerExpectations } from './expectations.js';
import { messageOf, PodControl } from './pod-control.js';
import { isBeingDeleted, isPodActive, labelsOf, specOf, uidOf } from './pod-fields.js';
import { namespaceIndex, ReplicaSetEventHandlers } from './replica-set-handlers.js';
import { burstReplicasDefault, planReplicas } from './replica-set-plan.js';
import type { ReplicaSetStatus } from './replica-set-status.js';
import {
  calculateReplicaSetStatus,
  desiredReplicasOf,
  generationOf,
  minReadySecondsOf,
  replicaSetStatusBody,
  replicaSetStatusNeedsWrite,
  replicaSetStatusOf,
} from './replica-set-status.js';

export interface ReplicaSetControllerOptions {
  client: KubeClient;
  clock: Clock;
  /** Forks `replicaset-informer`, `pod-informer` and (for the default recorder) `events`. */
  rng: Rng;
  /** One line per decision or failure. Default: none. */
  log?: (message: string) => void;
  /** Event recorder; default one over `client` with component `replicaset-controller`. */
  events?: EventRecorder;
  /** Parallel syncs (--concurrent-replicaset-syncs). Default 5. */
  workerCount?: number;
  /** Most creates or deletes per sync (BurstReplicas). Default 500. */
  burstReplicas?: number;
  /** How long unobserved creates/deletes block a ReplicaSet. Default 300,000 ms. */
  expectationsTimeoutMs?: number;
  /** Informer resync period; 0 = off. Default 43,200,000 ms (12 h, --min-resync-period). */
  resyncPeriodMs?: number;
  /** How often workers check whether the caches have synced. Default 100 ms. */
  cacheSyncPollMs?: number;
}

/** What one sync asks of the queue: nothing, or another look after a delay. */
export interface SyncResult {
  requeueAfterMs?: number;
}

/** The kind this controller writes into controller references. */
export const replicaSetKind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;
/** Upstream's statusUpdateRetries. */
const statusUpdateRetries = 1;
/** The ReplicaSet index by controller UID (upstream's controllerUIDIndex). */
const controllerUidIndex = 'controllerUID';
const pods = coreResources.pods;
const replicaSets = coreResources.replicaSets;

function namespaceOf(object: KubeObject): string[] {
  return [object.metadata.namespace ?? ''];
}

function controllerUidOf(object: KubeObject): string[] {
  const reference = getControllerOf(object);
  return reference === undefined ? [] : [reference.uid];
}

function positiveInteger(value: number, name: string): number {
  assert(Number.isSafeInteger(value) && value > 0, `${name} must be a positive integer`);
  return value;
}

export class ReplicaSetController {
  readonly #options: ReplicaSetControllerOptions;
  readonly #client: KubeClient;
  readonly #clock: Clock;
  readonly #replicaSets: Informer<KubeObject>;
  readonly #pods: Informer<KubeObject>;
  readonly #queue: WorkQueue<string>;
  readonly #expectations: ControllerExpectations;
  readonly #events: EventRecorder;
  readonly #ownsEvents: boolean;
  readonly #podControl: PodControl;
  readonly #burstReplicas: number;
  #state: 'idle' | 'running' | 'stopped' = 'idle';
  #workers: Promise<void>[] = [];
  #cachesSynced: Promise<boolean> | undefined;

  constructor(options: ReplicaSetControllerOptions) {
    this.#options = options;
    this.#client = options.client;
    this.#clock = options.clock;
    this.#burstReplicas = positiveInteger(options.burstReplicas ?? burstReplicasDefault, 'burst');
    const resyncPeriodMs = options.resyncPeriodMs ?? 43_200_000;
    this.#replicaSets = new Informer<KubeObject>({
      client: options.client,
      resource: replicaSets,
      clock: options.clock,
      rng: options.rng.fork('replicaset-informer'),
      resyncPeriodMs,
      indexers: { [namespaceIndex]: namespaceOf, [controllerUidIndex]: controllerUidOf },
    });
    this.#pods = new Informer<KubeObject>({
      client: options.client,
      resource: pods,
      clock: options.clock,
      rng: options.rng.fork('pod-informer'),
      resyncPeriodMs,
      indexers: { [namespaceIndex]: namespaceOf },
    });
    this.#queue = new WorkQueue<string>({ clock: options.clock, name: 'replicaset' });
    this.#expectations = new ControllerExpectations({
      clock: options.clock,
      timeoutMs: options.expectationsTimeoutMs,
    });
    this.#ownsEvents = options.events === undefined;
    this.#events =
      options.events ??
      new EventRecorder({
        client: options.client,
        clock: options.clock,
        rng: options.rng.fork('events'),
        component: 'replicaset-controller',
      });
    this.#podControl = new PodControl({
      client: options.client,
      expectations: this.#expectations,
      events: this.#events,
      controllerKind: replicaSetKind,
      controllerResource: replicaSets,
    });
  }

  /** Keys waiting in the queue or on its timers (diagnostics and tests). */
  get pendingCount(): number {
    return this.#queue.length + this.#queue.waitingCount;
  }

  /** Creates and deletes of `namespace/name` not yet seen in the pod informer (diagnostics). */
  pendingExpectations(key: string): { add: number; del: number } {
    return this.#expectations.pending(key);
  }

  start(): void {
    assert(this.#state === 'idle', 'replicaset controller started twice');
    this.#state = 'running';
    const handlers = new ReplicaSetEventHandlers({
      replicaSets: this.#replicaSets.store,
      expectations: this.#expectations,
      controllerKind: replicaSetKind.kind,
      enqueue: (key) => this.#queue.add(key),
      enqueueAfter: (key, delayMs) => this.#queue.addAfter(key, delayMs),
    });
    this.#replicaSets.addEventHandler(handlers.replicaSet);
    this.#pods.addEventHandler(handlers.pod);
    this.#replicaSets.start();
    this.#pods.start();
    const workerCount = positiveInteger(this.#options.workerCount ?? 5, 'workerCount');
    for (let i = 0; i < workerCount; i++) this.#workers.push(this.#work());
  }

  /** Stops the informers and the queue; syncs in flight finish (see whenStopped). Idempotent. */
  stop(): void {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    this.#queue.shutDown();
    this.#replicaSets.stop();
    this.#pods.stop();
    if (this.#ownsEvents) this.#events.stop();
  }

  /** Resolves once every worker has returned after stop(). */
  async whenStopped(): Promise<void> {
    await Promise.all(this.#workers);
  }

  #waitForCaches(): Promise<boolean> {
    const pollMs = positiveInteger(this.#options.cacheSyncPollMs ?? 100, 'cacheSyncPollMs');
    const poll = async (): Promise<boolean> => {
      // Bounded by stop(): upstream's WaitForCacheSync also waits until synced or stopped.
      while (!this.#replicaSets.hasSynced() || !this.#pods.hasSynced()) {
        if (this.#state === 'stopped') return false;
        await this.#clock.sleep(pollMs);
      }
      return this.#state !== 'stopped';
    };
    return (this.#cachesSynced ??= poll());
  }

  async #work(): Promise<void> {
    if (!(await this.#waitForCaches())) return;
    for (;;) {
      const next = await this.#queue.get();
      if (next.shutDown) return;
      await this.#process(next.key);
    }
  }

  async #process(key: string): Promise<void> {
    try {
      const result = await this.syncReplicaSet(key);
      this.#queue.forget(key);
      if (result.requeueAfterMs !== undefined) this.#queue.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      this.#options.log?.(`sync "${key}" failed with ${messageOf(error)}`);
      this.#queue.addRateLimited(key);
    } finally {
      this.#queue.done(key);
    }
  }

  /** One level-triggered pass over `namespace/name` (see the file comment). Throws to retry. */
  async syncReplicaSet(key: string): Promise<SyncResult> {
    const replicaSet = this.#replicaSets.store.get(key);
    if (replicaSet === undefined) {
      this.#expectations.delete(key);
      return {};
    }
    const needsSync = this.#expectations.satisfied(key);
    const selectorObject = specOf(replicaSet).selector as LabelSelectorObject | undefined;
    const parsed = selectorFromLabelSelector(selectorObject);
    if (!parsed.ok) {
      this.#options.log?.(
        `error converting pod selector to selector for rs ${key}: ${parsed.message}`,
      );
      return {};
    }
    const namespace = replicaSet.metadata.namespace ?? '';
    const active = this.#pods.store.byIndex(namespaceIndex, namespace).filter(isPodActive);
    const owned = await this.#claimPods(replicaSet, parsed.selector, active);
    let failure: Error | undefined;
    if (needsSync && !isBeingDeleted(replicaSet)) {
      failure = await this.#manageReplicas(replicaSet, key, owned);
    }
    const nowMs = this.#clock.nowMs();
    const status = calculateReplicaSetStatus(replicaSet, owned, { failure, nowMs });
    const updated = await this.#writeStatus(replicaSet, status);
    if (failure !== undefined) throw failure;
    const waits: number[] = [];
    if (!needsSync) waits.push(this.#expectations.msUntilExpiry(key) ?? 1);
    if (this.#awaitsAvailability(updated)) waits.push(minReadySecondsOf(updated) * 1000);
    return waits.length === 0 ? {} : { requeueAfterMs: Math.min(...waits) };
  }

  /** All desired pods Ready but not all available yet: recount after minReadySeconds. */
  #awaitsAvailability(replicaSet: KubeObject): boolean {
    const desired = desiredReplicasOf(replicaSet);
    const status = replicaSetStatusOf(replicaSet);
    return (
      minReadySecondsOf(replicaSet) > 0 &&
      status.readyReplicas === desired &&
      status.availableReplicas !== desired
    );
  }

  async #claimPods(
    replicaSet: KubeObject,
    selector: LabelSelector,
    candidates: readonly KubeObject[],
  ): Promise<KubeObject[]> {
    const namespace = replicaSet.metadata.namespace ?? '';
    const name = replicaSet.metadata.name ?? '';
    const getFresh = async (): Promise<KubeObject> => {
      const fresh = await this.#client.get(replicaSets, namespace, name);
      if (uidOf(fresh) !== uidOf(replicaSet)) {
        const uids = `got uid ${uidOf(fresh)}, wanted ${uidOf(replicaSet)}`;
        throw new Error(`original ReplicaSet ${namespace}/${name} is gone: ${uids}`);
      }
      return fresh;
    };
    const result = await claimObjects(candidates, {
      owner: replicaSet,
      ownerKind: replicaSetKind,
      objectKind: 'Pod',
      matches: (pod) => matchesLabels(selector, labelsOf(pod)),
      canAdopt: recheckDeletionTimestamp(getFresh),
      patch: (pod, body) =>
        this.#client.patch(
          pods,
          { namespace, name: pod.metadata.name ?? '' },
          { type: 'strategic', body },
        ),
    });
    if (result.error !== undefined) throw result.error;
    return result.claimed;
  }

  async #manageReplicas(
    replicaSet: KubeObject,
    key: string,
    owned: readonly KubeObject[],
  ): Promise<Error | undefined> {
    const plan = planReplicas({
      desiredReplicas: desiredReplicasOf(replicaSet),
      activePods: owned,
      relatedPods: this.#relatedPods(replicaSet),
      burstReplicas: this.#burstReplicas,
      nowMs: this.#clock.nowMs(),
    });
    switch (plan.kind) {
      case 'none':
        return undefined;
      case 'create':
        this.#options.log?.(`too few replicas for ${key}: creating ${plan.count}`);
        return this.#podControl.createPods(replicaSet, { key, count: plan.count });
      case 'delete':
        this.#options.log?.(`too many replicas for ${key}: deleting ${plan.victims.length}`);
        return this.#podControl.deletePods(replicaSet, { key, victims: plan.victims });
      default:
        return assertNever(plan, 'unknown replica plan');
    }
  }

  /** getIndirectlyRelatedPods: pods of every ReplicaSet sharing this one's controller. */
  #relatedPods(replicaSet: KubeObject): KubeObject[] {
    const reference = getControllerOf(replicaSet);
    if (reference === undefined) return [];
    const seen = new Set<string>();
    const related: KubeObject[] = [];
    for (const sibling of this.#replicaSets.store.byIndex(controllerUidIndex, reference.uid)) {
      const selector = specOf(sibling).selector as LabelSelectorObject | undefined;
      const parsed = selectorFromLabelSelector(selector);
      if (!parsed.ok) continue;
      const candidates = this.#pods.store.byIndex(namespaceIndex, sibling.metadata.namespace ?? '');
      for (const pod of candidates) {
        if (!matchesLabels(parsed.selector, labelsOf(pod)) || seen.has(uidOf(pod))) continue;
        seen.add(uidOf(pod));
        related.push(pod);
      }
    }
    return related;
  }

  /** updateReplicaSetStatus: writes only a changed status; one retry after a fresh GET. */
  async #writeStatus(replicaSet: KubeObject, status: ReplicaSetStatus): Promise<KubeObject> {
    if (!replicaSetStatusNeedsWrite(replicaSet, status)) return replicaSet;
    const body = replicaSetStatusBody(status, generationOf(replicaSet));
    const namespace = replicaSet.metadata.namespace ?? '';
    let latest = replicaSet;
    for (let attempt = 0; ; attempt++) {
      try {
        const next = { ...latest, ...replicaSetKind, status: body };
        return await this.#client.updateStatus(replicaSets, namespace, next);
      } catch (error) {
        if (attempt >= statusUpdateRetries) throw error;
      }
      latest = await this.#client.get(replicaSets, namespace, replicaSet.metadata.name ?? '');
    }
  }
}
