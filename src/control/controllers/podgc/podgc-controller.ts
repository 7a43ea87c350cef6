// The pod garbage collector (pkg/controller/podgc, v1.32): force-deletes pods nobody else will.
//
// Shape: informers on pods and nodes; once both have listed, one pass runs at once and then
// `gcCheckPeriodMs` (20 s) after the previous pass ended (wait.Until, sliding). A pass reads the
// caches once and, in upstream order:
// 1. terminated pods (phase not Pending/Running/Unknown) beyond `terminatedPodThreshold`
//    (12,500; ≤ 0 disables): evicted first, then oldest, then by name;
// 2. terminating pods on a node that is not Ready and is tainted
//    `node.kubernetes.io/out-of-service`;
// 3. orphaned pods: a node name a bound pod refers to but the node cache lacks is put in
//    quarantine (a delaying queue, `quarantineMs`, 40 s); names that come out of it are checked
//    with a live GET, and pods on a node that is really gone get DisruptionTarget
//    (DeletionByPodGC) — then the check repeats from the next pass;
// 4. terminating pods that were never scheduled.
// Each pod is first patched to phase Failed through the status subresource (unless it already
// Succeeded or Failed), then deleted with gracePeriodSeconds 0. Steps 1 and 2 delete in parallel
// (at most `deleteConcurrencyMax` requests in flight), 3 and 4 one by one, as upstream. Failures
// are logged and retried by a later pass; NotFound means someone else finished the job.
// Decisions are the pure functions of podgc-plan.ts.
import type { KubeClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import { Informer } from '../../client/informer.js';
import { coreResources } from '../../client/resource-client.js';
import type { KubeObject } from '../../client/types.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { Clock, TimerHandle } from '../../ports/clock.js';
import type { Rng } from '../../ports/rng.js';
import { assert } from '../../util/assert.js';
import type { PodCondition } from './podgc-plan.js';
import {
  failedStatusPatch,
  missingNodeNames,
  nodeGoneCondition,
  outOfServicePodsToDelete,
  podsOnDeletedNodes,
  terminatedPodsToDelete,
  unscheduledTerminatingPods,
} from './podgc-plan.js';

export interface PodGcControllerOptions {
  client: KubeClient;
  clock: Clock;
  /** Forks `informers/pods` and `informers/nodes`. */
  rng: Rng;
  /** One line per forced deletion and per failure. Default: none. */
  log?: (line: string) => void;
  /** Pause between the end of one pass and the next. Default 20,000 ms (gcCheckPeriod). */
  gcCheckPeriodMs?: number;
  /** Terminated pods kept (--terminated-pod-gc-threshold); ≤ 0 disables. Default 12,500. */
  terminatedPodThreshold?: number;
  /** How long an unknown node name waits before its GET check. Default 40,000 ms. */
  quarantineMs?: number;
  /** Most deletions of steps 1 and 2 in flight at once. Default 50. */
  deleteConcurrencyMax?: number;
  /** Most node names in quarantine. Default 100,000. */
  quarantineLengthMax?: number;
}

export interface PodGcStats {
  /** Passes completed. */
  passCount: number;
  /** Pods this controller deleted (the DELETE answered 2xx). */
  deletedCount: number;
  /** Patches or deletions that failed with anything but NotFound. */
  errorCount: number;
}

/** How often the first pass polls the informers (WaitForCacheSync). */
const cacheSyncPollMs = 100;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function keyOf(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** Runs `work` on every item with at most `limit` calls in flight; resolves when all ended. */
async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  const lanes: Promise<void>[] = [];
  for (let i = 0; i < Math.min(limit, items.length); i++) lanes.push(lane());
  await Promise.all(lanes);
}

export class PodGcController {
  readonly #options: PodGcControllerOptions;
  readonly #client: KubeClient;
  readonly #clock: Clock;
  readonly #pods: Informer;
  readonly #nodes: Informer;
  readonly #quarantine: WorkQueue<string>;
  readonly #stats: PodGcStats = { passCount: 0, deletedCount: 0, errorCount: 0 };
  #running = false;
  #loop: Promise<void> = Promise.resolve();
  #pauseTimer: TimerHandle | undefined;
  #wake: (() => void) | undefined;

  constructor(options: PodGcControllerOptions) {
    this.#options = options;
    this.#client = options.client;
    this.#clock = options.clock;
    const rng = options.rng.fork('informers');
    const base = { client: options.client, clock: options.clock };
    this.#pods = new Informer({ ...base, resource: coreResources.pods, rng: rng.fork('pods') });
    this.#nodes = new Informer({ ...base, resource: coreResources.nodes, rng: rng.fork('nodes') });
    this.#quarantine = new WorkQueue<string>({
      clock: options.clock,
      name: 'orphaned_pods_nodes',
      queueLengthMax: options.quarantineLengthMax ?? 100_000,
      onQueueFull: (error) => this.#log(error.message),
    });
    for (const [name, value] of [
      ['gcCheckPeriodMs', this.#periodMs],
      ['quarantineMs', this.#quarantineMs],
      ['deleteConcurrencyMax', this.#concurrency],
    ] as const) {
      assert(Number.isSafeInteger(value) && value > 0, `${name} must be a positive integer`);
    }
  }

  get #periodMs(): number {
    return this.#options.gcCheckPeriodMs ?? 20_000;
  }

  get #quarantineMs(): number {
    return this.#options.quarantineMs ?? 40_000;
  }

  get #concurrency(): number {
    return this.#options.deleteConcurrencyMax ?? 50;
  }

  get #threshold(): number {
    return this.#options.terminatedPodThreshold ?? 12_500;
  }

  stats(): PodGcStats {
    return { ...this.#stats };
  }

  /** Starts the informers and the pass loop. */
  start(): void {
    assert(!this.#running, 'pod GC controller started twice');
    this.#running = true;
    this.#pods.start();
    this.#nodes.start();
    this.#loop = this.#run();
  }

  /** Stops informers, the quarantine queue and the loop; a pass in flight still finishes. */
  stop(): void {
    this.#running = false;
    this.#pods.stop();
    this.#nodes.stop();
    this.#quarantine.shutDown();
    this.#pauseTimer?.cancel();
    this.#wake?.();
  }

  /** Resolves once the loop has ended (after stop()). */
  whenStopped(): Promise<void> {
    return this.#loop;
  }

  async #run(): Promise<void> {
    while (this.#running && !(this.#pods.hasSynced() && this.#nodes.hasSynced())) {
      await this.#pause(cacheSyncPollMs);
    }
    while (this.#running) {
      await this.gc();
      if (!this.#running) return;
      await this.#pause(this.#periodMs);
    }
  }

  /** Waits `delayMs` on the clock; stop() ends the wait early. */
  #pause(delayMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wake = resolve;
      this.#pauseTimer = this.#clock.setTimer(delayMs, resolve);
    });
  }

  /** One pass over the cached pods and nodes (see the file comment); never throws. */
  async gc(): Promise<void> {
    const pods = this.#pods.store.list();
    const nodes = this.#nodes.store;
    const terminated = terminatedPodsToDelete(pods, this.#threshold);
    await forEachBounded(terminated, this.#concurrency, (pod) => this.#forceDelete(pod));
    const outOfService = outOfServicePodsToDelete(pods, (name) => nodes.get(name));
    await forEachBounded(outOfService, this.#concurrency, (pod) => this.#forceDelete(pod));
    await this.#gcOrphaned(pods, new Set(nodes.keys()));
    for (const pod of unscheduledTerminatingPods(pods)) await this.#forceDelete(pod);
    this.#stats.passCount += 1;
  }

  async #gcOrphaned(pods: readonly KubeObject[], existing: ReadonlySet<string>): Promise<void> {
    for (const name of missingNodeNames(pods, existing)) {
      this.#quarantine.addAfter(name, this.#quarantineMs);
    }
    const deleted = await this.#discoverDeletedNodes(existing);
    if (deleted.size === 0) return;
    for (const pod of podsOnDeletedNodes(pods, deleted)) {
      await this.#forceDelete(pod, nodeGoneCondition);
    }
  }

  /** Node names out of quarantine that a live GET says are gone (discoverDeletedNodes). */
  async #discoverDeletedNodes(existing: ReadonlySet<string>): Promise<Set<string>> {
    const deleted = new Set<string>();
    while (this.#quarantine.length > 0) {
      const next = await this.#quarantine.get();
      if (next.shutDown) break;
      try {
        if (!existing.has(next.key) && !(await this.#nodeExists(next.key))) deleted.add(next.key);
      } catch (error) {
        this.#log(`error while getting node ${next.key}: ${errorText(error)}`);
      } finally {
        this.#quarantine.done(next.key);
      }
    }
    return deleted;
  }

  async #nodeExists(name: string): Promise<boolean> {
    try {
      await this.#client.get(coreResources.nodes, '', name);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** markFailedAndDeletePodWithCondition: Failed first (unless terminal), then grace 0. */
  async #forceDelete(pod: KubeObject, condition?: PodCondition): Promise<void> {
    const target = { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' };
    try {
      const patch = failedStatusPatch(pod, condition, this.#clock.nowMs());
      if (patch !== undefined) {
        await this.#client.patch(
          coreResources.pods,
          target,
          { type: 'strategic', body: patch },
          { subresource: 'status' },
        );
      }
      await this.#client.delete(coreResources.pods, target.namespace, target.name, {
        gracePeriodSeconds: 0,
      });
      this.#stats.deletedCount += 1;
      this.#log(`force deleted pod ${keyOf(pod)}`);
    } catch (error) {
      if (isNotFound(error)) return;
      this.#stats.errorCount += 1;
      this.#log(`force deletion of pod ${keyOf(pod)} failed: ${errorText(error)}`);
    }
  }

  #log(line: string): void {
    this.#options.log?.(line);
  }
}
