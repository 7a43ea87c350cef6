// Runs a parsed scenario in a simulated cluster and produces its report data and trace.
//
// One engine event runs the scenario's script: bootstrap (nodes register before t=0), then
// a virtual-time loop in 1 s ticks up to the scenario's duration that applies workloads and
// injects faults when due, checks expectations and tracks recovery. Everything observed goes
// through clients of the world (workloads and checks at `client/kubectl`), so the run is the
// control plane's real code on sim ports. Same scenario + seed → the same bytes.
import { findResourceByKind } from '../../control/api/registry.js';
import { selectorFromLabelSelectorString } from './selectors.js';
import type { KubeClient } from '../../control/client/client.js';
import { coreResources } from '../../control/client/resource-client.js';
import type { KubeObject, ResourceDescriptor } from '../../control/client/types.js';
import type { TraceLevelSetting, TraceRecord } from '../../control/ports/recorder.js';
import type { JsonObject, JsonValue } from '../../control/store/types.js';
import { canonicalStringify } from '../../control/api/values/canonical-json.js';
import { sha256Hex } from '../../control/util/sha256.js';
import { minikuVersion } from '../../control/version.js';
import { createClusterWorld } from '../cluster-world.js';
import { runScript } from '../engine/run-script.js';
import type { ClusterWorld } from '../cluster-world.js';
import type { VirtualClock } from '../engine/engine.js';
import type { ExpectationResult, FaultRecovery, ReportData } from '../report/report-data.js';
import type { Expectation, ObjectRef, Scenario } from '../scenario/scenario-model.js';
import { SimRecorder } from '../sim-recorder.js';
import { applyFault, faultLabel, latencySpecOf, poolIndexes } from './fault-actions.js';
import type { HeartbeatStop, NetworkRule } from './fault-actions.js';
import { clusterOptions } from './scenario-world.js';
import { SeriesCollector } from './series-collector.js';
import { checkNodes, checkPods } from './subject-checks.js';
import type { SubjectVerdict } from './subject-checks.js';
import { createRng } from '../../control/rng/seeded-rng.js';

export interface RunScenarioOptions {
  scenario: Scenario;
  /** Lower-case hex SHA-256 of the scenario's bytes as read. */
  scenarioHash: string;
  /** Overrides spec.seed. */
  seed?: number | string;
  traceLevel: TraceLevelSetting;
  /** Host macrotask boundary (the composition root's). */
  drain: () => Promise<void>;
  /** Most engine events in one run (a limit hit fails the run). Default 50,000,000. */
  eventCountMax?: number;
}

export interface RunScenarioResult {
  report: ReportData;
  /** trace.jsonl lines, in order (no trailing newline). */
  traceLines: string[];
  /** True when every expectation held. */
  passed: boolean;
}

const tickMs = 1_000;
/** Recovery: every workload ready and nothing Pending, held this long. */
const recoveryHoldMs = 10_000;

interface ExpectationState {
  expectation: Expectation;
  result?: ExpectationResult;
  /** For `always`: the first violation. */
  violation?: { atMs: number; message: string };
  lastMessage: string;
}

interface RecoveryState {
  recovery: FaultRecovery;
  healthySinceMs: number | undefined;
}

export async function runScenario(options: RunScenarioOptions): Promise<RunScenarioResult> {
  const { scenario } = options;
  const spec = scenario.spec;
  const seed = options.seed ?? spec.seed;
  const rng = createRng(seed);
  const recorder = new SimRecorder({ level: options.traceLevel, recordCountMax: 1_000_000 });
  const world = await createClusterWorld({
    seed,
    drain: options.drain,
    eventCountMax: options.eventCountMax ?? 50_000_000,
    drainRoundsMax: 1_000_000,
    ...clusterOptions(scenario, rng.fork('scenario')),
    network: { defaultLatency: latencySpecOf(spec.network.latency) },
    scheduler: {
      ...(spec.scheduler === undefined ? {} : { config: spec.scheduler }),
      recorder,
      traceLevel: options.traceLevel,
    },
  });
  const t0 = spec.startTimeMs;
  const { client, clock } = world.userClient('kubectl');
  const note = (type: string, fields: Record<string, string | number>) =>
    recorder.trace({ atMs: clock.nowMs(), component: 'scenario', type, level: 'summary', fields });
  const collector = new SeriesCollector({
    ...world.newClient('report'),
    startMs: t0,
    pendingQueueLength: () => world.scheduler.queue.size,
  });
  collector.start();
  world.start();
  const expectations: ExpectationState[] = spec.expectations.map((expectation) => ({
    expectation,
    lastMessage: '',
  }));
  const recoveries: RecoveryState[] = [];
  const objectRefs = spec.expectations.flatMap((e) =>
    e.subject.kind === 'object' ? [e.subject.ref] : [],
  );
  const script = async () => {
    await clock.sleep(Math.max(0, t0 - clock.nowMs()));
    let faultIndex = 0;
    const networkRules: NetworkRule[] = [];
    const heartbeatStops: HeartbeatStop[] = [];
    const pools = poolIndexes(scenario);
    const workloads = [...spec.workloads];
    const faults = [...spec.faults];
    for (let elapsedMs = 0; elapsedMs <= spec.durationMs; elapsedMs += tickMs) {
      for (const w of workloads.filter((w) => w.atMs <= elapsedMs && w.atMs > elapsedMs - tickMs)) {
        if (w.kind !== 'apply') continue;
        for (const object of w.objects) await applyObject(client, object, note);
      }
      for (const fault of faults.filter(
        (f) => f.atMs <= elapsedMs && f.atMs > elapsedMs - tickMs,
      )) {
        note('fault', { fault: faultLabel(fault) });
        recoveries.push({
          recovery: { label: faultLabel(fault), injectedAtMs: elapsedMs, recoveredAtMs: null },
          healthySinceMs: undefined,
        });
        await applyFault(fault, {
          world,
          networkRules,
          heartbeatStops,
          pools,
          client,
          rng: rng.fork('faults').fork(String(faultIndex++)),
          sleep: (ms) => clock.sleep(ms),
          log: (text) => note('fault.log', { text }),
        });
      }
      const view = await observe(client, objectRefs);
      checkExpectations(expectations, view, elapsedMs, false);
      trackRecovery(recoveries, view, elapsedMs);
      if (elapsedMs + tickMs <= spec.durationMs) await clock.sleep(tickMs);
    }
    checkExpectations(expectations, await observe(client, objectRefs), spec.durationMs, true);
  };
  await runScript(
    world.engine,
    {
      endpoint: 'scenario',
      forMs: t0 + spec.durationMs + tickMs - world.engine.nowMs(),
      what: 'the scenario script',
    },
    script,
  );
  const endMs = spec.durationMs;
  const series = collector.series(endMs);
  collector.stop();
  const results = expectations.map((e) => e.result ?? finalResult(e));
  const traceLines = recorder.traces().map(traceLine);
  const report: ReportData = {
    scenario: { name: scenario.metadata.name, hash: options.scenarioHash },
    seed,
    minikuVersion,
    virtualStartMs: t0,
    virtualEndMs: t0 + endMs,
    metrics: metricsOf(world, series.schedulingLatencyMs.length),
    expectations: results,
    faults: recoveries.map((r) => r.recovery),
    streamSha256: sha256Hex(traceLines.join('\n')),
    series,
  };
  await stopWorld(world);
  return { report, traceLines, passed: results.every((r) => r.held) };
}

async function stopWorld(world: ClusterWorld): Promise<void> {
  const done = { value: false };
  world.engine.schedule({
    atMs: world.engine.nowMs(),
    phase: 'timer',
    endpoint: 'scenario',
    run: async () => {
      await world.stop();
      done.value = true;
    },
  });
  await world.engine.runUntil(world.engine.nowMs() + 120_000);
}

function traceLine(record: TraceRecord): string {
  return canonicalStringify(record as unknown as JsonObject);
}

function descriptorOf(object: JsonObject): ResourceDescriptor | undefined {
  const apiVersion = typeof object['apiVersion'] === 'string' ? object['apiVersion'] : '';
  const kind = typeof object['kind'] === 'string' ? object['kind'] : '';
  const type = findResourceByKind(apiVersion, kind);
  if (type === undefined) return undefined;
  return {
    group: type.group,
    version: type.version,
    plural: type.plural,
    namespaced: type.namespaced,
  };
}

async function applyObject(
  client: KubeClient,
  object: JsonObject,
  note: (type: string, fields: Record<string, string | number>) => void,
): Promise<void> {
  const resource = descriptorOf(object);
  const meta = (object['metadata'] ?? {}) as { name?: string; namespace?: string };
  const what = `${String(object['kind'])} ${meta.namespace ?? 'default'}/${meta.name ?? ''}`;
  if (resource === undefined) {
    note('workload.error', { object: what, message: 'unknown kind' });
    return;
  }
  const namespace = resource.namespaced ? (meta.namespace ?? 'default') : '';
  try {
    // Server-side apply, as `kubectl apply --server-side`: creates, or merges onto the live object.
    const target = { namespace, name: meta.name ?? '' };
    const body = { type: 'apply' as const, body: object };
    await client.patch(resource, target, body, { fieldManager: 'miniku-scenario' });
    note('workload', { object: what });
  } catch (error) {
    note('workload.error', {
      object: what,
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

interface ClusterView {
  pods: KubeObject[];
  nodes: KubeObject[];
  /** The objects object expectations name, by refKey (absent: not found). */
  objects: Map<string, KubeObject>;
  /** Workloads (Deployments, ReplicaSets without an owner) not at their ready replicas. */
  unready: number;
}

function refKey(ref: ObjectRef): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

async function observe(client: KubeClient, refs: readonly ObjectRef[] = []): Promise<ClusterView> {
  const pods = (await client.list(coreResources.pods, '')).items;
  const nodes = (await client.list(coreResources.nodes, '')).items;
  const objects = new Map<string, KubeObject>();
  for (const ref of refs) {
    const resource = descriptorOf({ apiVersion: ref.apiVersion, kind: ref.kind });
    if (resource === undefined) continue;
    const namespace = resource.namespaced ? (ref.namespace ?? 'default') : '';
    const found = await client.get(resource, namespace, ref.name).catch(() => undefined);
    if (found !== undefined) objects.set(refKey(ref), found);
  }
  let unready = 0;
  for (const d of (await client.list(coreResources.deployments, '')).items) {
    if (!atReadyReplicas(d)) unready += 1;
  }
  for (const rs of (await client.list(coreResources.replicaSets, '')).items) {
    const owned = (rs.metadata.ownerReferences ?? []).length > 0;
    if (!owned && !atReadyReplicas(rs)) unready += 1;
  }
  return { pods, nodes, objects, unready };
}

function atReadyReplicas(object: KubeObject): boolean {
  const spec = (object.spec ?? {}) as { replicas?: number };
  const status = (object.status ?? {}) as { readyReplicas?: number };
  return (status.readyReplicas ?? 0) === (spec.replicas ?? 1);
}

function verdictOf(expectation: Expectation, view: ClusterView): SubjectVerdict {
  const subject = expectation.subject;
  const bounds = (s: { countMin: number; countMax?: number }) => ({
    countMin: s.countMin,
    ...(s.countMax === undefined ? {} : { countMax: s.countMax }),
  });
  if (subject.kind === 'pods') {
    const check = {
      selector: selectorFromLabelSelectorString(subject.selector ?? ''),
      ...bounds(subject),
      ...optional({
        namespace: subject.namespace,
        phase: subject.phase,
        ready: subject.ready,
        terminating: subject.terminating,
        onNode: subject.onNode,
        notOnNode: subject.notOnNode,
      }),
    };
    return checkPods(check, view.pods);
  }
  if (subject.kind === 'nodes') {
    const check = {
      ...bounds(subject),
      ...optional({
        names: subject.names,
        condition: subject.condition,
        taint: subject.taint,
        unschedulable: subject.unschedulable,
      }),
      ...(subject.selector === undefined
        ? {}
        : { selector: selectorFromLabelSelectorString(subject.selector) }),
    };
    return checkNodes(check, view.nodes);
  }
  const object = view.objects.get(refKey(subject.ref));
  const name = `${subject.ref.kind} ${subject.ref.namespace ?? ''}/${subject.ref.name}`;
  const value = object === undefined ? undefined : valueAt(object, subject.pathSegments);
  const shown = value === undefined ? 'absent' : canonicalStringify(value);
  if (subject.check.kind === 'exists') {
    const held = (value !== undefined) === subject.check.exists;
    return { held, message: `${name} ${subject.path} is ${shown}` };
  }
  const wanted = canonicalStringify(subject.check.equals);
  return {
    held: value !== undefined && shown === wanted,
    message: `${name} ${subject.path} is ${shown}; expected ${wanted}`,
  };
}

function valueAt(object: KubeObject, path: readonly (string | number)[]): JsonValue | undefined {
  let current: JsonValue | undefined = object as unknown as JsonValue;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current)
      ? current[segment as number]
      : (current as JsonObject)[segment as string];
  }
  return current;
}

function optional<T extends Record<string, unknown>>(fields: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(fields) as (keyof T)[]) {
    if (fields[key] !== undefined) out[key] = fields[key];
  }
  return out;
}

function checkExpectations(
  states: ExpectationState[],
  view: ClusterView,
  elapsedMs: number,
  final: boolean,
): void {
  for (const state of states) {
    if (state.result !== undefined) continue;
    const { expectation } = state;
    const timing = expectation.timing;
    const base = { name: expectation.name, kind: timing.kind };
    const verdict = verdictOf(expectation, view);
    state.lastMessage = verdict.message;
    switch (timing.kind) {
      case 'at':
        if (elapsedMs >= timing.atMs) {
          state.result = {
            ...base,
            held: verdict.held,
            instantMs: elapsedMs,
            message: verdict.message,
          };
        }
        break;
      case 'by':
        if (verdict.held) {
          state.result = { ...base, held: true, instantMs: elapsedMs, message: verdict.message };
        } else if (elapsedMs >= timing.byMs) {
          state.result = { ...base, held: false, instantMs: null, message: verdict.message };
        }
        break;
      case 'always':
        if (elapsedMs >= timing.fromMs && elapsedMs <= timing.untilMs && !verdict.held) {
          state.result = { ...base, held: false, instantMs: elapsedMs, message: verdict.message };
        }
        break;
      case 'eventually':
        if (final) {
          const instantMs = verdict.held ? elapsedMs : null;
          state.result = { ...base, held: verdict.held, instantMs, message: verdict.message };
        }
        break;
    }
  }
}

function finalResult(state: ExpectationState): ExpectationResult {
  const timing = state.expectation.timing;
  const held = timing.kind === 'always';
  return {
    name: state.expectation.name,
    kind: timing.kind,
    held,
    instantMs: null,
    message: held ? `held at every check: ${state.lastMessage}` : state.lastMessage,
  };
}

function trackRecovery(recoveries: RecoveryState[], view: ClusterView, elapsedMs: number): void {
  const healthy = view.unready === 0 && !view.pods.some((p) => podPending(p));
  for (const r of recoveries) {
    if (r.recovery.recoveredAtMs !== null) continue;
    if (!healthy) {
      r.healthySinceMs = undefined;
      continue;
    }
    r.healthySinceMs ??= elapsedMs;
    if (elapsedMs - r.healthySinceMs >= recoveryHoldMs) {
      r.recovery.recoveredAtMs = r.healthySinceMs;
    }
  }
}

function podPending(pod: KubeObject): boolean {
  const status = (pod.status ?? {}) as { phase?: string };
  return pod.metadata.deletionTimestamp === undefined && (status.phase ?? 'Pending') === 'Pending';
}

function metricsOf(world: ClusterWorld, scheduledSeen: number): Record<string, number> {
  const stats = world.scheduler.stats();
  return {
    'scheduler.attempts': stats.attempts,
    'scheduler.scheduled': stats.scheduled,
    'scheduler.unschedulable': stats.unschedulable,
    'scheduler.bindFailures': stats.bindFailures,
    'pods.boundSeen': scheduledSeen,
    'engine.events': world.engine.eventCount,
  };
}

export type { VirtualClock };
