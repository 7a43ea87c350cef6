// The node lifecycle controller's event-driven workers (STYLE.md 13: handlers only enqueue keys):
// - node workers (doNoScheduleTaintingPass): every node event queues the node's name; a worker
//   keeps its condition taints (not-ready, unreachable, memory/disk/pid pressure,
//   network-unavailable, unschedulable) as NoSchedule taints in sync at once, unthrottled;
// - pod workers (processPod): a pod newly bound to (or moved to) a node whose Ready condition the
//   controller last saw not True gets Ready=False.
// A failure re-queues the key with the default controller backoff (upstream only logs the
// NoSchedule failure and waits for the next node event).
import type { Informer } from '../../client/informer.js';
import type { KubeObject } from '../../client/types.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { Clock } from '../../ports/clock.js';
import { nodeNameOf } from './informers.js';
import type { NodeHealthRecord } from './node-health.js';
import { nodeConditionsOf } from './node-health.js';
import {
  desiredNoScheduleTaints,
  diffTaints,
  ownedNoScheduleTaints,
  taintsOfNode,
} from './node-taints.js';
import type { NodeWrites } from './node-writes.js';

export interface NodeEventWorkersOptions {
  clock: Clock;
  nodes: Informer;
  pods: Informer;
  writes: NodeWrites;
  /** The controller's health record of a node. */
  healthOf: (nodeName: string) => NodeHealthRecord | undefined;
  /** Told when a node leaves the cache. */
  onNodeDeleted: (nodeName: string) => void;
  nodeWorkerCount: number;
  podWorkerCount: number;
  log?: (message: string) => void;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class NodeEventWorkers {
  readonly #options: NodeEventWorkersOptions;
  readonly #nodeQueue: WorkQueue<string>;
  readonly #podQueue: WorkQueue<string>;
  readonly #loops: Promise<void>[] = [];

  constructor(options: NodeEventWorkersOptions) {
    this.#options = options;
    const clock = options.clock;
    this.#nodeQueue = new WorkQueue<string>({ clock, name: 'node_lifecycle_controller' });
    this.#podQueue = new WorkQueue<string>({ clock, name: 'node_lifecycle_controller_pods' });
  }

  /** Registers the handlers and starts the workers (call before the informers start). */
  start(): void {
    const { nodes, pods } = this.#options;
    nodes.addEventHandler({
      onAdd: (node) => this.#nodeQueue.add(node.metadata.name as string),
      onUpdate: (_old, node) => this.#nodeQueue.add(node.metadata.name as string),
      onDelete: (node) => this.#options.onNodeDeleted(node.metadata.name as string),
    });
    pods.addEventHandler({
      onAdd: (pod) => this.#podUpdated(undefined, pod),
      onUpdate: (old, pod) => this.#podUpdated(old, pod),
    });
    const run = (queue: WorkQueue<string>, sync: (key: string) => Promise<void>, what: string) =>
      this.#loops.push(this.#work(queue, sync, what));
    for (let i = 0; i < this.#options.nodeWorkerCount; i++) {
      run(this.#nodeQueue, (name) => this.#syncNoScheduleTaints(name), 'taint NoSchedule on node');
    }
    for (let i = 0; i < this.#options.podWorkerCount; i++) {
      run(this.#podQueue, (key) => this.#processPod(key), 'mark NotReady pod');
    }
  }

  stop(): void {
    this.#nodeQueue.shutDown();
    this.#podQueue.shutDown();
  }

  async whenStopped(): Promise<void> {
    await Promise.all(this.#loops);
  }

  /** podUpdated (hot path): a pod bound to a node, or moved to another one, is queued. */
  #podUpdated(old: KubeObject | undefined, pod: KubeObject): void {
    const nodeName = nodeNameOf(pod);
    if (nodeName === '' || (old !== undefined && nodeNameOf(old) === nodeName)) return;
    this.#podQueue.add(`${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`);
  }

  async #work(
    queue: WorkQueue<string>,
    sync: (key: string) => Promise<void>,
    what: string,
  ): Promise<void> {
    for (;;) {
      const next = await queue.get();
      if (next.shutDown) return;
      try {
        await sync(next.key);
        queue.forget(next.key);
      } catch (error) {
        this.#options.log?.(`failed to ${what} ${next.key}: ${errorText(error)}`);
        queue.addRateLimited(next.key);
      } finally {
        queue.done(next.key);
      }
    }
  }

  /** doNoScheduleTaintingPass: the condition taints follow the node's conditions at once. */
  async #syncNoScheduleTaints(name: string): Promise<void> {
    const node = this.#options.nodes.store.get(name);
    if (node === undefined) return;
    const unschedulable = (node.spec as { unschedulable?: unknown } | undefined)?.unschedulable;
    const desired = desiredNoScheduleTaints(nodeConditionsOf(node), unschedulable === true);
    const { add, remove } = diffTaints(desired, ownedNoScheduleTaints(taintsOfNode(node)));
    if (add.length === 0 && remove.length === 0) return;
    if (!(await this.#options.writes.swapTaints(node, add, remove))) {
      throw new Error('the taint update failed');
    }
  }

  /** processPod: a pod bound to a node the controller saw not ready gets Ready=False. */
  async #processPod(key: string): Promise<void> {
    const pod = this.#options.pods.store.get(key);
    if (pod === undefined) return;
    const nodeName = nodeNameOf(pod);
    const record = this.#options.healthOf(nodeName);
    if (record === undefined) return;
    if (this.#options.nodes.store.get(nodeName) === undefined) {
      throw new Error(`its node ${nodeName} is not in the cache`);
    }
    const ready = record.readyCondition;
    if (ready === undefined || ready.status === 'True') return;
    await this.#options.writes.markPodsNotReady([pod], nodeName);
  }
}
