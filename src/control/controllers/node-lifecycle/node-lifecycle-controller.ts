// The node lifecycle controller (pkg/controller/nodelifecycle, v1.32): notices nodes whose
// kubelet stopped posting, marks them Unknown, taints them and rate-limits taint-based eviction
// per zone. With `taintEviction` (default) it also runs the taint eviction controller.
//
// Loops (STYLE.md 16: the monitor wakes on its period, no timer per node):
// - monitor: every nodeMonitorPeriodMs (after the previous pass ends) it walks the cached nodes,
//   judges each one's health from its own observation times (node-health.ts), writes Unknown
//   conditions for stale nodes, queues not-ready nodes for NoExecute tainting, marks their pods
//   Ready=False when Ready leaves True, then derives the zone states and rates (zone-state.ts).
// - NoSchedule and pod workers (node-event-workers.ts): condition taints follow every node
//   event at once; a pod bound to a node last seen not ready gets Ready=False.
// - NoExecute tainting pass: drains the per-zone rate-limited queues (zone-tainters.ts).
// Decisions are pure functions of the files named above; API writes are in node-writes.ts.
import type { Informer } from '../../client/informer.js';
import type { KubeObject } from '../../client/types.js';
import { EventRecorder } from '../../events/event-recorder.js';
import { assert } from '../../util/assert.js';
import type { InformerContext } from './informers.js';
import {
  newLeaseInformer,
  newNodeInformer,
  newPodInformer,
  podNodeNameIndex,
} from './informers.js';
import { NodeEventWorkers } from './node-event-workers.js';
import type { NodeHealthRecord } from './node-health.js';
import { conditionOfType, nodeConditionsOf } from './node-health.js';
import { NodeHealthTracker } from './node-health-tracker.js';
import type {
  NodeLifecycleControllerOptions,
  NodeLifecycleSettings,
} from './node-lifecycle-options.js';
import { nodeLifecycleSettings, zoneRatesOf } from './node-lifecycle-options.js';
import type { NodeTaint } from './node-taints.js';
import {
  noExecuteTaintFor,
  notReadyNoExecute,
  oppositeNoExecuteTaint,
  taintExists,
  taintsOfNode,
  unreachableNoExecute,
} from './node-taints.js';
import { NodeWrites } from './node-writes.js';
import { StopSignal } from './stop-signal.js';
import { TaintEvictionController } from './taint-eviction-controller.js';
import type { TaintingItem, TaintingOutcome } from './tainting-queue.js';
import type { ZoneState } from './zone-state.js';
import { isExcludedFromDisruption, planDisruption, zoneKeyOf } from './zone-state.js';
import { ZoneTainters } from './zone-tainters.js';

export const nodeControllerComponent = 'node-controller';

export { nodeLifecycleDefaults } from './node-lifecycle-options.js';
export type { NodeLifecycleControllerOptions } from './node-lifecycle-options.js';

interface NodeResult {
  zone: string;
  excluded: boolean;
  /** Ready status after the pass; undefined: no Ready condition. */
  readyStatus: string | undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `fn` over `items` with at most `workerCount` in flight; results in item order. */
async function mapBounded<T, R>(
  items: readonly T[],
  workerCount: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  const count = Math.min(workerCount, items.length);
  await Promise.all(Array.from({ length: count }, worker));
  return results;
}

export class NodeLifecycleController {
  readonly #s: NodeLifecycleSettings;
  readonly #nodes: Informer;
  readonly #pods: Informer;
  readonly #leases: Informer;
  readonly #writes: NodeWrites;
  readonly #recorder: EventRecorder | undefined;
  readonly #signal: StopSignal;
  readonly #workers: NodeEventWorkers;
  readonly #zones: ZoneTainters;
  readonly #taintEviction: TaintEvictionController | undefined;
  readonly #health: NodeHealthTracker;
  readonly #known = new Map<string, KubeObject>();
  readonly #nodesToRetry = new Set<string>();
  #monitor: Promise<void> | undefined;

  constructor(options: NodeLifecycleControllerOptions) {
    this.#s = nodeLifecycleSettings(options);
    const { client, clock, rng, log } = options;
    const context: InformerContext = { client, clock, rng: rng.fork('informers') };
    this.#nodes = newNodeInformer(context);
    this.#pods = newPodInformer(context);
    this.#leases = newLeaseInformer(context);
    this.#recorder = this.#s.recordEvents
      ? new EventRecorder({
          client,
          clock,
          rng: rng.fork('events'),
          component: nodeControllerComponent,
        })
      : undefined;
    const writes = new NodeWrites({
      client,
      clock,
      rng: rng.fork('writes'),
      log,
      recorder: this.#recorder,
    });
    this.#writes = writes;
    this.#signal = new StopSignal({ clock });
    this.#health = new NodeHealthTracker({
      client,
      clock,
      leases: this.#leases,
      writes,
      signal: this.#signal,
      monitorGracePeriodMs: this.#s.nodeMonitorGracePeriodMs,
      startupGracePeriodMs: this.#s.nodeStartupGracePeriodMs,
      updateTryCountMax: this.#s.nodeHealthUpdateTryCountMax,
      retryMs: this.#s.nodeHealthRetryMs,
      log,
    });
    this.#workers = new NodeEventWorkers({
      clock,
      nodes: this.#nodes,
      pods: this.#pods,
      writes,
      healthOf: (name) => this.#health.get(name),
      onNodeDeleted: (name) => this.#nodesToRetry.delete(name),
      nodeWorkerCount: this.#s.nodeUpdateWorkerCount,
      podWorkerCount: this.#s.podUpdateWorkerCount,
      log,
    });
    this.#zones = new ZoneTainters({
      clock,
      initialQps: this.#s.evictionLimiterQps,
      taintingPassPeriodMs: this.#s.taintingPassPeriodMs,
      taint: (item) => this.#taintFromQueue(item),
      log,
    });
    this.#taintEviction = this.#s.taintEviction ? this.#newTaintEviction(options) : undefined;
  }

  /** Zone states by zone key (`<region>:\0:<zone>`, '' for unlabelled nodes), in key order. */
  zoneStates(): Map<string, ZoneState> {
    return this.#zones.states;
  }

  /** The NoExecute tainting rate of a zone (nodes per second), if the zone is known. */
  taintingQpsOf(zone: string): number | undefined {
    return this.#zones.qpsOf(zone);
  }

  /** The controller's health record of a node (diagnostics and tests). */
  healthOf(nodeName: string): NodeHealthRecord | undefined {
    return this.#health.get(nodeName);
  }

  /** The taint eviction controller run alongside, if any. */
  get taintEvictionController(): TaintEvictionController | undefined {
    return this.#taintEviction;
  }

  start(): void {
    assert(this.#monitor === undefined, 'node lifecycle controller started twice');
    this.#workers.start();
    this.#taintEviction?.start();
    for (const informer of [this.#nodes, this.#pods, this.#leases]) informer.start();
    this.#monitor = this.#monitorLoop();
  }

  stop(): void {
    this.#signal.stop();
    this.#workers.stop();
    this.#zones.stop();
    this.#taintEviction?.stop();
    this.#recorder?.stop();
    for (const informer of [this.#nodes, this.#pods, this.#leases]) informer.stop();
  }

  /** Resolves once every loop has exited and running passes have ended. */
  async whenStopped(): Promise<void> {
    await this.#monitor;
    await this.#workers.whenStopped();
    await this.#zones.whenIdle();
    await this.#taintEviction?.whenStopped();
  }

  #newTaintEviction(options: NodeLifecycleControllerOptions): TaintEvictionController {
    const log = options.log;
    return new TaintEvictionController({
      client: options.client,
      clock: options.clock,
      rng: options.rng.fork('taint-eviction'),
      log: log === undefined ? undefined : (line) => log(`taint eviction: ${line}`),
      informers: { nodes: this.#nodes, pods: this.#pods },
      recordEvents: this.#s.recordEvents,
    });
  }

  async #monitorLoop(): Promise<void> {
    if (!(await this.#signal.waitForSync([this.#leases, this.#nodes, this.#pods]))) return;
    do {
      try {
        await this.#monitorNodeHealth();
      } catch (error) {
        this.#s.log?.(`error monitoring node health: ${errorText(error)}`);
      }
    } while (await this.#signal.sleep(this.#s.nodeMonitorPeriodMs));
  }

  /** monitorNodeHealth: one pass over every cached node (see the file comment). */
  async #monitorNodeHealth(): Promise<void> {
    const nodes = this.#nodes.store.list();
    await this.#classify(nodes);
    const results = await mapBounded(nodes, this.#s.nodeUpdateWorkerCount, (node) =>
      this.#monitorNode(node),
    );
    const zoneStatuses = new Map<string, (string | undefined)[]>();
    for (const result of results) {
      if (result === undefined || result.excluded) continue;
      const list = zoneStatuses.get(result.zone) ?? [];
      list.push(result.readyStatus);
      zoneStatuses.set(result.zone, list);
    }
    await this.#handleDisruption(zoneStatuses, nodes);
  }

  /** classifyNodes + the bookkeeping of new, known and deleted nodes. */
  async #classify(nodes: readonly KubeObject[]): Promise<void> {
    const seen = new Set<string>();
    for (const node of nodes) {
      const name = node.metadata.name as string;
      seen.add(name);
      const zone = zoneKeyOf(node.metadata.labels);
      if (this.#known.has(name)) {
        this.#zones.ensureZone(zone);
        continue;
      }
      this.#nodeEvent(node, 'RegisteredNode', `Registered Node ${name} in Controller`);
      this.#known.set(name, node);
      this.#zones.ensureZone(zone);
      await this.#markNodeAsReachable(node).catch((error: unknown) => {
        this.#s.log?.(`failed to remove taints from node ${name}: ${errorText(error)}`);
      });
    }
    for (const [name, node] of [...this.#known]) {
      if (seen.has(name)) continue;
      this.#nodeEvent(node, 'RemovingNode', `Removing Node ${name} from Controller`);
      this.#known.delete(name);
      this.#health.delete(name);
    }
  }

  /** One node of a pass; undefined when its health could not be updated (skipped). */
  async #monitorNode(cached: KubeObject): Promise<NodeResult | undefined> {
    const updated = await this.#health.update(cached);
    if (updated === undefined) return undefined;
    const { node, verdict } = updated;
    const name = node.metadata.name as string;
    const labels = node.metadata.labels;
    const current = verdict.currentReady;
    const result = {
      zone: zoneKeyOf(labels),
      excluded: isExcludedFromDisruption(labels),
      readyStatus: current?.status,
    };
    if (current === undefined) {
      this.#nodesToRetry.delete(name);
      return result;
    }
    await this.#processTaintBasedEviction(node, verdict.observedReady.status);
    const observed = verdict.observedReady.status;
    const becameNotReady = current.status !== 'True' && observed === 'True';
    if (becameNotReady) {
      this.#s.log?.(`node ${name} is now ${current.status}: NodeNotReady`);
      this.#nodeEvent(node, 'NodeNotReady', `Node ${name} status is now: NodeNotReady`, true);
    }
    if (becameNotReady || (this.#nodesToRetry.has(name) && observed !== 'True')) {
      const pods = this.#pods.store.byIndex(podNodeNameIndex, name);
      try {
        await this.#writes.markPodsNotReady(pods, name);
      } catch (error) {
        this.#s.log?.(`unable to mark all pods NotReady on node ${name}: ${errorText(error)}`);
        this.#nodesToRetry.add(name);
        return result;
      }
    }
    this.#nodesToRetry.delete(name);
    return result;
  }

  /** processTaintBaseEviction, from the Ready status observed before this pass's update. */
  async #processTaintBasedEviction(node: KubeObject, observed: string): Promise<void> {
    const name = node.metadata.name as string;
    const wanted = noExecuteTaintFor(observed);
    if (wanted === undefined) {
      if (observed !== 'True') return;
      await this.#markNodeAsReachable(node).catch((error: unknown) => {
        this.#s.log?.(`failed to remove taints from node ${name}: ${errorText(error)}`);
      });
      return;
    }
    const opposite = oppositeNoExecuteTaint(wanted);
    if (taintExists(taintsOfNode(node), opposite)) {
      if (!(await this.#writes.swapTaints(node, [wanted], [opposite]))) {
        this.#s.log?.(`failed to swap ${opposite.key} to ${wanted.key} on node ${name}`);
      }
      return;
    }
    this.#markNodeForTainting(node, wanted);
  }

  #markNodeForTainting(node: KubeObject, wanted: NodeTaint): void {
    const name = node.metadata.name as string;
    const zone = zoneKeyOf(node.metadata.labels);
    const known = taintExists(taintsOfNode(node), wanted) || !this.#zones.remove(zone, name);
    const added = this.#zones.add(zone, name, node.metadata.uid ?? '');
    if (added && known) {
      this.#s.log?.(`node ${name} is not ready: queued for the ${wanted.key} NoExecute taint`);
    }
  }

  /** markNodeAsReachable: both NoExecute taints off the node, and off the zone's queue. */
  async #markNodeAsReachable(node: KubeObject): Promise<boolean> {
    const name = node.metadata.name as string;
    await this.#writes.removeTaints(name, node, [unreachableNoExecute]);
    await this.#writes.removeTaints(name, node, [notReadyNoExecute]);
    return this.#zones.remove(zoneKeyOf(node.metadata.labels), name);
  }

  /** doNoExecuteTaintingPass's action for one queued node. */
  async #taintFromQueue(item: TaintingItem): Promise<TaintingOutcome> {
    const node = this.#nodes.store.get(item.name);
    if (node === undefined) return { done: true };
    const ready = conditionOfType(nodeConditionsOf(node), 'Ready');
    if (ready === undefined) return { done: false, retryAfterMs: 50 };
    const wanted = noExecuteTaintFor(ready.status);
    if (wanted === undefined) return { done: true };
    const ok = await this.#writes.swapTaints(node, [wanted], [oppositeNoExecuteTaint(wanted)]);
    if (ok) this.#s.log?.(`node ${item.name} tainted ${wanted.key}:NoExecute`);
    return ok ? { done: true } : { done: false, retryAfterMs: 0 };
  }

  /** handleDisruption: applies planDisruption's plan. */
  async #handleDisruption(
    zoneStatuses: ReadonlyMap<string, readonly (string | undefined)[]>,
    nodes: readonly KubeObject[],
  ): Promise<void> {
    const plan = planDisruption(this.#zones.states, zoneStatuses, zoneRatesOf(this.#s));
    if (plan.mode === 'enterFullDisruption') {
      this.#s.log?.('all nodes are not ready: entering master disruption mode');
      for (const node of nodes) {
        await this.#markNodeAsReachable(node).catch((error: unknown) => {
          this.#s.log?.(`failed to remove taints from node: ${errorText(error)}`);
        });
      }
    } else if (plan.mode === 'exitFullDisruption') {
      this.#s.log?.('some nodes are ready: exiting master disruption mode');
      this.#health.resetProbeTimestamps(this.#s.clock.nowMs());
    } else if (plan.mode === 'update') {
      for (const zone of plan.rates.keys()) {
        const state = plan.nextStates.get(zone);
        this.#s.log?.(`zone ${JSON.stringify(zone)} is now in state ${String(state)}`);
      }
    }
    this.#zones.setStates(plan.nextStates);
    for (const [zone, qps] of plan.rates) this.#zones.setQps(zone, qps);
  }

  /** RecordNodeEvent (`Node <n> event: <message>`) or, with `statusChange`, the status event. */
  #nodeEvent(node: KubeObject, reason: string, message: string, statusChange = false): void {
    const name = node.metadata.name as string;
    const reference = { apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid ?? '' };
    const text = statusChange ? message : `Node ${name} event: ${message}`;
    this.#recorder?.event(reference, 'Normal', reason, text);
  }
}
