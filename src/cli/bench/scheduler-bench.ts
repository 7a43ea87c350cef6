// Benchmark of the Scheduler component: pods/s through its informers, cycles and bind path.
//
// The Scheduler runs unchanged (default profile, real WallClock) over a KubeClient whose
// Transport is the bench's stand-in API server: LISTs answer with the preloaded nodes, pods and
// ReplicaSets (so the informers' handlers feed the cache and the queue as they do at start-up),
// a binding POST answers 201 and echoes the bound pod on the pods watch (as the API server's
// watch would), and Event writes answer 201. The clock is the host's; the window runs from the
// first scheduling cycle to the last successful bind. Every run is bounded by `runMsMax`.
import type { KubeClient as KubeClientType } from '../../control/client/client.js';
import { KubeClient } from '../../control/client/client.js';
import type {
  StreamHandle,
  StreamSink,
  Transport,
  TransportRequest,
  TransportResponse,
} from '../../control/ports/transport.js';
import { createRng } from '../../control/rng/seeded-rng.js';
import { Scheduler } from '../../control/scheduler/scheduler.js';
import { WallClock } from '../../runtime/wall-clock.js';

type Json = Record<string, unknown>;

/** Hard bound on one run (setup included): a run that has not finished by then fails. */
const runMsMax = 240_000;
/** Throughput runs stop measuring after this long from the first cycle. */
const measureMsMax = 40_000;
const zoneLabel = 'topology.kubernetes.io/zone';

interface Workload {
  nodes: Json[];
  /** Pods already bound when the run starts (not measured). */
  boundPods: Json[];
  /** Pending pods: the measured ones. */
  pendingPods: Json[];
  replicaSets: Json[];
}

interface RunResult {
  boundCount: number;
  seconds: number;
  rssBytesMax: number;
}

/** upstream scheduler_perf node-default: 4 cpu, 32Gi, 110 pods (zone label when asked). */
function nodeObject(i: number, zone?: string): Json {
  const name = `node-${i}`;
  const labels: Record<string, string> = { 'kubernetes.io/hostname': name };
  if (zone !== undefined) labels[zoneLabel] = zone;
  const resources = { cpu: '4', memory: '32Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `node-uid-${i}`, resourceVersion: '1', labels },
    spec: {},
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [{ type: 'Ready', status: 'True' }],
      phase: 'Running',
    },
  };
}

/** upstream scheduler_perf pod-default: one pause container, 100m cpu and 500Mi. */
function podObject(name: string, namespace: string, extra: { labels?: Json; spec?: Json }): Json {
  const resources = { cpu: '100m', memory: '500Mi' };
  const metadata: Json = { name, namespace, uid: `uid-${namespace}-${name}`, resourceVersion: '1' };
  if (extra.labels !== undefined) metadata.labels = extra.labels;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: {
      containers: [
        {
          name: 'pause',
          image: 'registry.k8s.io/pause:3.10.1',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: { limits: resources, requests: resources },
        },
      ],
      schedulerName: 'default-scheduler',
      priority: 0,
      ...extra.spec,
    },
    status: { phase: 'Pending' },
  };
}

export function bareWorkload(nodeCount: number, podCount: number): Workload {
  const nodes = Array.from({ length: nodeCount }, (_, i) => nodeObject(i));
  const pendingPods = Array.from({ length: podCount }, (_, i) =>
    podObject(`pod-${i}`, 'default', {}),
  );
  return { nodes, boundPods: [], pendingPods, replicaSets: [] };
}

/** ReplicaSets whose pods carry their labels and owner: system default spreading applies. */
export function replicaSetWorkload(
  nodeCount: number,
  rsCount: number,
  podsPerRs: number,
): Workload {
  const nodes = Array.from({ length: nodeCount }, (_, i) => nodeObject(i, `zone-${i % 3}`));
  const replicaSets: Json[] = [];
  const pendingPods: Json[] = [];
  for (let r = 0; r < rsCount; r++) {
    const labels = { app: `rs-${r}` };
    replicaSets.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `rs-${r}`, namespace: 'default', uid: `rs-uid-${r}`, resourceVersion: '1' },
      spec: { replicas: podsPerRs, selector: { matchLabels: labels }, template: {} },
    });
  }
  // Interleaved as a ReplicaSet controller creating them all at once would.
  for (let p = 0; p < podsPerRs; p++) {
    for (let r = 0; r < rsCount; r++) {
      const pod = podObject(`rs-${r}-${p}`, 'default', { labels: { app: `rs-${r}` } });
      const meta = pod.metadata as Json;
      meta.ownerReferences = [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${r}`, uid: `rs-uid-${r}` },
      ];
      pendingPods.push(pod);
    }
  }
  return { nodes, boundPods: [], pendingPods, replicaSets };
}

/** scheduler_perf SchedulingPodAffinity: zone1 nodes, init pods in sched-0, measured in sched-1. */
function podAffinityWorkload(nodeCount: number, initCount: number, measureCount: number): Workload {
  const nodes = Array.from({ length: nodeCount }, (_, i) => nodeObject(i, 'zone1'));
  const affinity = {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        {
          labelSelector: { matchLabels: { color: 'blue' } },
          topologyKey: zoneLabel,
          namespaces: ['sched-1', 'sched-0'],
        },
      ],
    },
  };
  const make = (i: number, ns: string, nodeName?: string) =>
    podObject(`affinity-pod-${i}`, ns, {
      labels: { color: 'blue' },
      spec: nodeName === undefined ? { affinity } : { affinity, nodeName },
    });
  const boundPods = Array.from({ length: initCount }, (_, i) =>
    make(i, 'sched-0', `node-${i % nodeCount}`),
  );
  const pendingPods = Array.from({ length: measureCount }, (_, i) => make(i, 'sched-1'));
  return { nodes, boundPods, pendingPods, replicaSets: [] };
}

function response(status: number, body: unknown): TransportResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function listBody(kind: string, items: Json[]): Json {
  return { apiVersion: 'v1', kind, metadata: { resourceVersion: '1' }, items };
}

/** The stand-in API server: preloaded lists, bindings echoed on the pods watch. */
class BenchTransport implements Transport {
  boundCount = 0;
  firstRequestAtMs: number | undefined;
  lastBindAtMs = 0;
  onBound: (() => void) | undefined;
  readonly #workload: Workload;
  /** Unbound pods by namespace, then name (no joined key to build per binding). */
  readonly #pending = new Map<string, Map<string, Json>>();
  readonly #podWatches = new Set<StreamSink>();
  /** Pending pods listed at start; the rest arrive on the watch, one per bind. */
  readonly #listed: Json[];
  readonly #backlog: Json[];
  #backlogIndex = 0;
  #version = 1;

  static readonly #jsonHeaders: Readonly<Record<string, string>> = Object.freeze({
    'content-type': 'application/json',
  });
  /** The answer to every successful binding (the same bytes each time). */
  static readonly #bindSuccessBody = JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Success',
    code: 201,
  });

  /** `listedPendingMax`: the scheduling queue holds at most 100,000 pods (its podCountMax). */
  constructor(options: { workload: Workload; listedPendingMax?: number }) {
    this.#workload = options.workload;
    const listedMax = options.listedPendingMax ?? options.workload.pendingPods.length;
    this.#listed = options.workload.pendingPods.slice(0, listedMax);
    this.#backlog = options.workload.pendingPods.slice(listedMax);
    for (const pod of options.workload.pendingPods) {
      const meta = pod.metadata as { namespace: string; name: string };
      let names = this.#pending.get(meta.namespace);
      if (names === undefined) this.#pending.set(meta.namespace, (names = new Map()));
      names.set(meta.name, pod);
    }
  }

  async request(request: TransportRequest): Promise<TransportResponse> {
    const { method, path } = request;
    if (method === 'GET') return this.#list(path);
    if (method === 'POST' && path.endsWith('/binding')) return this.#bind(request);
    // An Event write is stored as sent: its body is the answer (no parse and re-serialise).
    if (path.includes('/events')) {
      return { status: 201, headers: BenchTransport.#jsonHeaders, body: request.body || '{}' };
    }
    if (method === 'PATCH') return response(200, {});
    return response(404, { kind: 'Status', status: 'Failure', code: 404, reason: 'NotFound' });
  }

  stream(request: TransportRequest, sink: StreamSink): StreamHandle {
    sink.onResponse(200, { 'content-type': 'application/json' });
    const isPods = request.path.endsWith('/pods');
    if (isPods) this.#podWatches.add(sink);
    return { close: () => void this.#podWatches.delete(sink) };
  }

  #list(path: string): TransportResponse {
    const w = this.#workload;
    if (path.endsWith('/nodes')) return response(200, listBody('NodeList', w.nodes));
    if (path.endsWith('/pods')) {
      return response(200, listBody('PodList', [...w.boundPods, ...this.#listed]));
    }
    if (path.endsWith('/replicasets')) {
      return response(200, listBody('ReplicaSetList', w.replicaSets));
    }
    return response(200, listBody('List', []));
  }

  #bind(request: TransportRequest): TransportResponse {
    const binding = JSON.parse(request.body) as {
      metadata: { name: string; namespace: string };
      target: { name: string };
    };
    const names = this.#pending.get(binding.metadata.namespace);
    const pod = names?.get(binding.metadata.name);
    if (names === undefined || pod === undefined) {
      return response(409, { kind: 'Status', code: 409, reason: 'Conflict' });
    }
    names.delete(binding.metadata.name);
    this.#version += 1;
    const bound = BenchTransport.#boundPod(pod, String(this.#version), binding.target.name);
    let line = `${JSON.stringify({ type: 'MODIFIED', object: bound })}\n`;
    const next = this.#backlog[this.#backlogIndex];
    if (next !== undefined) {
      this.#backlogIndex += 1;
      line += `${JSON.stringify({ type: 'ADDED', object: next })}\n`;
    }
    // A microtask, as the server's watch would deliver after answering (a resolved promise's
    // continuation: queueMicrotask would also wrap it in an async resource).
    void Promise.resolve().then(() => {
      for (const sink of this.#podWatches) sink.onChunk(line);
    });
    this.boundCount += 1;
    this.lastBindAtMs = performance.now();
    this.onBound?.();
    return {
      status: 201,
      headers: BenchTransport.#jsonHeaders,
      body: BenchTransport.#bindSuccessBody,
    };
  }

  /** The pod as the server stores it after a binding: a new resourceVersion and spec.nodeName. */
  static #boundPod(pod: Json, version: string, nodeName: string): Json {
    // Key-by-key copies (what a spread does, in the same key order), which serialise faster.
    const out: Json = {};
    for (const name in pod) {
      const value = pod[name];
      if (name === 'metadata') out[name] = BenchTransport.#with(value, 'resourceVersion', version);
      else if (name === 'spec') out[name] = BenchTransport.#with(value, 'nodeName', nodeName);
      else out[name] = value;
    }
    return out;
  }

  /** A copy of `object` with `key` set (in place when present, else last). */
  static #with(object: unknown, key: string, value: unknown): Json {
    const copy: Json = {};
    for (const field in object as Json) copy[field] = (object as Json)[field];
    copy[key] = value;
    return copy;
  }
}

/** Runs the Scheduler over a workload until every pending pod is bound (or runMsMax passes). */
export async function runWorkload(
  workload: Workload,
  options: { sampleRss?: boolean; measureAll?: boolean; listedPendingMax?: number } = {},
) {
  const transport = new BenchTransport({
    workload,
    listedPendingMax: options.listedPendingMax,
  });
  const clock = new WallClock({ unrefTimers: true });
  const client: KubeClientType = new KubeClient({ transport, clock, userAgent: 'bench' });
  const scheduler = new Scheduler({ client, clock, rng: createRng(1, 'scheduler') });
  const want = workload.pendingPods.length;
  let rssBytesMax = process.memoryUsage().rss;
  let startedAtMs: number | undefined;
  const done = new Promise<void>((resolve) => {
    transport.onBound = () => {
      if (options.sampleRss === true && transport.boundCount % 2_000 === 0) {
        rssBytesMax = Math.max(rssBytesMax, process.memoryUsage().rss);
      }
      if (transport.boundCount >= want) resolve();
      const elapsedMs = performance.now() - (startedAtMs ?? performance.now());
      if (options.measureAll !== true && elapsedMs > measureMsMax) resolve();
    };
  });
  const originalScheduleOne = scheduler.scheduleOne.bind(scheduler);
  scheduler.scheduleOne = (info) => {
    startedAtMs ??= performance.now();
    return originalScheduleOne(info);
  };
  scheduler.start();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, runMsMax);
  });
  await Promise.race([done, timedOut]);
  clearTimeout(timer);
  scheduler.stop();
  rssBytesMax = Math.max(rssBytesMax, process.memoryUsage().rss);
  const seconds = (transport.lastBindAtMs - (startedAtMs ?? transport.lastBindAtMs)) / 1000;
  if (transport.boundCount === 0) throw new Error('bench: no pod was bound');
  if (options.measureAll === true && transport.boundCount < want) {
    throw new Error(`bench: bound ${transport.boundCount} of ${want} pods in ${runMsMax} ms`);
  }
  return { boundCount: transport.boundCount, seconds, rssBytesMax } satisfies RunResult;
}

/** 5,000 nodes, 50,000 bare pods (scheduler_perf's node-default and pod-default). */
export async function podsPerSecond5kNodesBare(): Promise<number> {
  const result = await runWorkload(bareWorkload(5_000, 50_000));
  return result.boundCount / result.seconds;
}

/** 5,000 nodes in 3 zones, 1,000 ReplicaSets × 50 pods: system default spreading scores. */
export async function podsPerSecond5kNodesRs(): Promise<number> {
  const result = await runWorkload(replicaSetWorkload(5_000, 1_000, 50));
  return result.boundCount / result.seconds;
}

/** scheduler_perf SchedulingPodAffinity/5000Nodes: 5,000 init pods, 1,000 measured. */
export async function podsPerSecondPodAffinity(): Promise<number> {
  const result = await runWorkload(podAffinityWorkload(5_000, 5_000, 1_000));
  return result.boundCount / result.seconds;
}

/** Max RSS while 150,000 bare pods are scheduled onto 5,000 nodes. */
export async function maxRssBytes(): Promise<number> {
  const result = await runWorkload(bareWorkload(5_000, 150_000), {
    sampleRss: true,
    measureAll: true,
    listedPendingMax: 50_000,
  });
  return result.rssBytesMax;
}
