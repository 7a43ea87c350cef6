// A ReportData fixture with realistic shapes: a Deployment across N nodes, one node crashing.

import { assert } from '../../control/util/assert.js';
import { minikuVersion } from '../../control/version.js';
import type {
  NodePodSeries,
  NodeReadiness,
  PhaseSample,
  Placement,
  PodPhase,
  ReportData,
  StepSample,
} from './report-data.js';
import { podPhases } from './report-data.js';

export interface SampleReportOptions {
  /** Nodes `worker-1`…`worker-N` (≥ 2); worker-2 crashes. Default 3. */
  nodeCount?: number;
  /** Replicas per node at the start. Default 10. */
  podsPerNode?: number;
}

/** 2026-01-01T00:00:00Z, the virtual epoch of the sample. */
const sampleStartMs = 1_767_225_600_000;
const durationMs = 900_000;
const crashAtMs = 120_000;
/** nodeMonitorGracePeriod (50 s) after the crash the node turns Unknown. */
const unknownAtMs = crashAtMs + 50_000;
/** defaultTolerationSeconds (300 s) later its pods are evicted and replaced. */
const evictAtMs = unknownAtMs + 300_000;

/** One pod's life: created, bound, Running, deleted (null: still there at the end). */
interface SamplePod {
  node: string;
  createdAtMs: number;
  boundAtMs: number;
  runningAtMs: number;
  deletedAtMs: number | null;
}

function nodeName(index: number): string {
  return `worker-${index + 1}`;
}

function samplePods(nodeCount: number, podsPerNode: number): SamplePod[] {
  const pods: SamplePod[] = [];
  for (let i = 0; i < nodeCount * podsPerNode; i++) {
    const node = nodeName(i % nodeCount);
    pods.push({
      node,
      createdAtMs: 0,
      boundAtMs: 10 + 3 * i,
      runningAtMs: 2_500 + 40 * i,
      deletedAtMs: node === 'worker-2' ? evictAtMs : null,
    });
  }
  const survivors = Array.from({ length: nodeCount }, (_, k) => nodeName(k)).filter(
    (name) => name !== 'worker-2',
  );
  const evictedCount = pods.filter((pod) => pod.deletedAtMs !== null).length;
  for (let j = 0; j < evictedCount; j++) {
    pods.push({
      node: survivors[j % survivors.length] as string,
      createdAtMs: evictAtMs + 5,
      boundAtMs: evictAtMs + 50 + 3 * j,
      runningAtMs: evictAtMs + 2_600 + 40 * j,
      deletedAtMs: null,
    });
  }
  return pods;
}

/** Pod i is ordinal i of ReplicaSet default/web-5d8f7b9c4d, named with a made-up suffix. */
function placements(pods: readonly SamplePod[]): Placement[] {
  return pods
    .map((pod, i) => ({
      atMs: pod.boundAtMs,
      pod: `ReplicaSet/default/web-5d8f7b9c4d#${i}`,
      name: `default/web-5d8f7b9c4d-${(1_000 + i).toString(36)}`,
      node: pod.node,
    }))
    .sort((a, b) => a.atMs - b.atMs || (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
}

function phaseAt(pod: SamplePod, tMs: number): PodPhase | undefined {
  const deleted = pod.deletedAtMs !== null && tMs >= pod.deletedAtMs;
  if (tMs < pod.createdAtMs || deleted) return undefined;
  return tMs >= pod.runningAtMs ? 'Running' : 'Pending';
}

function changeInstants(pods: readonly SamplePod[]): number[] {
  const instants = new Set<number>([0]);
  for (const pod of pods) {
    for (const t of [pod.createdAtMs, pod.boundAtMs, pod.runningAtMs, pod.deletedAtMs]) {
      if (t !== null) instants.add(t);
    }
  }
  return [...instants].sort((a, b) => a - b);
}

function phaseSeries(pods: readonly SamplePod[], instants: readonly number[]): PhaseSample[] {
  return instants.map((tMs) => {
    const counts = Object.fromEntries(podPhases.map((phase) => [phase, 0])) as Record<
      PodPhase,
      number
    >;
    for (const pod of pods) {
      const phase = phaseAt(pod, tMs);
      if (phase !== undefined) counts[phase] += 1;
    }
    return { tMs, counts };
  });
}

function countSeries(instants: readonly number[], count: (tMs: number) => number): StepSample[] {
  const samples: StepSample[] = [];
  for (const tMs of instants) {
    const value = count(tMs);
    if (samples[samples.length - 1]?.value !== value) samples.push({ tMs, value });
  }
  return samples;
}

function perNodeSeries(pods: readonly SamplePod[], instants: readonly number[], nodeCount: number) {
  return Array.from({ length: nodeCount }, (_, k): NodePodSeries => {
    const node = nodeName(k);
    const onNode = pods.filter((pod) => pod.node === node);
    const count = (tMs: number): number =>
      onNode.filter((pod) => tMs >= pod.boundAtMs && phaseAt(pod, tMs) !== undefined).length;
    return { node, samples: countSeries(instants, count) };
  });
}

function readiness(nodeCount: number): NodeReadiness[] {
  return Array.from({ length: nodeCount }, (_, k): NodeReadiness => {
    const node = nodeName(k);
    if (node !== 'worker-2')
      return { node, intervals: [{ fromMs: 0, toMs: durationMs, status: 'Ready' }] };
    return {
      node,
      intervals: [
        { fromMs: 0, toMs: unknownAtMs, status: 'Ready' },
        { fromMs: unknownAtMs, toMs: durationMs, status: 'Unknown' },
      ],
    };
  });
}

/**
 * A report of scenario `node-crash-eviction`: `podsPerNode` replicas on each of `nodeCount`
 * nodes; worker-2 crashes at 120 s, turns Unknown at 170 s, its pods are evicted at 470 s and
 * replaced on the other nodes within about 3 s. Deterministic: no randomness at all.
 */
export function sampleReportData(options: SampleReportOptions = {}): ReportData {
  const nodeCount = options.nodeCount ?? 3;
  assert(Number.isSafeInteger(nodeCount) && nodeCount >= 2, 'the sample needs at least 2 nodes');
  const replicaCount = nodeCount * (options.podsPerNode ?? 10);
  const pods = samplePods(nodeCount, options.podsPerNode ?? 10);
  const instants = changeInstants(pods);
  const lastRunningMs = Math.max(...pods.map((pod) => pod.runningAtMs));
  const initialReadyMs = Math.max(...pods.slice(0, replicaCount).map((pod) => pod.runningAtMs));
  const pending = (tMs: number): number =>
    pods.filter((pod) => tMs >= pod.createdAtMs && tMs < pod.boundAtMs).length;
  const schedulingLatencyMs = pods.map((pod) => pod.boundAtMs - pod.createdAtMs);
  const podStartupLatencyMs = pods.map((pod) => pod.runningAtMs - pod.createdAtMs);
  return {
    scenario: {
      name: 'node-crash-eviction',
      hash: '5d41402abc4b2a76b9719d911017c592aaf0c1e1b6a2e2d4d6f8b0c1e2f3a4b5',
    },
    seed: 42,
    minikuVersion,
    virtualStartMs: sampleStartMs,
    virtualEndMs: sampleStartMs + durationMs,
    metrics: {
      eventCount: 48_211,
      podsCreatedCount: pods.length,
      bindingsCount: pods.length,
      evictionsCount: pods.length - replicaCount,
      schedulingLatencyMsMax: Math.max(...schedulingLatencyMs),
      apiRequestsPerSecondMean: 41.25,
    },
    expectations: [
      {
        name: 'all replicas Running and ready by 60s',
        kind: 'by',
        held: true,
        instantMs: initialReadyMs,
        message: `${replicaCount} of ${replicaCount} required pods were ready`,
      },
      {
        name: 'worker-2 Ready=Unknown at 180s',
        kind: 'at',
        held: true,
        instantMs: 180_000,
        message: 'node "worker-2" had condition Ready=Unknown',
      },
      {
        name: 'replicas ready off worker-2 by 540s',
        kind: 'by',
        held: true,
        instantMs: lastRunningMs,
        message: 'every ready pod ran on a node other than "worker-2"',
      },
      {
        name: 'no node overcommitted',
        kind: 'always',
        held: true,
        instantMs: null,
        message: 'no node ever had requests above its allocatable',
      },
      {
        name: 'worker-2 comes back',
        kind: 'eventually',
        held: false,
        instantMs: null,
        message: 'node "worker-2" was still Ready=Unknown when the run ended',
      },
    ],
    faults: [
      { label: 'crashNode worker-2', injectedAtMs: crashAtMs, recoveredAtMs: lastRunningMs },
    ],
    streamSha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    series: {
      podsByPhase: phaseSeries(pods, instants),
      podsPerNode: perNodeSeries(pods, instants, nodeCount),
      nodeReadiness: readiness(nodeCount),
      pendingQueue: countSeries(instants, pending),
      schedulingLatencyMs,
      podStartupLatencyMs,
    },
    placements: placements(pods),
  };
}
