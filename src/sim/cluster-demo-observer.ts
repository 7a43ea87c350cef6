// The cluster demo's observer: informers on nodes, pods, ReplicaSets, Deployments and Endpoints
// that print the transitions worth reading, and let the demo script wait for states of the caches.
//
// Each informer event updates a small per-object summary (a node's Ready status and taints, a
// pod's node/readiness/deletion, a ReplicaSet's desired replicas, ...). A change prints one line
// only while its topic is followed (`follow`), so quiet phases stay quiet; the summaries are kept
// up to date either way, so following a topic later prints changes from that moment on, never a
// backlog. Waiters (`until`) are re-checked after every informer event and time out on the
// observer's clock with an error naming what was not reached.

import type { KubeClient } from '../control/client/client.js';
import { coreResources } from '../control/client/resource-client.js';
import { Informer } from '../control/client/informer.js';
import type { KubeObject, ResourceDescriptor } from '../control/client/types.js';
import type { Clock, TimerHandle } from '../control/ports/clock.js';
import type { Rng } from '../control/ports/rng.js';
import { assert } from '../control/util/assert.js';
import {
  describeEndpoints,
  describeNode,
  describePod,
  describeReplicaSet,
  endpointsChange,
  nodeChanges,
  podChanges,
  type EndpointsSummary,
  type NodeSummary,
  type PodSummary,
} from './cluster-demo-views.js';

export type ObserverTopic = 'nodes' | 'pods' | 'replicaSets' | 'deployments' | 'endpoints';

export interface ClusterObserverOptions {
  client: KubeClient;
  clock: Clock;
  /** Forks one stream per informer. */
  rng: Rng;
  /** Only this namespace's objects labelled `app=<app>` (and every node) are followed. */
  namespace: string;
  app: string;
  /** Receives one transcript line (without its time stamp). */
  print: (text: string) => void;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
}

interface Waiter {
  check: () => boolean;
  resolve: () => void;
  timer: TimerHandle;
}

const endpointsResource: ResourceDescriptor = {
  group: '',
  version: 'v1',
  plural: 'endpoints',
  namespaced: true,
  kind: 'Endpoints',
};

/** Most waiters at once: the script waits for one thing at a time. */
const waiterCountMax = 16;

export class ClusterObserver {
  readonly nodes: Informer;
  readonly pods: Informer;
  readonly replicaSets: Informer;
  readonly deployments: Informer;
  readonly endpoints: Informer;
  private readonly options: ClusterObserverOptions;
  private readonly followed = new Set<ObserverTopic>();
  private readonly nodeSummaries = new Map<string, NodeSummary>();
  private readonly podSummaries = new Map<string, PodSummary>();
  private readonly replicaSetSizes = new Map<string, number>();
  private readonly availableStatus = new Map<string, string>();
  private endpointsSummary: EndpointsSummary = { ready: 0, notReady: 0 };
  private readonly waiters: Waiter[] = [];

  constructor(options: ClusterObserverOptions) {
    this.options = options;
    const selector = `app=${options.app}`;
    this.nodes = this.informer(coreResources.nodes, 'nodes', '', '');
    this.pods = this.informer(coreResources.pods, 'pods', options.namespace, selector);
    this.replicaSets = this.informer(coreResources.replicaSets, 'rs', options.namespace, selector);
    this.deployments = this.informer(coreResources.deployments, 'deploy', options.namespace, '');
    this.endpoints = this.informer(endpointsResource, 'endpoints', options.namespace, '');
    this.nodes.addEventHandler(this.handlers((o) => this.onNode(o)));
    this.pods.addEventHandler(this.handlers((o, gone) => this.onPod(o, gone)));
    this.replicaSets.addEventHandler(this.handlers((o) => this.onReplicaSet(o)));
    this.deployments.addEventHandler(this.handlers((o) => this.onDeployment(o)));
    this.endpoints.addEventHandler(this.handlers((o, gone) => this.onEndpoints(o, gone)));
  }

  start(): void {
    for (const informer of this.all()) informer.start();
  }

  stop(): void {
    for (const informer of this.all()) informer.stop();
    for (const waiter of this.waiters.splice(0)) waiter.timer.cancel();
  }

  /** Ready and not-ready addresses of the followed app's Endpoints. */
  get endpointsCounts(): EndpointsSummary {
    return this.endpointsSummary;
  }

  /** Prints the topic's changes from now on (true) or stops printing them (false). */
  follow(topic: ObserverTopic, on: boolean): void {
    if (on) this.followed.add(topic);
    else this.followed.delete(topic);
  }

  /**
   * Resolves once `check` holds over the caches (checked now and after every informer event);
   * rejects after `limitMs` of virtual time with an error naming `what`.
   */
  until(what: string, limitMs: number, check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    assert(this.waiters.length < waiterCountMax, 'too many observer waiters at once');
    return new Promise((resolve, reject) => {
      const timer = this.options.clock.setTimer(limitMs, () => {
        this.dropWaiter(waiter);
        const seconds = Math.trunc(limitMs / 1000);
        reject(new Error(`The cluster demo did not reach "${what}" within ${seconds} s (virtual)`));
      });
      const waiter: Waiter = { check, resolve, timer };
      this.waiters.push(waiter);
    });
  }

  private all(): Informer[] {
    return [this.nodes, this.pods, this.replicaSets, this.deployments, this.endpoints];
  }

  private informer(
    resource: ResourceDescriptor,
    name: string,
    namespace: string,
    labelSelector: string,
  ): Informer {
    const { client, clock, rng } = this.options;
    return new Informer({
      client,
      resource,
      clock,
      rng: rng.fork(name),
      namespace,
      ...(labelSelector === '' ? {} : { labelSelector }),
    });
  }

  private handlers(apply: (object: KubeObject, gone: boolean) => void) {
    const handle = (object: KubeObject, gone: boolean): void => {
      apply(object, gone);
      this.checkWaiters();
    };
    return {
      onAdd: (object: KubeObject) => handle(object, false),
      onUpdate: (_old: KubeObject, object: KubeObject) => handle(object, false),
      onDelete: (object: KubeObject) => handle(object, true),
    };
  }

  private checkWaiters(): void {
    for (const waiter of [...this.waiters]) {
      if (!waiter.check()) continue;
      this.dropWaiter(waiter);
      waiter.timer.cancel();
      waiter.resolve();
    }
  }

  private dropWaiter(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
  }

  private say(topic: ObserverTopic, lines: readonly string[]): void {
    if (!this.followed.has(topic)) return;
    for (const line of lines) this.options.print(line);
  }

  private onNode(node: KubeObject): void {
    const name = node.metadata.name ?? '';
    const next = describeNode(node);
    const previous = this.nodeSummaries.get(name);
    this.nodeSummaries.set(name, next);
    if (previous !== undefined) this.say('nodes', nodeChanges(name, previous, next));
  }

  private onPod(pod: KubeObject, gone: boolean): void {
    const name = pod.metadata.name ?? '';
    const previous = this.podSummaries.get(name);
    const next = gone ? undefined : describePod(pod);
    if (next === undefined) this.podSummaries.delete(name);
    else this.podSummaries.set(name, next);
    this.say('pods', podChanges(name, previous, next));
  }

  private onReplicaSet(replicaSet: KubeObject): void {
    const name = replicaSet.metadata.name ?? '';
    const { replicas, image } = describeReplicaSet(replicaSet);
    const previous = this.replicaSetSizes.get(name);
    this.replicaSetSizes.set(name, replicas);
    if (previous === replicas) return;
    this.say('replicaSets', [`ReplicaSet ${name} (${image}): ${previous ?? 0} → ${replicas}`]);
  }

  private onDeployment(deployment: KubeObject): void {
    const name = deployment.metadata.name ?? '';
    const conditions = (deployment.status as { conditions?: Condition[] } | undefined)?.conditions;
    const available = (conditions ?? []).find((c) => c.type === 'Available');
    if (available === undefined) return;
    const text = `${available.status} (${available.reason ?? ''})`;
    const previous = this.availableStatus.get(name);
    this.availableStatus.set(name, text);
    if (previous === undefined || previous === text) return;
    this.say('deployments', [`Deployment ${name} Available=${text}`]);
  }

  private onEndpoints(endpoints: KubeObject, gone: boolean): void {
    if (endpoints.metadata.name !== this.options.app) return;
    const next = gone ? { ready: 0, notReady: 0 } : describeEndpoints(endpoints);
    const line = endpointsChange(this.options.app, this.endpointsSummary, next);
    this.endpointsSummary = next;
    if (line !== undefined) this.say('endpoints', [line]);
  }
}
