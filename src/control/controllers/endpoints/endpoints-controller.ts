// The Endpoints controller (pkg/controller/endpoint, v1.32): keeps, for every Service with a
// selector, an Endpoints object of the same name listing the addresses of the pods it selects.
//
// Shape (STYLE.md 13/14): informers on services, pods and endpoints; handlers only enqueue
// service keys (`namespace/name`) on a WorkQueue: a service event its own key, a pod event the
// keys of the services whose selectors match its old and new labels (pod-changes.ts), an
// Endpoints deletion its own key (so it is recreated, or confirmed gone). Workers start once all
// three caches have synced (polled every `cacheSyncPollMs`, as WaitForCacheSync); then every
// cached Endpoints not holding a leader-election record is enqueued once, so Endpoints left
// behind by services deleted while the controller was down are removed (checkLeftoverEndpoints).
// One reconcile (syncService):
// 1. service gone from the cache → DELETE the Endpoints (404 is fine), forget its state;
// 2. ExternalName or no selector → leave everything alone;
// 3. desired subsets from the selected pods (endpoints-subsets.ts), trigger time
//    (trigger-time-tracker.ts), then the write decision (endpoints-plan.ts);
// 4. a cached Endpoints whose resourceVersion this controller already replaced → error (the
//    cache is behind: retry later rather than compare against stale content);
// 5. create or update; a failure records a Warning event (FailedToCreateEndpoint /
//    FailedToUpdateEndpoint) and is retried with the default controller backoff, at most
//    `retryCountMax` times (then dropped, as upstream). A create refused because the namespace
//    is terminating is dropped at once.

import { isForbidden, isNotFound, ApiStatusError } from '../../client/errors.js';
import type { KubeClient } from '../../client/client.js';
import { objectKeyOf as keyOf, splitObjectKey } from '../../client/cache.js';
import { Informer } from '../../client/informer.js';
import type { KubeObject, ResourceDescriptor } from '../../client/types.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { EventRecorder } from '../../events/event-recorder.js';
import { objectReference } from '../../events/event-types.js';
import type { Clock } from '../../ports/clock.js';
import type { Rng } from '../../ports/rng.js';
import { assert, assertNever } from '../../util/assert.js';
import { planEndpointsWrite } from './endpoints-plan.js';
import {
  desiredSubsets,
  selectorMatches,
  serviceSelector,
  serviceSkipReason,
} from './endpoints-subsets.js';
import type { ServicesSelecting } from './pod-changes.js';
import { servicesForPod, servicesForPodUpdate } from './pod-changes.js';
import { TriggerTimeTracker } from './trigger-time-tracker.js';

export interface EndpointsControllerOptions {
  client: KubeClient;
  clock: Clock;
  /** Forks `services`, `pods`, `endpoints` (informers) and `resync`. */
  rng: Rng;
  /** One line per notable event or failure. Default: none. */
  log?: (message: string) => void;
  /** Receives FailedToCreateEndpoint / FailedToUpdateEndpoint warnings. Default: none. */
  recorder?: EventRecorder;
  /** Parallel reconciles (--concurrent-endpoint-syncs). Default 5. */
  workerCount?: number;
  /** Wait before syncing a pod event's services (--endpoint-updates-batch-period). Default 0. */
  endpointUpdatesBatchPeriodMs?: number;
  /** Service informer resync. Default: 12 h × [1, 2), drawn once (--min-resync-period). */
  resyncPeriodMs?: number;
  /** Failed syncs of one service before it is dropped (maxRetries). Default 15. */
  retryCountMax?: number;
  /** How often start-up checks whether the caches have synced. Default 100 ms. */
  cacheSyncPollMs?: number;
}

const servicesResource: ResourceDescriptor = {
  group: '',
  version: 'v1',
  plural: 'services',
  namespaced: true,
  kind: 'Service',
};
const podsResource: ResourceDescriptor = {
  group: '',
  version: 'v1',
  plural: 'pods',
  namespaced: true,
  kind: 'Pod',
};
const endpointsResource: ResourceDescriptor = {
  group: '',
  version: 'v1',
  plural: 'endpoints',
  namespaced: true,
  kind: 'Endpoints',
};

/** resourcelock.LeaderElectionRecordAnnotationKey: Endpoints used as a lock are not ours. */
const leaderElectionAnnotation = 'control-plane.alpha.kubernetes.io/leader';
/** v1.NamespaceTerminatingCause. */
const namespaceTerminatingCause = 'NamespaceTerminating';
const minResyncPeriodMs = 12 * 60 * 60 * 1000;

const byNamespace = { namespace: (object: KubeObject) => [object.metadata.namespace ?? ''] };

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isNamespaceTerminating(error: unknown): boolean {
  if (!(error instanceof ApiStatusError) || !isForbidden(error)) return false;
  return (error.details?.causes ?? []).some((cause) => cause.reason === namespaceTerminatingCause);
}

export class EndpointsController {
  readonly #options: EndpointsControllerOptions;
  readonly #client: KubeClient;
  readonly #services: Informer;
  readonly #pods: Informer;
  readonly #endpoints: Informer;
  readonly #queue: WorkQueue<string>;
  readonly #triggerTimes = new TriggerTimeTracker();
  /** Service key → resourceVersion of an Endpoints this controller has since replaced. */
  readonly #replacedVersions = new Map<string, string>();
  #state: 'idle' | 'running' | 'stopped' = 'idle';
  #running: Promise<void> = Promise.resolve();

  constructor(options: EndpointsControllerOptions) {
    this.#options = options;
    this.#client = options.client;
    const { client, clock, rng } = options;
    const resyncPeriodMs =
      options.resyncPeriodMs ?? Math.trunc(minResyncPeriodMs * (1 + rng.fork('resync').float()));
    const informer = (resource: ResourceDescriptor, name: string, resync = 0) =>
      new Informer({
        client,
        clock,
        resource,
        rng: rng.fork(name),
        resyncPeriodMs: resync,
        indexers: byNamespace,
      });
    this.#services = informer(servicesResource, 'services', resyncPeriodMs);
    this.#pods = informer(podsResource, 'pods');
    this.#endpoints = informer(endpointsResource, 'endpoints');
    this.#queue = new WorkQueue<string>({ clock, name: 'endpoint' });
  }

  /** Keys waiting in the queue or on its timers (diagnostics and tests). */
  get pendingCount(): number {
    return this.#queue.length + this.#queue.waitingCount;
  }

  /** True once the service, pod and endpoints caches have all been listed. */
  hasSynced(): boolean {
    return this.#services.hasSynced() && this.#pods.hasSynced() && this.#endpoints.hasSynced();
  }

  start(): void {
    assert(this.#state === 'idle', 'endpoints controller started twice');
    this.#state = 'running';
    const workers = this.#options.workerCount ?? 5;
    assert(Number.isSafeInteger(workers) && workers > 0, 'workerCount must be a positive integer');
    this.#registerHandlers();
    this.#services.start();
    this.#pods.start();
    this.#endpoints.start();
    this.#running = this.#run(workers);
  }

  /** Stops the informers and the queue; a reconcile in flight finishes. Idempotent. */
  stop(): void {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    this.#queue.shutDown();
    this.#services.stop();
    this.#pods.stop();
    this.#endpoints.stop();
  }

  /** Resolves once, after stop(), the start-up wait and every worker have ended. */
  whenStopped(): Promise<void> {
    return this.#running;
  }

  #registerHandlers(): void {
    const batchMs = this.#options.endpointUpdatesBatchPeriodMs ?? 0;
    const enqueueService = (service: KubeObject): void => this.#queue.add(keyOf(service));
    const enqueueAll = (keys: readonly string[]): void => {
      for (const key of keys) this.#queue.addAfter(key, batchMs);
    };
    const selecting: ServicesSelecting = (namespace, labels) => this.#selecting(namespace, labels);
    this.#services.addEventHandler({
      onAdd: enqueueService,
      onUpdate: (_old, next) => enqueueService(next),
      onDelete: enqueueService,
    });
    this.#pods.addEventHandler({
      onAdd: (pod) => enqueueAll(servicesForPod(pod, selecting)),
      onUpdate: (old, next) => enqueueAll(servicesForPodUpdate(old, next, selecting)),
      onDelete: (pod) => enqueueAll(servicesForPod(pod, selecting)),
    });
    this.#endpoints.addEventHandler({ onDelete: (endpoints) => this.#queue.add(keyOf(endpoints)) });
  }

  /** Hot path: the services of `namespace` whose selector matches `labels`. */
  #selecting(namespace: string, labels: Readonly<Record<string, string>>): Set<string> {
    const keys = new Set<string>();
    for (const service of this.#services.store.byIndex('namespace', namespace)) {
      const selector = serviceSelector(service);
      if (selector !== undefined && selectorMatches(selector, labels)) keys.add(keyOf(service));
    }
    return keys;
  }

  async #run(workerCount: number): Promise<void> {
    const pollMs = this.#options.cacheSyncPollMs ?? 100;
    while (this.#state === 'running' && !this.hasSynced()) {
      await this.#options.clock.sleep(pollMs);
    }
    if (this.#state !== 'running') return;
    const workers: Promise<void>[] = [];
    for (let i = 0; i < workerCount; i++) workers.push(this.#work());
    this.#enqueueLeftoverEndpoints();
    await Promise.all(workers);
  }

  /** checkLeftoverEndpoints: every cached Endpoints that is not a leader-election lock. */
  #enqueueLeftoverEndpoints(): void {
    for (const endpoints of this.#endpoints.store.list()) {
      const annotations = endpoints.metadata.annotations ?? {};
      if (Object.hasOwn(annotations, leaderElectionAnnotation)) continue;
      this.#queue.add(keyOf(endpoints));
    }
  }

  async #work(): Promise<void> {
    for (;;) {
      const next = await this.#queue.get();
      if (next.shutDown) return;
      if (this.#state !== 'running') {
        this.#queue.done(next.key);
        continue;
      }
      await this.#process(next.key);
    }
  }

  async #process(key: string): Promise<void> {
    try {
      await this.reconcile(key);
      this.#queue.forget(key);
    } catch (error) {
      const retriesMax = this.#options.retryCountMax ?? 15;
      if (this.#queue.numRequeues(key) < retriesMax) {
        this.#options.log?.(
          `error syncing endpoints for service ${key}, retrying: ${errorText(error)}`,
        );
        this.#queue.addRateLimited(key);
      } else {
        this.#options.log?.(`dropping service ${key} out of the queue: ${errorText(error)}`);
        this.#queue.forget(key);
      }
    } finally {
      this.#queue.done(key);
    }
  }

  /** One level-triggered sync of service `key` (see the file comment). Throws to retry. */
  async reconcile(key: string): Promise<void> {
    const service = this.#services.store.get(key);
    if (service === undefined) return this.#serviceGone(key);
    if (serviceSkipReason(service) !== undefined) return;
    const selector = serviceSelector(service) as Record<string, string>;
    const namespace = service.metadata.namespace ?? '';
    const pods = this.#pods.store
      .byIndex('namespace', namespace)
      .filter((pod) => selectorMatches(selector, pod.metadata.labels));
    const triggerTimeMs = this.#triggerTimes.compute(key, service, pods);
    const { subsets } = desiredSubsets(service, pods);
    const current = this.#endpoints.store.get(key);
    const replaced = this.#replacedVersions.get(key);
    if (current !== undefined && replaced === current.metadata.resourceVersion) {
      throw new Error(
        `endpoints informer cache is out of date, resource version ${replaced} already ` +
          `processed for endpoints ${key}`,
      );
    }
    const write = planEndpointsWrite({ service, subsets, current, triggerTimeMs });
    switch (write.kind) {
      case 'unchanged':
        return;
      case 'create':
        return this.#create(service, write.endpoints);
      case 'update':
        return this.#update(key, service, write.endpoints, current as KubeObject);
      default:
        return assertNever(write, 'unknown endpoints write');
    }
  }

  async #serviceGone(key: string): Promise<void> {
    const { namespace, name } = splitObjectKey(key);
    try {
      await this.#client.delete(endpointsResource, namespace, name);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    this.#triggerTimes.delete(key);
    this.#replacedVersions.delete(key);
  }

  async #create(service: KubeObject, endpoints: KubeObject): Promise<void> {
    const namespace = service.metadata.namespace ?? '';
    try {
      await this.#client.create(endpointsResource, namespace, endpoints);
    } catch (error) {
      if (isNamespaceTerminating(error)) return;
      const what = `Failed to create endpoint for service ${keyOf(service)}`;
      this.#warn(endpoints, 'FailedToCreateEndpoint', `${what}: ${errorText(error)}`);
      throw error;
    }
  }

  async #update(
    key: string,
    service: KubeObject,
    endpoints: KubeObject,
    current: KubeObject,
  ): Promise<void> {
    let updated: KubeObject;
    try {
      updated = await this.#client.update(
        endpointsResource,
        service.metadata.namespace ?? '',
        endpoints,
      );
    } catch (error) {
      const message = `Failed to update endpoint ${keyOf(service)}: ${errorText(error)}`;
      this.#warn(endpoints, 'FailedToUpdateEndpoint', message);
      throw error;
    }
    const previousVersion = current.metadata.resourceVersion ?? '';
    if (updated.metadata.resourceVersion !== previousVersion) {
      this.#replacedVersions.set(key, previousVersion);
    }
  }

  /** Upstream refers to the object it tried to write (no namespace on a create: `default`). */
  #warn(endpoints: KubeObject, reason: string, message: string): void {
    const reference = objectReference(endpoints, { resource: endpointsResource });
    this.#options.recorder?.event(reference, 'Warning', reason, message);
  }
}
