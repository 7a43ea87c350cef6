// The Scheduler component: informers feed the cache and the queue; one loop pops a pod per
// cycle, runs its profile's framework, assumes the pod on the chosen node and binds it
// asynchronously; failures update the PodScheduled condition and emit FailedScheduling.
//
// Callers: the composition root (sim or real) constructs it with its world and calls start()
// and stop(). The scheduler writes only through the client: bindings, pod status patches,
// victim deletions (through the FrameworkHandle) and Events.
import type { KubeClient } from '../client/client.js';
import { Informer } from '../client/informer.js';
import { coreResources } from '../client/resource-client.js';
import type { KubeObject } from '../client/types.js';
import { EventRecorder } from '../events/event-recorder.js';
import { objectReference } from '../events/event-types.js';
import type { Clock } from '../ports/clock.js';
import type { Recorder, TraceLevelSetting } from '../ports/recorder.js';
import { traceLevelAdmits } from '../ports/recorder.js';
import type { Rng } from '../ports/rng.js';
import type { JsonObject } from '../store/types.js';
import { assertNever } from '../util/assert.js';
import { podNodeName, SchedulerCache } from './cache.js';
import type { SchedulerConfig, SchedulerConfigInput } from './config.js';
import {
  defaultSchedulerName,
  parseSchedulerConfigYaml,
  resolveSchedulerConfig,
} from './config.js';
import { isTerminal, nodeSchedulingChanged, schedulerNameOf } from './cluster-events.js';
import type { Decision } from './explain.js';
import { recordDecision, summaryFields } from './explain.js';
import { podScheduledPatch } from './pod-status-patch.js';
import { podInfoOf } from './framework/pod-info.js';
import type { PluginRegistry } from './framework/registry.js';
import { inTreeRegistry, schedulingGatesName } from './framework/registry.js';
import type { CycleState } from './framework/types.js';
import type { FrameworkHandle, PodInfo, QueuedPodInfo, Status } from './framework/types.js';
import { Framework, type SamplingState } from './framework/runtime.js';
import type { ClusterEvent } from './queue.js';
import { isPodUpdated, SchedulingQueue } from './queue.js';
import { SchedulerHandle } from './scheduler-handle.js';

export interface SchedulerOptions {
  client: KubeClient;
  clock: Clock;
  /** The scheduler's stream; forks `select-host`, `informers` and `events`. */
  rng: Rng;
  /** A KubeSchedulerConfiguration object or YAML text; absent: the default profile. */
  config?: SchedulerConfigInput | string;
  /** Receives `scheduler.decision` traces. */
  recorder?: Recorder;
  /** Event recorder; default one over `client` with component `default-scheduler`. */
  events?: EventRecorder;
  /** Plugin factories by name; default the in-tree registry. */
  registry?: PluginRegistry;
  /** Trace component name. Default `scheduler`. */
  component?: string;
  /** Which decision records to build (`none`, `summary`, `full`). Default `full`. */
  traceLevel?: TraceLevelSetting;
}

/** A config that does not validate: the messages carry field paths. */
export class SchedulerConfigError extends Error {
  override readonly name = 'SchedulerConfigError';
  constructor(readonly errors: readonly string[]) {
    super(`Invalid scheduler configuration: ${errors.join('; ')}`);
  }
}

const cacheSyncPollMs = 100;

/** Annotation on Scheduled and FailedScheduling events carrying the decision summary. */
export const decisionAnnotation = 'scheduler.miniku.dev/decision';

export interface SchedulerStats {
  attempts: number;
  scheduled: number;
  unschedulable: number;
  errors: number;
  bindFailures: number;
}

export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly config: SchedulerConfig;
  readonly #options: SchedulerOptions;
  readonly #frameworks = new Map<string, Framework>();
  readonly #events: EventRecorder;
  readonly #ownsEvents: boolean;
  readonly #handle: SchedulerHandle;
  readonly #sampling: SamplingState = { nextStartNodeIndex: 0 };
  /** Bindings in flight, and who waits for them all to finish. */
  #bindingCount = 0;
  #bindingsIdle: (() => void)[] = [];
  readonly #stats: SchedulerStats = {
    attempts: 0,
    scheduled: 0,
    unschedulable: 0,
    errors: 0,
    bindFailures: 0,
  };
  /**
   * Called with every cycle's Decision as the cycle ends, before the pod is assumed; must not
   * throw. The simulator's invariant checks set it; nothing in the control plane reads it.
   */
  onDecision: ((decision: Decision) => void) | undefined = undefined;
  #nodeInformer: Informer | undefined;
  #podInformer: Informer | undefined;
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    const registry = options.registry ?? inTreeRegistry();
    const isKnownPlugin = (name: string) => registry.has(name);
    const config = options.config ?? {};
    const resolved =
      typeof config === 'string'
        ? parseSchedulerConfigYaml(config, { isKnownPlugin })
        : resolveSchedulerConfig(config, { isKnownPlugin });
    if (!resolved.ok) throw new SchedulerConfigError(resolved.errors);
    this.config = resolved.config;
    this.#ownsEvents = options.events === undefined;
    this.#events =
      options.events ??
      new EventRecorder({
        client: options.client,
        clock: options.clock,
        rng: options.rng.fork('events'),
        component: defaultSchedulerName,
      });
    this.#handle = new SchedulerHandle({
      client: options.client,
      clock: options.clock,
      rng: options.rng.fork('informers'),
      events: this.#events,
      nominatedPods: (node) => this.queue.nominatedPodsForNode(node),
      hasNominatedPods: () => this.queue.hasNominatedPods(),
      onNominated: (pod, node) => this.queue.setNominated(pod, node),
    });
    const rng = options.rng.fork('select-host');
    const preemptionRng = options.rng.fork('preemption');
    const fullTrace =
      options.recorder !== undefined && traceLevelAdmits(options.traceLevel ?? 'full', 'full');
    for (const profile of this.config.profiles) {
      const framework = new Framework({
        profile,
        registry,
        handle: this.#handle,
        percentageOfNodesToScore: this.config.percentageOfNodesToScore,
        rng,
        sampling: this.#sampling,
        preemptionRng,
        // Every score row only when the trace keeps full decision records.
        scoreRows: fullTrace ? 'all' : 'top',
      });
      this.#frameworks.set(profile.schedulerName, framework);
    }
    const first = this.#frameworks.values().next().value as Framework;
    const sorts = [...this.#frameworks.values()].map((f) => f.queueSort.name);
    const other = sorts.findIndex((name) => name !== first.queueSort.name);
    if (other >= 0) {
      throw new SchedulerConfigError([
        `profiles[${other}].plugins.queueSort: Invalid value: "${sorts[other]}": ` +
          'queueSort must be the same for all profiles',
      ]);
    }
    this.queue = new SchedulingQueue({
      clock: options.clock,
      less: (a, b) => first.queueSort.less(a, b),
      podInitialBackoffMs: this.config.podInitialBackoffMs,
      podMaxBackoffMs: this.config.podMaxBackoffMs,
      preEnqueue: (pod) => this.#preEnqueue(pod),
    });
  }

  /** The FrameworkHandle plugins get (exposed for tests and tools). */
  get handle(): FrameworkHandle {
    return this.#handle;
  }

  stats(): SchedulerStats {
    return { ...this.#stats };
  }

  /** Starts informers, queue timers and the scheduling loop. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    const { client, clock } = this.#options;
    const rng = this.#options.rng.fork('informers');
    this.#nodeInformer = new Informer({
      client,
      clock,
      rng: rng.fork('nodes'),
      resource: coreResources.nodes,
    });
    this.#podInformer = new Informer({
      client,
      clock,
      rng: rng.fork('pods'),
      resource: coreResources.pods,
    });
    this.#nodeInformer.addEventHandler({
      onAdd: (node) => this.#onNodeAdd(node),
      onUpdate: (oldNode, newNode) => this.#onNodeUpdate(oldNode, newNode),
      onDelete: (node) => this.cache.removeNode(node.metadata.name ?? ''),
    });
    this.#podInformer.addEventHandler({
      onAdd: (pod) => this.#onPodAdd(pod),
      onUpdate: (oldPod, newPod) => this.#onPodUpdate(oldPod, newPod),
      onDelete: (pod) => this.#onPodDelete(pod),
    });
    this.#nodeInformer.start();
    this.#podInformer.start();
    this.queue.run();
    this.#loop = this.#runLoop();
  }

  /** Stops informers, timers and the loop; bindings in flight still finish. */
  stop(): void {
    this.#running = false;
    this.#nodeInformer?.stop();
    this.#podInformer?.stop();
    this.#handle.stop();
    this.queue.close();
    if (this.#ownsEvents) this.#events.stop();
  }

  /** Resolves when the loop has ended and every binding in flight has finished. */
  async whenStopped(): Promise<void> {
    await this.#loop;
    if (this.#bindingCount === 0) return;
    await new Promise<void>((resolve) => this.#bindingsIdle.push(resolve));
  }

  /**
   * Waits until every informer has listed once (upstream's WaitForCacheSync), so the first
   * cycles see all nodes, bound pods and spreading selectors. Polls the Clock every 100 ms.
   */
  async #waitForCacheSync(): Promise<void> {
    const informers = [this.#nodeInformer, this.#podInformer, ...this.#handle.startInformers()];
    while (this.#running && !informers.every((i) => i === undefined || i.hasSynced())) {
      await this.#options.clock.sleep(cacheSyncPollMs);
    }
  }

  async #runLoop(): Promise<void> {
    await this.#waitForCacheSync();
    while (this.#running) {
      const info = await this.queue.pop();
      if (info === undefined) return;
      await this.scheduleOne(info);
    }
  }

  /** One scheduling cycle for a popped pod (upstream ScheduleOne). */
  async scheduleOne(info: QueuedPodInfo): Promise<void> {
    const pod = info.podInfo;
    const framework = this.#frameworks.get(schedulerNameOf(pod.pod));
    if (framework === undefined || pod.terminating || this.cache.nodeOf(pod.key) !== undefined) {
      this.queue.done(pod.key);
      return;
    }
    this.#stats.attempts += 1;
    const cycle = this.queue.schedulingCycle;
    const snapshot = this.cache.updateSnapshot();
    const outcome = await framework.schedulePod(pod, snapshot);
    this.#trace(outcome.decision);
    switch (outcome.kind) {
      case 'scheduled':
        return this.#assumeAndBind(framework, info, outcome);
      case 'unschedulable':
        this.#stats.unschedulable += 1;
        if (outcome.nominatedNodeName !== undefined) {
          this.queue.setNominated(pod, outcome.nominatedNodeName);
        }
        this.queue.addUnschedulable(info, cycle);
        this.#reportFailure(pod, outcome.message, 'Unschedulable', {
          nominatedNodeName: outcome.nominatedNodeName,
          decision: outcome.decision,
        });
        return;
      case 'error':
        this.#stats.errors += 1;
        this.queue.addAfterError(info);
        this.#reportFailure(pod, outcome.message, 'SchedulerError');
        return;
      default:
        return assertNever(outcome, 'unknown cycle outcome');
    }
  }

  #assumeAndBind(
    framework: Framework,
    info: QueuedPodInfo,
    outcome: { nodeName: string; state: CycleState; decision: Decision },
  ): void {
    const { nodeName, state } = outcome;
    const pod = info.podInfo;
    this.cache.assumePod(pod, nodeName);
    // As upstream's assume: a pod placed on a node is no longer nominated anywhere.
    this.queue.setNominated(pod, '');
    const reserved = framework.runReserve(state, pod, nodeName);
    if (reserved.code !== 'Success') {
      this.cache.forgetPod(pod.key);
      this.#stats.errors += 1;
      this.queue.addAfterError(info);
      this.#reportFailure(pod, reserved.reasons.join(', '), 'SchedulerError');
      return;
    }
    this.queue.done(pod.key);
    this.#bindingCount += 1;
    void this.#bind(framework, info, outcome);
  }

  #bindingFinished(): void {
    this.#bindingCount -= 1;
    if (this.#bindingCount > 0) return;
    const waiters = this.#bindingsIdle;
    this.#bindingsIdle = [];
    for (const resolve of waiters) resolve();
  }

  /** The binding cycle; counted in flight from #assumeAndBind until it ends. */
  async #bind(
    framework: Framework,
    info: QueuedPodInfo,
    outcome: { nodeName: string; state: CycleState; decision: Decision },
  ): Promise<void> {
    try {
      const result = await framework.runBind(outcome.state, info.podInfo, outcome.nodeName);
      if (result.code === 'Success') this.#bound(info.podInfo, outcome);
      else this.#bindFailed(framework, info, outcome, result);
    } finally {
      this.#bindingFinished();
    }
  }

  #bound(pod: PodInfo, outcome: { nodeName: string; decision: Decision }): void {
    this.cache.finishBinding(pod.key);
    this.#stats.scheduled += 1;
    const message = `Successfully assigned ${pod.namespace}/${pod.name} to ${outcome.nodeName}`;
    const annotations = decisionAnnotations(outcome.decision);
    this.#events.annotatedEvent(podReference(pod), annotations, {
      type: 'Normal',
      reason: 'Scheduled',
      message,
    });
  }

  #bindFailed(
    framework: Framework,
    info: QueuedPodInfo,
    outcome: { nodeName: string; state: CycleState },
    result: Status,
  ): void {
    const pod = info.podInfo;
    this.#stats.bindFailures += 1;
    framework.runUnreserve(outcome.state, pod, outcome.nodeName);
    this.cache.forgetPod(pod.key);
    this.queue.moveAllToActiveOrBackoff('AssignedPodDelete');
    const current = this.#podInformer?.store.get(pod.key);
    if (current !== undefined && specNodeName(current as JsonObject) === '') {
      this.queue.addAfterError(info);
    }
    const detail = result.reasons.join(', ');
    const message = `running Bind plugin ${JSON.stringify(result.plugin ?? '')}: ${detail}`;
    this.#reportFailure(pod, message, 'SchedulerError');
  }

  #preEnqueue(pod: PodInfo): boolean {
    const framework = this.#frameworks.get(schedulerNameOf(pod.pod));
    if (framework === undefined || !framework.pluginNames.has(schedulingGatesName)) return true;
    const spec = (pod.pod.spec ?? {}) as { schedulingGates?: unknown };
    return !Array.isArray(spec.schedulingGates) || spec.schedulingGates.length === 0;
  }

  #trace(decision: Decision): void {
    this.onDecision?.(decision);
    const recorder = this.#options.recorder;
    if (recorder === undefined) return;
    const component = this.#options.component ?? 'scheduler';
    const atMs = this.#options.clock.nowMs();
    recordDecision(recorder, decision, { atMs, component, levelSetting: this.#options.traceLevel });
  }

  /** FailedScheduling event and the PodScheduled=False condition (skipped when unchanged). */
  #reportFailure(
    pod: PodInfo,
    message: string,
    reason: string,
    extra: { nominatedNodeName?: string | undefined; decision?: Decision } = {},
  ): void {
    const { nominatedNodeName } = extra;
    const annotations = extra.decision === undefined ? {} : decisionAnnotations(extra.decision);
    this.#events.annotatedEvent(podReference(pod), annotations, {
      type: 'Warning',
      reason: 'FailedScheduling',
      message,
    });
    const current = (this.#podInformer?.store.get(pod.key) ?? pod.pod) as JsonObject;
    const patch = podScheduledPatch(
      current,
      { message, reason, nominatedNodeName },
      this.#options.clock.nowMs(),
    );
    if (patch === undefined) return;
    const target = { namespace: pod.namespace, name: pod.name };
    const body = { type: 'strategic' as const, body: patch };
    this.#options.client
      .patch(coreResources.pods, target, body, { subresource: 'status' })
      .catch(() => undefined);
  }

  #onNodeAdd(node: KubeObject): void {
    this.cache.addNode(node as JsonObject);
    this.queue.moveAllToActiveOrBackoff('NodeAdd');
  }

  #onNodeUpdate(oldNode: KubeObject, newNode: KubeObject): void {
    this.cache.updateNode(newNode as JsonObject);
    if (nodeSchedulingChanged(oldNode as JsonObject, newNode as JsonObject)) {
      this.queue.moveAllToActiveOrBackoff('NodeUpdate');
    }
  }

  #onPodAdd(object: KubeObject): void {
    const pod = object as JsonObject;
    if (isTerminal(pod)) return;
    const info = podInfoOf(pod);
    if (podNodeName(info) !== '') {
      this.queue.delete(info.key);
      this.cache.addPod(info);
      this.#moveAll('AssignedPodAdd');
      return;
    }
    if (this.#frameworks.has(schedulerNameOf(pod))) this.queue.add(info);
  }

  #onPodUpdate(oldObject: KubeObject, newObject: KubeObject): void {
    const oldPod = oldObject as JsonObject;
    const pod = newObject as JsonObject;
    const info = podInfoOf(pod);
    const wasAssigned = specNodeName(oldPod) !== '';
    if (podNodeName(info) !== '') {
      this.queue.delete(info.key);
      if (isTerminal(pod)) {
        this.cache.removePod(info.key);
        this.#moveAll('AssignedPodDelete');
        return;
      }
      this.cache.updatePod(info);
      // Status-only updates (the kubelet's) free nothing and change no labels.
      if (!wasAssigned) this.#moveAll('AssignedPodAdd');
      else if (isPodUpdated(oldPod, pod)) this.#moveAll('AssignedPodUpdate');
      return;
    }
    if (!this.#frameworks.has(schedulerNameOf(pod))) return;
    if (isTerminal(pod)) this.queue.delete(info.key);
    else this.queue.update(info);
  }

  #onPodDelete(object: KubeObject): void {
    const info = podInfoOf(object as JsonObject);
    if (this.cache.nodeOf(info.key) !== undefined && !this.cache.isAssumed(info.key)) {
      this.cache.removePod(info.key);
      this.#moveAll('AssignedPodDelete');
      return;
    }
    this.queue.delete(info.key);
  }

  #moveAll(event: ClusterEvent): void {
    this.queue.moveAllToActiveOrBackoff(event);
  }
}

/** spec.nodeName of a pod object ('' when unassigned), without building its PodInfo. */
function specNodeName(pod: JsonObject): string {
  const spec = pod.spec as { nodeName?: unknown } | undefined;
  return typeof spec?.nodeName === 'string' ? spec.nodeName : '';
}

function podReference(pod: PodInfo) {
  return objectReference(pod.pod as unknown as KubeObject, { resource: coreResources.pods });
}

/** The bounded decision summary (histogram, sampled count, top 3, chosen node) as an annotation. */
function decisionAnnotations(decision: Decision): Record<string, string> {
  return { [decisionAnnotation]: JSON.stringify(summaryFields(decision)) };
}
