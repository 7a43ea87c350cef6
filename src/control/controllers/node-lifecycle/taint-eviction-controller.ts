// The taint eviction controller (pkg/controller/tainteviction, v1.32's "taint-eviction-controller",
// formerly the NoExecute taint manager): deletes pods from nodes with NoExecute taints they do
// not tolerate, at once or when their tolerationSeconds run out (eviction-plan.ts decides).
//
// Shape (STYLE.md 13): informer handlers only enqueue keys: `node:<name>` when a node's NoExecute
// taints change, `pod:<node>:<ns>/<name>` when a pod's tolerations or node change. One worker
// handles keys from the cache: a node key refreshes the node's known NoExecute taints and
// re-plans every pod on it; a pod key re-plans that pod. Deletions wait in a TimedWorkQueue on
// the Clock; firing one records `Normal TaintManagerEviction "Marking for deletion Pod ns/name"`,
// sets the DisruptionTarget condition (DeletionByTaintManager) and DELETEs the pod (up to 5
// tries, 10 ms apart). A cancelled waiting deletion records "Cancelling deletion of Pod ns/name".
import { formatTime } from '../../api/values/time.js';
import type { KubeClient } from '../../client/client.js';
import type { Informer } from '../../client/informer.js';
import { coreResources } from '../../client/resource-client.js';
import type { KubeObject } from '../../client/types.js';
import { WorkQueue } from '../../client/work-queue.js';
import { EventRecorder } from '../../events/event-recorder.js';
import type { Clock } from '../../ports/clock.js';
import type { Rng } from '../../ports/rng.js';
import { assert, assertNever } from '../../util/assert.js';
import type { PodToleration } from './eviction-plan.js';
import {
  noExecuteTaints,
  planPodEviction,
  sameTaints,
  sameTolerations,
  tolerationsOfPod,
} from './eviction-plan.js';
import { newNodeInformer, newPodInformer, nodeNameOf, podNodeNameIndex } from './informers.js';
import type { NodeTaint } from './node-taints.js';
import { taintsOfNode } from './node-taints.js';
import { disruptionTargetCondition, podConditionsOf, withPodCondition } from './pod-conditions.js';
import { StopSignal } from './stop-signal.js';
import { TimedWorkQueue } from './timed-work-queue.js';

export const taintEvictionControllerName = 'taint-eviction-controller';
export const taintManagerEvictionReason = 'TaintManagerEviction';

export interface TaintEvictionControllerOptions {
  client: KubeClient;
  clock: Clock;
  /** Forks `informers`, `events`. */
  rng: Rng;
  /** One line per notable event or failure. Default: none. */
  log?: (message: string) => void;
  /**
   * Informers shared with another controller, which starts and stops them (the pod informer
   * must carry the `spec.nodeName` index of informers.ts). Default: own ones.
   */
  informers?: { nodes: Informer; pods: Informer };
  /** Write TaintManagerEviction events. Default true. */
  recordEvents?: boolean;
  /** Tries of one deletion (upstream's `retries`). Default 5. */
  deleteTryCountMax?: number;
  /** Wait between deletion tries. Default 10 ms. */
  deleteRetryMs?: number;
  /** Most deletions waiting or running at once. Default 1,000,000. */
  scheduledDeletionCountMax?: number;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function podKeyOf(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

function splitPodKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

type WorkItem = { kind: 'node'; name: string } | { kind: 'pod'; nodeName: string; key: string };

function parseItem(item: string): WorkItem {
  if (item.startsWith('node:')) return { kind: 'node', name: item.slice('node:'.length) };
  assert(item.startsWith('pod:'), `unknown work item ${item}`);
  const rest = item.slice('pod:'.length);
  const colon = rest.indexOf(':');
  return { kind: 'pod', nodeName: rest.slice(0, colon), key: rest.slice(colon + 1) };
}

export class TaintEvictionController {
  readonly #options: TaintEvictionControllerOptions;
  readonly #nodes: Informer;
  readonly #pods: Informer;
  readonly #ownsInformers: boolean;
  readonly #queue: WorkQueue<string>;
  readonly #deletions: TimedWorkQueue;
  readonly #recorder: EventRecorder | undefined;
  readonly #signal: StopSignal;
  /** Known NoExecute taints per node (only nodes that have some). */
  readonly #taintedNodes = new Map<string, NodeTaint[]>();
  #worker: Promise<void> | undefined;

  constructor(options: TaintEvictionControllerOptions) {
    this.#options = options;
    const context = {
      client: options.client,
      clock: options.clock,
      rng: options.rng.fork('informers'),
    };
    this.#ownsInformers = options.informers === undefined;
    this.#nodes = options.informers?.nodes ?? newNodeInformer(context);
    this.#pods = options.informers?.pods ?? newPodInformer(context);
    this.#queue = new WorkQueue<string>({ clock: options.clock, name: 'noexec_taint' });
    this.#signal = new StopSignal({ clock: options.clock });
    this.#deletions = new TimedWorkQueue({
      clock: options.clock,
      run: (key) => this.#deletePod(key),
      workCountMax: options.scheduledDeletionCountMax,
      onFull: (key) => options.log?.(`too many scheduled deletions: dropped pod ${key}`),
    });
    if (options.recordEvents !== false) {
      this.#recorder = new EventRecorder({
        client: options.client,
        clock: options.clock,
        rng: options.rng.fork('events'),
        component: taintEvictionControllerName,
      });
    }
  }

  /** Pod deletions waiting on their tolerationSeconds or running (diagnostics and tests). */
  get scheduledDeletionCount(): number {
    return this.#deletions.size;
  }

  /** When the waiting deletion of pod `namespace/name` fires, if one waits. */
  scheduledDeletionOf(podKey: string): number | undefined {
    return this.#deletions.scheduled(podKey)?.fireAtMs;
  }

  start(): void {
    assert(this.#worker === undefined, 'taint eviction controller started twice');
    this.#nodes.addEventHandler({
      onAdd: (node) => this.#nodeUpdated(undefined, node),
      onUpdate: (old, node) => this.#nodeUpdated(old, node),
      onDelete: (node) => this.#nodeUpdated(node, undefined),
    });
    this.#pods.addEventHandler({
      onAdd: (pod) => this.#podUpdated(undefined, pod),
      onUpdate: (old, pod) => this.#podUpdated(old, pod),
      onDelete: (pod) => this.#podUpdated(pod, undefined),
    });
    if (this.#ownsInformers) {
      this.#nodes.start();
      this.#pods.start();
    }
    this.#worker = this.#work();
  }

  stop(): void {
    this.#signal.stop();
    this.#queue.shutDown();
    this.#deletions.stop();
    this.#recorder?.stop();
    if (this.#ownsInformers) {
      this.#nodes.stop();
      this.#pods.stop();
    }
  }

  /** Resolves once the worker has exited and running deletions have finished. */
  async whenStopped(): Promise<void> {
    await this.#worker;
    await this.#deletions.whenIdle();
  }

  /** NodeUpdated (hot path): enqueue when the NoExecute taints changed. */
  #nodeUpdated(old: KubeObject | undefined, node: KubeObject | undefined): void {
    const name = (node ?? old)?.metadata.name ?? '';
    if (old !== undefined && node !== undefined) {
      const before = noExecuteTaints(taintsOfNode(old));
      if (sameTaints(before, noExecuteTaints(taintsOfNode(node)))) return;
    }
    this.#queue.add(`node:${name}`);
  }

  /** PodUpdated (hot path): enqueue when tolerations or the node changed. */
  #podUpdated(old: KubeObject | undefined, pod: KubeObject | undefined): void {
    const current = (pod ?? old) as KubeObject;
    if (old !== undefined && pod !== undefined) {
      const sameNode = nodeNameOf(old) === nodeNameOf(pod);
      if (sameNode && sameTolerations(tolerationsOfPod(old), tolerationsOfPod(pod))) return;
    }
    this.#queue.add(`pod:${nodeNameOf(current)}:${podKeyOf(current)}`);
  }

  async #work(): Promise<void> {
    if (!(await this.#signal.waitForSync([this.#nodes, this.#pods]))) return;
    for (;;) {
      const next = await this.#queue.get();
      if (next.shutDown) return;
      const item = parseItem(next.key);
      if (item.kind === 'node') this.#handleNode(item.name);
      else this.#handlePod(item.key, item.nodeName);
      this.#queue.done(next.key);
    }
  }

  #handleNode(name: string): void {
    const node = this.#nodes.store.get(name);
    if (node === undefined) {
      this.#taintedNodes.delete(name);
      return;
    }
    const taints = noExecuteTaints(taintsOfNode(node));
    if (taints.length === 0) this.#taintedNodes.delete(name);
    else this.#taintedNodes.set(name, taints);
    const pods = this.#pods.store.byIndex(podNodeNameIndex, name);
    const nowMs = this.#options.clock.nowMs();
    for (const pod of pods) {
      if (taints.length === 0) this.#cancelWithEvent(podKeyOf(pod));
      else this.#processPod(podKeyOf(pod), tolerationsOfPod(pod), taints, nowMs);
    }
  }

  #handlePod(key: string, nodeName: string): void {
    const pod = this.#pods.store.get(key);
    if (pod === undefined) {
      this.#cancelWithEvent(key);
      return;
    }
    if (nodeNameOf(pod) !== nodeName || nodeName === '') return;
    const taints = this.#taintedNodes.get(nodeName);
    if (taints === undefined) return;
    this.#processPod(key, tolerationsOfPod(pod), taints, this.#options.clock.nowMs());
  }

  /** processPodOnNode: applies planPodEviction's decision. */
  #processPod(
    key: string,
    tolerations: readonly PodToleration[],
    taints: readonly NodeTaint[],
    nowMs: number,
  ): void {
    const scheduled = this.#deletions.scheduled(key);
    const decision = planPodEviction({
      taints,
      tolerations,
      nowMs,
      scheduledCreatedAtMs: scheduled?.createdAtMs,
    });
    switch (decision.kind) {
      case 'cancel':
        return this.#cancelWithEvent(key);
      case 'evictNow':
        this.#cancelWithEvent(key);
        return this.#deletions.addWork(key, nowMs, nowMs);
      case 'keep':
        return;
      case 'schedule':
        if (decision.replace) this.#cancelWithEvent(key);
        return this.#deletions.addWork(key, decision.createdAtMs, decision.fireAtMs);
      default:
        return assertNever(decision, 'unknown eviction decision');
    }
  }

  #cancelWithEvent(key: string): void {
    if (!this.#deletions.cancelWork(key)) return;
    this.#podEvent(key, `Cancelling deletion of Pod ${key}`);
  }

  #podEvent(key: string, message: string): void {
    const { namespace, name } = splitPodKey(key);
    const reference = { apiVersion: 'v1', kind: 'Pod', name, namespace };
    this.#recorder?.event(reference, 'Normal', taintManagerEvictionReason, message);
  }

  /** deletePodHandler: the event, then addConditionAndDeletePod with bounded retries. */
  async #deletePod(key: string): Promise<void> {
    this.#options.log?.(`deleting pod ${key}`);
    this.#podEvent(key, `Marking for deletion Pod ${key}`);
    const triesMax = this.#options.deleteTryCountMax ?? 5;
    let lastError: unknown;
    for (let attempt = 1; attempt <= triesMax; attempt++) {
      try {
        await this.#addConditionAndDelete(key);
        return;
      } catch (error) {
        lastError = error;
      }
      if (attempt < triesMax && !(await this.#signal.sleep(this.#options.deleteRetryMs ?? 10))) {
        break;
      }
    }
    this.#options.log?.(`deleting pod ${key} failed: ${errorText(lastError)}`);
  }

  async #addConditionAndDelete(key: string): Promise<void> {
    const { namespace, name } = splitPodKey(key);
    const { client, clock } = this.#options;
    const pod = await client.get(coreResources.pods, namespace, name);
    const nowText = formatTime(clock.nowMs());
    const result = withPodCondition(podConditionsOf(pod), disruptionTargetCondition(), { nowText });
    if (result.changed) {
      const condition = result.conditions.find((c) => c.type === 'DisruptionTarget');
      const body = { status: { conditions: [condition] } };
      await client.patch(
        coreResources.pods,
        { namespace, name },
        { type: 'strategic', body },
        { subresource: 'status' },
      );
    }
    await client.delete(coreResources.pods, namespace, name);
  }
}
