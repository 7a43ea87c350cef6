// SeriesCollector: the time series of a simulation report, observed from inside the world.
//
// Informers on pods and nodes (over the collector's own client) record every change at the
// virtual instant it is seen: pods by phase, pods per node, node readiness intervals, the
// scheduling latency (pod first seen → seen bound) and the pod startup latency (first seen →
// seen Ready). The scheduler's pending queue is sampled on a fixed period. Samples are only
// appended when a value changes, and every series has a named maximum length. A PodLog keeps
// where each pod was first bound (the report's placements) and which pods were disrupted.
import type { KubeClient } from '../../control/client/client.js';
import { Informer } from '../../control/client/informer.js';
import { coreResources } from '../../control/client/resource-client.js';
import type { KubeObject } from '../../control/client/types.js';
import type { Clock, TimerHandle } from '../../control/ports/clock.js';
import type { Rng } from '../../control/ports/rng.js';
import type {
  NodePodSeries,
  Placement,
  NodeReadiness,
  PhaseSample,
  PodPhase,
  ReadinessInterval,
  ReadinessStatus,
  ReportSeries,
  StepSample,
} from '../report/report-data.js';
import { podPhases } from '../report/report-data.js';
import { PodLog } from './pod-log.js';

export interface SeriesCollectorOptions {
  client: KubeClient;
  clock: Clock;
  rng: Rng;
  /** The virtual start (ms since the Unix epoch): series times are relative to it. */
  startMs: number;
  /** The scheduler's pending-queue length, sampled every `queueSamplePeriodMs`. */
  pendingQueueLength: () => number;
  /** Default 1,000 ms. */
  queueSamplePeriodMs?: number;
  /** Most samples kept per series (the renderer downsamples further). Default 200,000. */
  sampleCountMax?: number;
}

interface PodTrack {
  firstSeenMs: number;
  phase: PodPhase;
  node: string;
  bound: boolean;
  ready: boolean;
  terminal: boolean;
}

const terminalPhases: ReadonlySet<string> = new Set(['Succeeded', 'Failed']);

export class SeriesCollector {
  readonly #options: SeriesCollectorOptions;
  readonly #pods: Informer;
  readonly #nodes: Informer;
  readonly #tracks = new Map<string, PodTrack>();
  readonly #phaseCounts: Record<PodPhase, number> = zeroCounts();
  readonly #podsByPhase: PhaseSample[] = [];
  readonly #perNode = new Map<string, { count: number; samples: StepSample[] }>();
  readonly #readiness = new Map<string, ReadinessInterval[]>();
  readonly #pendingQueue: StepSample[] = [];
  readonly #schedulingLatencyMs: number[] = [];
  readonly #podStartupLatencyMs: number[] = [];
  readonly #podLog = new PodLog();
  #queueTimer: TimerHandle | undefined;
  /** Set when a series hit sampleCountMax (the run reports it). */
  truncated = false;

  constructor(options: SeriesCollectorOptions) {
    this.#options = options;
    const { client, clock, rng } = options;
    this.#pods = new Informer({
      client,
      clock,
      rng: rng.fork('pods'),
      resource: coreResources.pods,
    });
    this.#nodes = new Informer({
      client,
      clock,
      rng: rng.fork('nodes'),
      resource: coreResources.nodes,
    });
  }

  start(): void {
    this.#pods.addEventHandler({
      onAdd: (pod) => this.#podChanged(pod),
      onUpdate: (_old, pod) => this.#podChanged(pod),
      onDelete: (pod) => this.#podGone(pod),
    });
    this.#nodes.addEventHandler({
      onAdd: (node) => this.#nodeChanged(node),
      onUpdate: (_old, node) => this.#nodeChanged(node),
      onDelete: (node) => this.#nodeGone(node),
    });
    this.#pods.start();
    this.#nodes.start();
    this.#sampleQueue();
  }

  stop(): void {
    this.#queueTimer?.cancel();
    this.#pods.stop();
    this.#nodes.stop();
  }

  /**
   * The series within [0, endMs] (ms since the start): what happened before the start (the
   * bootstrap) is folded into the state at 0; open readiness intervals end at `endMs`.
   */
  series(endMs: number): ReportSeries {
    const nodeReadiness: NodeReadiness[] = [...this.#readiness.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([node, intervals]) => ({ node, intervals: clampIntervals(intervals, endMs) }))
      .filter((r) => r.intervals.length > 0);
    const podsPerNode: NodePodSeries[] = [...this.#perNode.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([node, entry]) => ({ node, samples: clampSamples(entry.samples, endMs) }));
    return {
      podsByPhase: clampSamples(this.#podsByPhase, endMs),
      podsPerNode,
      nodeReadiness,
      pendingQueue: clampSamples(this.#pendingQueue, endMs),
      schedulingLatencyMs: [...this.#schedulingLatencyMs],
      podStartupLatencyMs: [...this.#podStartupLatencyMs],
    };
  }

  /** Every binding seen within [0, endMs] (ms since the start), sorted by atMs then pod. */
  placements(endMs: number): Placement[] {
    return this.#podLog.placements(endMs);
  }

  /** Metrics only the collector sees: `pods.evicted` (pods seen with DisruptionTarget True). */
  metrics(): Record<string, number> {
    return { 'pods.evicted': this.#podLog.disruptedCount() };
  }

  #nowMs(): number {
    return this.#options.clock.nowMs() - this.#options.startMs;
  }

  #push<T extends { tMs: number }>(series: T[], sample: T): void {
    const last = series[series.length - 1];
    if (last !== undefined && last.tMs === sample.tMs) {
      series[series.length - 1] = sample;
      return;
    }
    if (series.length >= (this.#options.sampleCountMax ?? 200_000)) {
      this.truncated = true;
      return;
    }
    series.push(sample);
  }

  #sampleQueue(): void {
    const value = this.#options.pendingQueueLength();
    const last = this.#pendingQueue[this.#pendingQueue.length - 1];
    if (last === undefined || last.value !== value) {
      this.#push(this.#pendingQueue, { tMs: this.#nowMs(), value });
    }
    const periodMs = this.#options.queueSamplePeriodMs ?? 1_000;
    this.#queueTimer = this.#options.clock.setTimer(periodMs, () => this.#sampleQueue());
  }

  #podChanged(pod: KubeObject): void {
    const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
    const nowMs = this.#nowMs();
    this.#podLog.observe(pod, nowMs);
    if (this.#podLog.truncated) this.truncated = true;
    const next = podState(pod);
    const track = this.#tracks.get(key);
    if (track === undefined) {
      const fresh: PodTrack = { firstSeenMs: nowMs, ...next };
      this.#tracks.set(key, fresh);
      this.#count(fresh, 1);
      if (fresh.bound && !fresh.terminal) this.#nodeCount(fresh.node, 1);
      return;
    }
    if (!track.bound && next.bound) this.#schedulingLatencyMs.push(nowMs - track.firstSeenMs);
    if (!track.ready && next.ready) this.#podStartupLatencyMs.push(nowMs - track.firstSeenMs);
    const wasCounted = track.bound && !track.terminal;
    const isCounted = next.bound && !next.terminal;
    if (track.phase !== next.phase) {
      this.#count(track, -1);
      track.phase = next.phase;
      this.#count(track, 1);
    }
    if (wasCounted && (!isCounted || track.node !== next.node)) this.#nodeCount(track.node, -1);
    if (isCounted && (!wasCounted || track.node !== next.node)) this.#nodeCount(next.node, 1);
    track.node = next.node;
    track.bound = next.bound;
    track.terminal = next.terminal;
    // Startup latency counts the first Ready only.
    track.ready = track.ready || next.ready;
  }

  #podGone(pod: KubeObject): void {
    const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
    const track = this.#tracks.get(key);
    if (track === undefined) return;
    this.#tracks.delete(key);
    this.#count(track, -1);
    if (track.bound && !track.terminal) this.#nodeCount(track.node, -1);
  }

  #count(track: PodTrack, sign: 1 | -1): void {
    this.#phaseCounts[track.phase] += sign;
    this.#push(this.#podsByPhase, { tMs: this.#nowMs(), counts: { ...this.#phaseCounts } });
  }

  #nodeCount(node: string, sign: 1 | -1): void {
    let entry = this.#perNode.get(node);
    if (entry === undefined) {
      entry = { count: 0, samples: [] };
      this.#perNode.set(node, entry);
    }
    entry.count += sign;
    this.#push(entry.samples, { tMs: this.#nowMs(), value: entry.count });
  }

  #nodeChanged(node: KubeObject): void {
    const name = node.metadata.name ?? '';
    const status = readinessOf(node);
    let intervals = this.#readiness.get(name);
    if (intervals === undefined) {
      intervals = [];
      this.#readiness.set(name, intervals);
    }
    const open = intervals[intervals.length - 1];
    if (open !== undefined && open.toMs < 0 && open.status === status) return;
    const nowMs = this.#nowMs();
    if (open !== undefined && open.toMs < 0) open.toMs = nowMs;
    if (intervals.length >= (this.#options.sampleCountMax ?? 200_000)) {
      this.truncated = true;
      return;
    }
    intervals.push({ fromMs: nowMs, toMs: -1, status });
  }

  #nodeGone(node: KubeObject): void {
    const intervals = this.#readiness.get(node.metadata.name ?? '');
    const open = intervals?.[intervals.length - 1];
    if (open !== undefined && open.toMs < 0) open.toMs = this.#nowMs();
  }
}

function zeroCounts(): Record<PodPhase, number> {
  const counts = {} as Record<PodPhase, number>;
  for (const phase of podPhases) counts[phase] = 0;
  return counts;
}

function podState(pod: KubeObject): Omit<PodTrack, 'firstSeenMs'> {
  const spec = (pod.spec ?? {}) as { nodeName?: unknown };
  const status = (pod.status ?? {}) as {
    phase?: unknown;
    conditions?: { type?: unknown; status?: unknown }[];
  };
  const rawPhase = typeof status.phase === 'string' ? status.phase : 'Pending';
  const phase = (podPhases as readonly string[]).includes(rawPhase)
    ? (rawPhase as PodPhase)
    : 'Unknown';
  const node = typeof spec.nodeName === 'string' ? spec.nodeName : '';
  const ready = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  return { phase, node, bound: node !== '', ready, terminal: terminalPhases.has(phase) };
}

function readinessOf(node: KubeObject): ReadinessStatus {
  const status = (node.status ?? {}) as { conditions?: { type?: unknown; status?: unknown }[] };
  const ready = (status.conditions ?? []).find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return 'Ready';
  if (ready?.status === 'False') return 'NotReady';
  return 'Unknown';
}

/** Samples within [0, endMs]; the last one before 0 (if any) moves to 0. */
function clampSamples<T extends { tMs: number }>(samples: readonly T[], endMs: number): T[] {
  const out: T[] = [];
  for (const sample of samples) {
    if (sample.tMs > endMs) break;
    if (sample.tMs <= 0) {
      out.length = 0;
      out.push({ ...sample, tMs: 0 });
    } else out.push(sample);
  }
  return out;
}

/** Intervals cut to [0, endMs]; open ones (toMs < 0) end at endMs. */
function clampIntervals(
  intervals: readonly ReadinessInterval[],
  endMs: number,
): ReadinessInterval[] {
  const out: ReadinessInterval[] = [];
  for (const i of intervals) {
    const toMs = i.toMs < 0 ? endMs : Math.min(i.toMs, endMs);
    const fromMs = Math.max(0, i.fromMs);
    if (fromMs >= toMs || fromMs > endMs) continue;
    out.push({ fromMs, toMs, status: i.status });
  }
  return out;
}
