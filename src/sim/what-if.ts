// A one-shot what-if scheduling run: loads a cluster's objects into a core world, runs the real
// Scheduler until every pending pod is bound or unschedulable, and explains each placement from
// the scheduler's own `scheduler.decision` records (no copy of its logic).
import { findResourceByKind } from '../control/api/registry.js';
import type { ResourceType } from '../control/api/registry.js';
import { ApiStatusError, isAlreadyExists } from '../control/client/errors.js';
import type { KubeClient } from '../control/client/client.js';
import type { KubeObject, ResourceDescriptor } from '../control/client/types.js';
import type { TraceValue } from '../control/ports/recorder.js';
import { readSchedulerConfigYaml, resolveSchedulerConfig } from '../control/scheduler/config.js';
import type { SchedulerConfigInput } from '../control/scheduler/config.js';
import { podInfoOf } from '../control/scheduler/framework/pod-info.js';
import { inTreeRegistry } from '../control/scheduler/framework/registry.js';
import { Scheduler } from '../control/scheduler/scheduler.js';
import type { JsonObject } from '../control/store/types.js';
import { createCoreWorld, type CoreWorld } from './core-world.js';
import { SimRecorder } from './sim-recorder.js';

export interface WhatIfOptions {
  /** Manifests: Namespaces, Nodes, PriorityClasses, Services, ReplicaSets and Pods. */
  objects: readonly JsonObject[];
  /** A KubeSchedulerConfiguration object or YAML text; absent: the default profile. */
  config?: SchedulerConfigInput | string;
  /** Overrides the config's percentageOfNodesToScore (0–100; 0 is adaptive). */
  percentageOfNodesToScore?: number;
  seed: string | number;
  /** Host macrotask boundary from the composition root. */
  drain: () => Promise<void>;
  /** Most virtual time the scheduler may run. Default 10 minutes. */
  durationMsMax?: number;
}

export interface WhatIfScore {
  plugin: string;
  raw: number;
  normalized: number;
  weighted: number;
}

export interface WhatIfNodeScore {
  node: string;
  total: number;
  plugins: WhatIfScore[];
}

export interface WhatIfFilterFailure {
  node: string;
  plugin: string;
  reasons: string[];
}

export interface WhatIfPod {
  namespace: string;
  name: string;
  /** The node the pod was bound to; null when it stayed pending. */
  node: string | null;
  /** Set when preemption nominated a node for the pod. */
  nominatedNode: string | null;
  /** The FailedScheduling message of the last attempt; null when the pod was bound. */
  message: string | null;
  /** Scheduling cycles run for this pod. */
  attempts: number;
  nodeCount: number;
  sampledNodeCount: number;
  feasibleNodeCount: number;
  /** `"<count> <reason>"` over the rejected nodes, as in the FailedScheduling message. */
  reasons: string[];
  /** Rejected nodes in evaluation order, with the rejecting plugin. */
  filtered: WhatIfFilterFailure[];
  /** Best scored nodes (at most 3); empty when a single node was feasible (no scoring). */
  top: WhatIfNodeScore[];
}

export interface WhatIfResult {
  seed: string;
  nodeCount: number;
  /** Pods that were pending in the input, sorted by namespace then name. */
  pods: WhatIfPod[];
  /** Objects of known kinds the scheduler does not read, as `Kind namespace/name`. */
  skipped: string[];
  /** Virtual ms the run took until the scheduler settled. */
  virtualMs: number;
  /** False when durationMsMax ran out before every pending pod was decided. */
  settled: boolean;
}

/** Input the run cannot use: a bad config (field paths) or an object the API server refused. */
export class WhatIfInputError extends Error {
  override readonly name = 'WhatIfInputError';
  constructor(
    readonly source: 'config' | 'objects',
    readonly errors: readonly string[],
  ) {
    super(errors.join('; '));
  }
}

const startMs = Date.UTC(2026, 0, 1);
const warmUpPod = podInfoOf({ metadata: { name: 'what-if-warm-up', namespace: 'default' } });
const stepMs = 1_000;
const durationMsMaxDefault = 10 * 60_000;
const traceRecordCountMax = 200_000;
/** Kinds created in the world, in creation order; other stored kinds are skipped. */
const usedKinds = ['Namespace', 'PriorityClass', 'Node', 'Service', 'ReplicaSet', 'Pod'];
const systemMetadata = [
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

interface Prepared {
  byKind: Map<string, { type: ResourceType; object: JsonObject }[]>;
  skipped: string[];
  pending: string[];
  /** Pending pods with scheduling gates: never attempted, as upstream. */
  gated: Set<string>;
}

export async function runWhatIf(options: WhatIfOptions): Promise<WhatIfResult> {
  const config = resolveConfig(options.config, options.percentageOfNodesToScore);
  const prepared = prepare(options.objects);
  const world = await createCoreWorld({
    seed: options.seed,
    startMs,
    drain: options.drain,
    eventCountMax: 5_000_000,
    drainRoundsMax: 100_000,
  });
  const recorder = new SimRecorder({ level: 'full', recordCountMax: traceRecordCountMax });
  const { client: schedulerClient, clock } = world.newClient('kube-scheduler');
  const scheduler = new Scheduler({
    client: schedulerClient,
    clock,
    rng: world.rng.fork('scheduler'),
    config,
    recorder,
    traceLevel: 'full',
  });
  await loadObjects(world, prepared);
  // The handle starts its Service and ReplicaSet informers on first use; starting them here lets
  // them sync before the first cycle, as upstream waits for every informer's cache sync.
  await inEngine(world, async () => void scheduler.handle.selectorsFor(warmUpPod));
  await inEngine(world, async () => scheduler.start());
  const limitMs = startMs + (options.durationMsMax ?? durationMsMaxDefault);
  let done = settled(world, scheduler, recorder, prepared);
  while (!done && world.engine.nowMs() < limitMs) {
    await world.engine.runUntil(Math.min(limitMs, world.engine.nowMs() + stepMs));
    done = settled(world, scheduler, recorder, prepared);
  }
  scheduler.stop();
  return {
    seed: String(options.seed),
    nodeCount: prepared.byKind.get('Node')?.length ?? 0,
    pods: prepared.pending.map((key) => podResult(world, recorder, key, prepared.gated)),
    skipped: prepared.skipped,
    virtualMs: world.engine.nowMs() - startMs,
    settled: done,
  };
}

function resolveConfig(
  config: SchedulerConfigInput | string | undefined,
  percentage: number | undefined,
): SchedulerConfigInput {
  let input: SchedulerConfigInput = {};
  if (typeof config === 'string') {
    const read = readSchedulerConfigYaml(config);
    if (!read.ok) throw new WhatIfInputError('config', read.errors);
    input = read.input;
  } else if (config !== undefined) input = config;
  if (percentage !== undefined) input = { ...input, percentageOfNodesToScore: percentage };
  const registry = inTreeRegistry();
  const resolved = resolveSchedulerConfig(input, { isKnownPlugin: (n) => registry.has(n) });
  if (!resolved.ok) throw new WhatIfInputError('config', resolved.errors);
  return input;
}

function metaOf(object: JsonObject): { name: string; namespace: string } {
  const meta = (object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  return {
    name: typeof meta.name === 'string' ? meta.name : '',
    namespace: typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : '',
  };
}

/** Sorts objects by kind, drops server-set metadata, finds namespaces and pending pods. */
function prepare(objects: readonly JsonObject[]): Prepared {
  const byKind = new Map<string, { type: ResourceType; object: JsonObject }[]>();
  for (const kind of usedKinds) byKind.set(kind, []);
  const skipped: string[] = [];
  const pending: string[] = [];
  const gated = new Set<string>();
  const namespaces = new Set<string>();
  const errors: string[] = [];
  objects.forEach((object, index) => {
    const type = findResourceByKind(String(object.apiVersion), String(object.kind));
    if (type === undefined) {
      errors.push(`object ${index + 1}: unknown kind "${String(object.kind)}"`);
      return;
    }
    const clean = cleanObject(object, type);
    const { name, namespace } = metaOf(clean);
    const list = byKind.get(type.kind);
    if (list === undefined || isTerminalPod(clean)) {
      skipped.push(`${type.kind} ${namespace === '' ? '' : `${namespace}/`}${name}`);
      return;
    }
    if (type.namespaced) namespaces.add(namespace);
    list.push({ type, object: clean });
    if (type.kind === 'Pod' && nodeNameOf(clean) === '') {
      pending.push(`${namespace}/${name}`);
      if (hasSchedulingGates(clean)) gated.add(`${namespace}/${name}`);
    }
  });
  if (errors.length > 0) throw new WhatIfInputError('objects', errors);
  addMissingNamespaces(byKind, namespaces);
  pending.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { byKind, skipped, pending, gated };
}

function cleanObject(object: JsonObject, type: ResourceType): JsonObject {
  const metadata = { ...((object.metadata ?? {}) as JsonObject) } as Record<string, unknown>;
  for (const field of systemMetadata) delete metadata[field];
  if (type.namespaced && (metadata.namespace === undefined || metadata.namespace === '')) {
    metadata.namespace = 'default';
  }
  return { ...object, metadata } as JsonObject;
}

function hasSchedulingGates(pod: JsonObject): boolean {
  const gates = ((pod.spec ?? {}) as { schedulingGates?: unknown }).schedulingGates;
  return Array.isArray(gates) && gates.length > 0;
}

function nodeNameOf(pod: JsonObject): string {
  const spec = (pod.spec ?? {}) as { nodeName?: unknown };
  return typeof spec.nodeName === 'string' ? spec.nodeName : '';
}

/** Succeeded and Failed pods hold no resources; re-creating them would reset their phase. */
function isTerminalPod(object: JsonObject): boolean {
  if (object.kind !== 'Pod') return false;
  const phase = ((object.status ?? {}) as { phase?: unknown }).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

function addMissingNamespaces(byKind: Prepared['byKind'], needed: ReadonlySet<string>): void {
  const list = byKind.get('Namespace') ?? [];
  const present = new Set(list.map((entry) => metaOf(entry.object).name));
  const type = findResourceByKind('v1', 'Namespace') as ResourceType;
  for (const name of [...needed].sort()) {
    if (present.has(name)) continue;
    list.push({ type, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  }
}

/** Runs `script` as an engine event and runs the engine until it has finished. */
async function inEngine(world: CoreWorld, script: () => Promise<void>): Promise<void> {
  let done = false;
  world.engine.schedule({
    atMs: world.engine.nowMs(),
    phase: 'timer',
    endpoint: 'what-if',
    run: async () => {
      await script();
      done = true;
    },
  });
  for (let round = 0; !done && round < 600; round++) {
    await world.engine.runUntil(world.engine.nowMs() + stepMs);
  }
  if (!done) throw new Error('what-if: loading the objects did not finish in 10 virtual minutes');
}

async function loadObjects(world: CoreWorld, prepared: Prepared): Promise<void> {
  const { client } = world.newClient('what-if');
  const errors: string[] = [];
  await inEngine(world, async () => {
    for (const kind of usedKinds) {
      for (const { type, object } of prepared.byKind.get(kind) ?? []) {
        const failure = await createOne(client, type, object);
        if (failure !== undefined) errors.push(failure);
      }
    }
  });
  if (errors.length > 0) throw new WhatIfInputError('objects', errors);
}

async function createOne(
  client: KubeClient,
  type: ResourceType,
  object: JsonObject,
): Promise<string | undefined> {
  const { name, namespace } = metaOf(object);
  const resource: ResourceDescriptor = type;
  try {
    await client.create(resource, type.namespaced ? namespace : '', object as KubeObject, {
      fieldValidation: 'Ignore',
    });
    return undefined;
  } catch (error) {
    if (type.kind === 'Namespace' && isAlreadyExists(error)) return undefined;
    const where = `${type.kind} ${namespace === '' ? '' : `${namespace}/`}${name}`;
    if (error instanceof ApiStatusError) return `${where}: ${error.message}`;
    throw error;
  }
}

interface DecisionFields {
  [key: string]: TraceValue;
}

function decisionsOf(recorder: SimRecorder, key: string): DecisionFields[] {
  return recorder
    .traces()
    .filter((t) => t.type === 'scheduler.decision' && t.level === 'full' && t.fields.pod === key)
    .map((t) => t.fields);
}

function storedPod(world: CoreWorld, key: string): JsonObject | undefined {
  return world.store.get(`/pods/${key}`);
}

/** Every pending pod is bound or was found unschedulable, and nothing is queued to retry. */
function settled(
  world: CoreWorld,
  scheduler: Scheduler,
  recorder: SimRecorder,
  prepared: Prepared,
): boolean {
  const counts = scheduler.queue.counts();
  if (counts.active + counts.backoff + counts.inFlight > 0) return false;
  return prepared.pending.every((key) => {
    if (prepared.gated.has(key)) return true;
    const pod = storedPod(world, key);
    if (pod !== undefined && nodeNameOf(pod) !== '') return true;
    const decisions = decisionsOf(recorder, key);
    const last = decisions[decisions.length - 1];
    return last !== undefined && last.chosen === null;
  });
}

/** upstream's PodScheduled message for a pod held by PreEnqueue (SchedulingGates). */
const gatedMessage = 'Scheduling is blocked due to non-empty scheduling gates';

function podResult(
  world: CoreWorld,
  recorder: SimRecorder,
  key: string,
  gated: ReadonlySet<string>,
): WhatIfPod {
  const [namespace = '', name = ''] = key.split('/');
  const pod = storedPod(world, key);
  const node = pod === undefined ? '' : nodeNameOf(pod);
  const status = (pod?.status ?? {}) as { nominatedNodeName?: unknown };
  const decisions = decisionsOf(recorder, key);
  const last = decisions[decisions.length - 1] ?? {};
  const nominated = status.nominatedNodeName;
  return {
    namespace,
    name,
    node: node === '' ? null : node,
    nominatedNode: typeof nominated === 'string' && nominated !== '' ? nominated : null,
    message:
      node !== ''
        ? null
        : typeof last.message === 'string'
          ? last.message
          : gated.has(key)
            ? gatedMessage
            : null,
    attempts: decisions.length,
    nodeCount: numberField(last.nodeCount),
    sampledNodeCount: numberField(last.sampledNodeCount),
    feasibleNodeCount: numberField(last.feasibleNodeCount),
    reasons: Array.isArray(last.reasons) ? last.reasons.map(String) : [],
    filtered: Array.isArray(last.filtered) ? last.filtered.map(filterFailure) : [],
    top: Array.isArray(last.top) ? last.top.map(nodeScore) : [],
  };
}

function numberField(value: TraceValue | undefined): number {
  return typeof value === 'number' ? value : 0;
}

function filterFailure(value: TraceValue): WhatIfFilterFailure {
  const f = value as { node: string; plugin: string; reasons: string[] };
  return { node: f.node, plugin: f.plugin, reasons: [...f.reasons] };
}

function nodeScore(value: TraceValue): WhatIfNodeScore {
  const n = value as {
    node: string;
    total: number;
    plugins: Record<string, { raw: number; normalized: number; weighted: number }>;
  };
  const plugins = Object.entries(n.plugins).map(([plugin, s]) => ({
    plugin,
    raw: s.raw,
    normalized: s.normalized,
    weighted: s.weighted,
  }));
  return { node: n.node, total: n.total, plugins };
}
