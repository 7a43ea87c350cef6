// Runs a generated cluster through the real Scheduler in the simulated world and records what
// property tests check: each cycle's pod and snapshot, the decision records, a ledger of the
// cache's contents checked after every cache mutation, and the final placements.
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import type { SchedulerConfigInput } from '../../src/control/scheduler/config.js';
import { MutableNodeInfo } from '../../src/control/scheduler/framework/node-info.js';
import type { NodeInfo, PodInfo } from '../../src/control/scheduler/framework/types.js';
import type { Scheduler } from '../../src/control/scheduler/scheduler.js';
import type { ClusterShape, NodeShape, PodShape } from './property-cluster.js';
import {
  nodeObjectOf,
  podObjectOf,
  priorityClassObject,
  priorityClassValues,
} from './property-cluster.js';
import { createSchedulerWorld, withoutPreemption, type SchedulerWorld } from './scheduler-world.js';

const priorityClasses = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  plural: 'priorityclasses',
  namespaced: false,
};

/** One scheduling cycle as the scheduler ran it: the pod and frozen copies of its snapshot. */
export interface CycleCapture {
  atMs: number;
  pod: PodInfo;
  nodes: NodeInfo[];
}

/** The `full` decision record of one cycle (fields of interest). */
export interface DecisionRecord {
  atMs: number;
  pod: string;
  chosen: string | null;
  filtered: { node: string; plugin: string; code: string }[];
  scored: { node: string; total: number; plugins: Record<string, { weighted: number }> }[];
  message?: string;
}

export interface ClusterRun {
  world: SchedulerWorld;
  cycles: CycleCapture[];
  decisions: DecisionRecord[];
  /** Broken cache invariants seen at the moment of a mutation or snapshot. */
  cacheViolations: string[];
  /** Errors that escaped a scheduling cycle (each would have ended the real loop). */
  loopErrors: string[];
  /** Pod name → node name (bound pods only), from the API server at the end. */
  placements: Map<string, string>;
  /** `p00@n03,p01@-,...` in pod-name order: the byte-comparable outcome. */
  placementText: string;
  finalPods: KubeObject[];
}

export interface RunClusterOptions {
  seed: number;
  /** Default profile (with DefaultPreemption) when true, else without it. Default false. */
  preemption?: boolean;
  /** Overrides `preemption`: the scheduler configuration to run. */
  config?: SchedulerConfigInput;
  /** Holds every binding request this long (virtual ms): pods stay assumed meanwhile. */
  bindDelayMs?: number;
  /** Fails this many of the first binding requests. */
  failBindings?: number;
  /** Virtual ms to run after the last pod arrives. Default 30 s. */
  settleMs?: number;
  /** Pods arrive in this many waves 700 ms apart. Default 3. */
  waveCount?: number;
  /** Creates only the first this many nodes at the start (churn may add the rest). */
  initialNodeCount?: number;
  /** Changes the cluster (inside the engine) 5 s after the last wave, before settling. */
  churn?: (world: SchedulerWorld) => Promise<void>;
}

export async function runCluster(
  cluster: ClusterShape,
  options: RunClusterOptions,
): Promise<ClusterRun> {
  const config = options.config ?? (options.preemption === true ? {} : withoutPreemption);
  const world = await createSchedulerWorld({
    seed: options.seed,
    config,
    bindDelayMs: options.bindDelayMs ?? 0,
    failBindings: options.failBindings ?? 0,
  });
  const cycles: CycleCapture[] = [];
  const cacheViolations: string[] = [];
  const loopErrors: string[] = [];
  instrument(world, cluster, { cycles, cacheViolations, loopErrors });
  await world.run(async () => {
    for (const [name, value] of Object.entries(priorityClassValues)) {
      await world.client.create(priorityClasses, '', priorityClassObject(name, value) as never);
    }
    for (const node of cluster.nodes.slice(0, options.initialNodeCount)) {
      await world.client.create(coreResources.nodes, '', nodeObjectOf(node) as never);
    }
  });
  world.scheduler.start();
  await world.advance(500);
  for (const wave of waves(cluster.pods, options.waveCount ?? 3)) {
    await world.run(() =>
      Promise.all(
        wave.map((pod) =>
          world.client.create(coreResources.pods, 'default', podObjectOf(pod) as never),
        ),
      ),
    );
    await world.advance(700);
  }
  if (options.churn !== undefined) {
    await world.advance(5_000);
    await world.run(() => options.churn!(world));
  }
  await world.advance(options.settleMs ?? 30_000);
  const finalPods = await world.pods();
  world.scheduler.stop();
  const placements = placementsOf(finalPods);
  return {
    world,
    cycles,
    decisions: decisionsOf(world),
    cacheViolations,
    loopErrors,
    placements,
    placementText: cluster.pods.map((p) => `${p.name}@${placements.get(p.name) ?? '-'}`).join(','),
    finalPods,
  };
}

function waves<T>(items: readonly T[], count: number): T[][] {
  const size = Math.max(1, Math.ceil(items.length / count));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function placementsOf(pods: readonly KubeObject[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const pod of pods) {
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (node !== undefined && node !== '') out.set(pod.metadata.name ?? '', node);
  }
  return out;
}

function decisionsOf(world: SchedulerWorld): DecisionRecord[] {
  return world.traces
    .filter((t) => t.type === 'scheduler.decision' && t.level === 'full')
    .map((t) => ({ atMs: t.atMs, ...(t.fields as unknown as Omit<DecisionRecord, 'atMs'>) }));
}

/**
 * Wraps the scheduler's cache (observation only: every wrapper calls the original and returns
 * its result) so each snapshot is captured with the pod of its cycle, and a ledger of pods per
 * node — with requests taken from the generated shapes, not the scheduler's parsing — is checked
 * against the generated allocatable after every mutation.
 */
function instrument(world: SchedulerWorld, cluster: ClusterShape, sinks: Sinks): void {
  const scheduler = world.scheduler;
  const podShapes = new Map(cluster.pods.map((p) => [`default/${p.name}`, p]));
  const nodeShapes = new Map(cluster.nodes.map((n) => [n.name, n]));
  const ledger = new Map<string, string>();
  const check = (what: string): void => {
    for (const problem of ledgerProblems(ledger, podShapes, nodeShapes)) {
      sinks.cacheViolations.push(`${world.engine.nowMs()} after ${what}: ${problem}`);
    }
  };
  const cache = scheduler.cache;
  wrapAfter(cache, 'assumePod', (pod: PodInfo, node: string) => ledger.set(pod.key, node));
  wrapAfter(cache, 'addPod', (pod: PodInfo) => ledger.set(pod.key, nodeNameOf(pod)));
  wrapAfter(cache, 'updatePod', (pod: PodInfo) => ledger.set(pod.key, nodeNameOf(pod)));
  wrapAfter(cache, 'forgetPod', (key: string) => ledger.delete(key));
  wrapAfter(cache, 'removePod', (key: string) => ledger.delete(key));
  for (const method of ['assumePod', 'addPod', 'updatePod', 'forgetPod', 'removePod'] as const) {
    wrapAfter(cache, method, () => check(method));
  }
  captureCycles(world, scheduler, sinks);
}

interface Sinks {
  cycles: CycleCapture[];
  cacheViolations: string[];
  loopErrors: string[];
}

/**
 * An error escaping scheduleOne would end the real loop and surface as an unhandled rejection;
 * the wrapper records it instead (and lets the loop go on), and properties assert none occurred.
 */
function captureCycles(world: SchedulerWorld, scheduler: Scheduler, sinks: Sinks): void {
  let current: PodInfo | undefined;
  const scheduleOne = scheduler.scheduleOne.bind(scheduler);
  scheduler.scheduleOne = async (info) => {
    current = info.podInfo;
    try {
      await scheduleOne(info);
    } catch (error) {
      sinks.loopErrors.push(`${world.engine.nowMs()} ${info.podInfo.key}: ${String(error)}`);
    }
  };
  const updateSnapshot = scheduler.cache.updateSnapshot.bind(scheduler.cache);
  scheduler.cache.updateSnapshot = () => {
    const snapshot = updateSnapshot();
    const nodes = snapshot.nodes.map((n) => (n as MutableNodeInfo).clone());
    for (const problem of snapshotProblems(nodes)) {
      sinks.cacheViolations.push(`${world.engine.nowMs()} snapshot: ${problem}`);
    }
    if (current !== undefined)
      sinks.cycles.push({ atMs: world.engine.nowMs(), pod: current, nodes });
    return snapshot;
  };
}

/** Replaces `target[method]` with one that calls the original, then `after` with its args. */
function wrapAfter<T extends object, K extends keyof T>(
  target: T,
  method: K,
  after: (...args: never[]) => void,
): void {
  const original = target[method] as unknown as (...args: unknown[]) => unknown;
  const wrapped = (...args: unknown[]): unknown => {
    const result = original.apply(target, args);
    (after as (...a: unknown[]) => void)(...args);
    return result;
  };
  (target as Record<K, unknown>)[method] = wrapped;
}

function nodeNameOf(pod: PodInfo): string {
  return (pod.pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
}

/** Σ generated requests and pod counts per node against the generated allocatable. */
export function ledgerProblems(
  ledger: ReadonlyMap<string, string>,
  pods: ReadonlyMap<string, PodShape>,
  nodes: ReadonlyMap<string, NodeShape>,
): string[] {
  const sums = new Map<string, { milliCpu: number; memoryMi: number; count: number }>();
  for (const [key, nodeName] of ledger) {
    const shape = pods.get(key);
    const sum = sums.get(nodeName) ?? { milliCpu: 0, memoryMi: 0, count: 0 };
    sum.milliCpu += shape?.milliCpu ?? 0;
    sum.memoryMi += shape?.memoryMi ?? 0;
    sum.count += 1;
    sums.set(nodeName, sum);
  }
  const problems: string[] = [];
  for (const [nodeName, sum] of sums) {
    const node = nodes.get(nodeName);
    if (node === undefined) {
      problems.push(`pods on unknown node ${nodeName}`);
      continue;
    }
    if (sum.milliCpu > node.milliCpu) problems.push(`${nodeName} cpu ${sum.milliCpu}m`);
    if (sum.memoryMi > node.memoryMi) problems.push(`${nodeName} memory ${sum.memoryMi}Mi`);
    if (sum.count > node.podCount) problems.push(`${nodeName} pods ${sum.count}`);
  }
  return problems;
}

/** The scheduler's own sums in a snapshot against the node's allocatable. */
export function snapshotProblems(nodes: readonly NodeInfo[]): string[] {
  const problems: string[] = [];
  for (const n of nodes) {
    if (n.requested.milliCpu > n.allocatable.milliCpu) problems.push(`${n.name} cpu`);
    if (n.requested.memory > n.allocatable.memory) problems.push(`${n.name} memory`);
    if (n.pods.length > n.allocatable.allowedPodNumber) problems.push(`${n.name} pods`);
  }
  return problems;
}

/** Final state: Σ generated requests of bound pods (terminating ones too) per node. */
export function finalProblems(cluster: ClusterShape, finalPods: readonly KubeObject[]): string[] {
  const ledger = new Map<string, string>();
  for (const [name, node] of placementsOf(finalPods)) ledger.set(`default/${name}`, node);
  const pods = new Map(cluster.pods.map((p) => [`default/${p.name}`, p]));
  return ledgerProblems(ledger, pods, new Map(cluster.nodes.map((n) => [n.name, n])));
}
