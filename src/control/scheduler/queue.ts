// The scheduling queue (upstream PriorityQueue): activeQ ordered by the queue-sort plugin,
// backoffQ ordered by backoff expiry, unschedulablePods waiting for a cluster event, plus the
// nominated pods of preemption.
//
// Callers: informer handlers add, update and delete pending pods and report cluster events
// (moveAllToActiveOrBackoff); the Scheduler pops one pod per cycle and hands failures back
// (addUnschedulable, addAfterError). Timers run on the Clock: backoffQ is flushed every 1 s,
// unschedulablePods every 30 s (pods waiting longer than 5 min are moved). Sizes are bounded.
import type { Clock, TimerHandle } from '../ports/clock.js';
import { assert } from '../util/assert.js';
import { canonicalStringify } from '../api/values/canonical-json.js';
import type { JsonObject } from '../store/types.js';
import type { PodInfo, QueuedPodInfo } from './framework/types.js';
import { KeyedHeap } from './keyed-heap.js';

export { KeyedHeap } from './keyed-heap.js';

export const backoffFlushIntervalMs = 1_000;
export const unschedulableFlushIntervalMs = 30_000;
export const unschedulableMaxWaitMs = 5 * 60_000;

/** Cluster events that may make unschedulable pods schedulable. */
export type ClusterEvent =
  | 'NodeAdd'
  | 'NodeUpdate'
  | 'AssignedPodAdd'
  | 'AssignedPodUpdate'
  | 'AssignedPodDelete'
  | 'UnschedulableTimeout'
  | 'ForceActivate';

export interface SchedulingQueueOptions {
  clock: Clock;
  /** The queue-sort plugin's less. */
  less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  /** Default 1000 ms. */
  podInitialBackoffMs?: number;
  /** Default 10000 ms. */
  podMaxBackoffMs?: number;
  /** Pods the queue holds at most; more are refused (counted in droppedFullCount). */
  podCountMax?: number;
  /** PreEnqueue: a pod for which this returns false waits in unschedulablePods (gated). */
  preEnqueue?: (pod: PodInfo) => boolean;
}

interface Waiting {
  info: QueuedPodInfo;
  /** When the pod entered unschedulablePods. */
  sinceMs: number;
  gated: boolean;
}

export class SchedulingQueue {
  readonly #clock: Clock;
  readonly #options: SchedulingQueueOptions;
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #podCountMax: number;
  readonly #active: KeyedHeap<QueuedPodInfo>;
  readonly #backoff: KeyedHeap<QueuedPodInfo>;
  readonly #unschedulable = new Map<string, Waiting>();
  /** Pods popped and not yet handed back (their cycle is running). */
  readonly #inFlight = new Map<string, QueuedPodInfo>();
  readonly #nominated = new Map<string, { nodeName: string; podInfo: PodInfo }>();
  #sequence = 0;
  #schedulingCycle = 0;
  #moveRequestCycle = -1;
  #waiters: ((info: QueuedPodInfo | undefined) => void)[] = [];
  #timers: TimerHandle[] = [];
  #closed = false;
  droppedFullCount = 0;

  constructor(options: SchedulingQueueOptions) {
    this.#clock = options.clock;
    this.#options = options;
    this.#initialMs = options.podInitialBackoffMs ?? 1_000;
    this.#maxMs = options.podMaxBackoffMs ?? 10_000;
    this.#podCountMax = options.podCountMax ?? 100_000;
    assert(this.#initialMs > 0 && this.#maxMs >= this.#initialMs, 'invalid backoff bounds');
    this.#active = new KeyedHeap({ less: options.less });
    this.#backoff = new KeyedHeap({
      less: (a, b) => {
        const ea = this.backoffExpiryMs(a);
        const eb = this.backoffExpiryMs(b);
        return ea !== eb ? ea < eb : a.sequence < b.sequence;
      },
    });
  }

  /** Starts the periodic flushes. */
  run(): void {
    const every = (periodMs: number, fn: () => void): void => {
      const tick = (): void => {
        if (this.#closed) return;
        fn();
        this.#timers.push(this.#clock.setTimer(periodMs, tick));
      };
      this.#timers.push(this.#clock.setTimer(periodMs, tick));
    };
    every(backoffFlushIntervalMs, () => this.flushBackoffCompleted());
    every(unschedulableFlushIntervalMs, () => this.flushUnschedulableLeftover());
  }

  /** Stops timers; pending and future pops resolve with undefined. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) timer.cancel();
    this.#timers = [];
    for (const waiter of this.#waiters.splice(0)) waiter(undefined);
  }

  get schedulingCycle(): number {
    return this.#schedulingCycle;
  }

  get size(): number {
    return this.#active.size + this.#backoff.size + this.#unschedulable.size;
  }

  /** Counts per sub-queue (diagnostics and tests). */
  counts(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    return {
      active: this.#active.size,
      backoff: this.#backoff.size,
      unschedulable: this.#unschedulable.size,
      inFlight: this.#inFlight.size,
    };
  }

  /** Where a pod is: 'active', 'backoff', 'unschedulable', 'inFlight' or undefined. */
  whereIs(key: string): 'active' | 'backoff' | 'unschedulable' | 'inFlight' | undefined {
    if (this.#active.has(key)) return 'active';
    if (this.#backoff.has(key)) return 'backoff';
    if (this.#unschedulable.has(key)) return 'unschedulable';
    if (this.#inFlight.has(key)) return 'inFlight';
    return undefined;
  }

  /** upstream calculateBackoffDuration: initial × 2^(attempts−1), capped at max. */
  backoffDurationMs(attempts: number): number {
    let duration = this.#initialMs;
    for (let i = 1; i < attempts; i++) {
      if (duration > this.#maxMs - duration) return this.#maxMs;
      duration += duration;
    }
    return duration;
  }

  backoffExpiryMs(info: QueuedPodInfo): number {
    return info.timestampMs + this.backoffDurationMs(info.attempts);
  }

  /** A new pending pod. */
  add(podInfo: PodInfo): boolean {
    if (this.#known(podInfo.key)) return this.update(podInfo);
    if (this.size >= this.#podCountMax) {
      this.droppedFullCount += 1;
      return false;
    }
    const nowMs = this.#clock.nowMs();
    const info: QueuedPodInfo = {
      podInfo,
      initialAttemptAtMs: nowMs,
      timestampMs: nowMs,
      attempts: 0,
      sequence: this.#sequence++,
    };
    this.#updateNominated(podInfo);
    this.#toActiveOrGated(info);
    return true;
  }

  /** A pending pod changed: replaced in place; an unschedulable one may move (upstream Update). */
  update(podInfo: PodInfo): boolean {
    const key = podInfo.key;
    this.#updateNominated(podInfo);
    const replace = (info: QueuedPodInfo): QueuedPodInfo => ({ ...info, podInfo });
    const active = this.#active.get(key);
    if (active !== undefined) return (this.#active.push(key, replace(active)), true);
    const backoff = this.#backoff.get(key);
    if (backoff !== undefined) return (this.#backoff.push(key, replace(backoff)), true);
    const flying = this.#inFlight.get(key);
    if (flying !== undefined) return (this.#inFlight.set(key, replace(flying)), true);
    const waiting = this.#unschedulable.get(key);
    if (waiting === undefined) return this.add(podInfo);
    if (!isPodUpdated(waiting.info.podInfo.pod, podInfo.pod)) {
      waiting.info = replace(waiting.info);
      return true;
    }
    this.#unschedulable.delete(key);
    const info = replace(waiting.info);
    if (waiting.gated) this.#toActiveOrGated(info);
    else this.#toActiveOrBackoff(info);
    return true;
  }

  delete(key: string): void {
    this.#active.delete(key);
    this.#backoff.delete(key);
    this.#unschedulable.delete(key);
    this.#inFlight.delete(key);
    this.#nominated.delete(key);
  }

  /** Resolves with the next pod from activeQ, waiting while it is empty. */
  pop(): Promise<QueuedPodInfo | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    const next = this.#popNow();
    if (next !== undefined) return Promise.resolve(next);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #popNow(): QueuedPodInfo | undefined {
    const top = this.#active.pop();
    if (top === undefined) return undefined;
    const info: QueuedPodInfo = { ...top, attempts: top.attempts + 1 };
    this.#schedulingCycle += 1;
    this.#inFlight.set(info.podInfo.key, info);
    return info;
  }

  #wake(): void {
    while (this.#waiters.length > 0 && this.#active.size > 0) {
      const waiter = this.#waiters.shift() as (info: QueuedPodInfo | undefined) => void;
      waiter(this.#popNow());
    }
  }

  /** The pod's cycle is over (bound or assumed): it leaves the queue. */
  done(key: string): void {
    this.#inFlight.delete(key);
  }

  /**
   * A pod that failed its cycle as unschedulable. When a move request came while it was being
   * scheduled, it goes to backoff/active at once; otherwise it waits in unschedulablePods.
   */
  addUnschedulable(info: QueuedPodInfo, podSchedulingCycle: number): void {
    const key = info.podInfo.key;
    if (!this.#inFlight.has(key)) return;
    const current = this.#inFlight.get(key) as QueuedPodInfo;
    this.#inFlight.delete(key);
    const requeued: QueuedPodInfo = { ...current, timestampMs: this.#clock.nowMs() };
    if (this.#moveRequestCycle >= podSchedulingCycle) {
      this.#toActiveOrBackoff(requeued);
      return;
    }
    this.#unschedulable.set(key, { info: requeued, sinceMs: this.#clock.nowMs(), gated: false });
  }

  /** A pod whose cycle or binding failed with an error: straight to backoffQ. */
  addAfterError(info: QueuedPodInfo): void {
    const key = info.podInfo.key;
    const current = this.#inFlight.get(key) ?? info;
    this.#inFlight.delete(key);
    if (this.#known(key)) return;
    this.#backoff.push(key, { ...current, timestampMs: this.#clock.nowMs() });
  }

  /** A cluster event: every unschedulable pod moves to backoffQ or activeQ. */
  moveAllToActiveOrBackoff(_event: ClusterEvent): void {
    // Most events find no waiting pod (every assigned pod's update reports one).
    if (this.#unschedulable.size > 0) {
      const moving = [...this.#unschedulable.entries()].filter(([, w]) => !w.gated);
      moving.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [key, waiting] of moving) {
        this.#unschedulable.delete(key);
        this.#toActiveOrBackoff(waiting.info);
      }
    }
    this.#moveRequestCycle = this.#schedulingCycle;
  }

  /** Moves pods whose backoff has expired to activeQ. */
  flushBackoffCompleted(): void {
    const nowMs = this.#clock.nowMs();
    for (let top = this.#backoff.peek(); top !== undefined; top = this.#backoff.peek()) {
      if (this.backoffExpiryMs(top) > nowMs) break;
      this.#backoff.pop();
      this.#active.push(top.podInfo.key, top);
    }
    this.#wake();
  }

  /** Moves pods that waited in unschedulablePods longer than 5 minutes. */
  flushUnschedulableLeftover(): void {
    const nowMs = this.#clock.nowMs();
    const stale = [...this.#unschedulable.entries()].filter(
      ([, w]) => !w.gated && nowMs - w.sinceMs > unschedulableMaxWaitMs,
    );
    stale.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [key, waiting] of stale) {
      this.#unschedulable.delete(key);
      this.#toActiveOrBackoff(waiting.info);
    }
  }

  /** False when no pod is nominated to any node. */
  hasNominatedPods(): boolean {
    return this.#nominated.size > 0;
  }

  /** Pods nominated to `nodeName`, in key order. */
  nominatedPodsForNode(nodeName: string): PodInfo[] {
    if (this.#nominated.size === 0) return [];
    const out: { key: string; podInfo: PodInfo }[] = [];
    for (const [key, entry] of this.#nominated) {
      if (entry.nodeName === nodeName) out.push({ key, podInfo: entry.podInfo });
    }
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return out.map((e) => e.podInfo);
  }

  /** Records (or clears with '') a nomination made by this scheduler's PostFilter. */
  setNominated(podInfo: PodInfo, nodeName: string): void {
    if (nodeName === '') this.#nominated.delete(podInfo.key);
    else this.#nominated.set(podInfo.key, { nodeName, podInfo });
  }

  #updateNominated(podInfo: PodInfo): void {
    const status = podInfo.pod.status as { nominatedNodeName?: unknown } | undefined;
    const nodeName = status?.nominatedNodeName;
    if (typeof nodeName === 'string' && nodeName !== '') this.setNominated(podInfo, nodeName);
  }

  #known(key: string): boolean {
    return this.whereIs(key) !== undefined;
  }

  #toActiveOrGated(info: QueuedPodInfo): void {
    const key = info.podInfo.key;
    const admit = this.#options.preEnqueue?.(info.podInfo) ?? true;
    if (!admit) {
      this.#unschedulable.set(key, { info, sinceMs: this.#clock.nowMs(), gated: true });
      return;
    }
    this.#active.push(key, info);
    this.#wake();
  }

  #toActiveOrBackoff(info: QueuedPodInfo): void {
    const key = info.podInfo.key;
    if (this.backoffExpiryMs(info) > this.#clock.nowMs()) {
      this.#backoff.push(key, info);
      return;
    }
    this.#active.push(key, info);
    this.#wake();
  }
}

/** upstream isPodUpdated: a change beyond status, resourceVersion, generation, managedFields. */
export function isPodUpdated(oldPod: JsonObject, newPod: JsonObject): boolean {
  const strip = (pod: JsonObject): string => {
    const meta = { ...((pod.metadata ?? {}) as JsonObject) };
    delete meta.resourceVersion;
    delete meta.generation;
    delete meta.managedFields;
    return canonicalStringify({ metadata: meta, spec: pod.spec ?? null });
  };
  return strip(oldPod) !== strip(newPod);
}
