// Runs a parsed scenario in a simulated cluster and produces its report data and trace.
//
// One engine event runs the scenario's script: bootstrap (nodes register before t=0), then
// a virtual-time loop in 1 s ticks up to the scenario's duration that applies workloads and
// injects faults when due. Workloads and faults go through clients of the world (`client/kubectl`),
// so the run is the control plane's real code on sim ports. Expectations and recovery are checked
// on a ClusterView that follows the store's commits: after every commit and at every tick. Same
// scenario + seed → the same bytes.
import { findResourceByKind } from '../../control/api/registry.js';
import type { KubeClient } from '../../control/client/client.js';
import type { ResourceDescriptor } from '../../control/client/types.js';
import type { TraceLevelSetting, TraceRecord } from '../../control/ports/recorder.js';
import type { JsonObject } from '../../control/store/types.js';
import { canonicalStringify } from '../../control/api/values/canonical-json.js';
import { sha256Hex } from '../../control/util/sha256.js';
import { minikuVersion } from '../../control/version.js';
import { createClusterWorld } from '../cluster-world.js';
import { runScript } from '../engine/run-script.js';
import type { ClusterWorld } from '../cluster-world.js';
import type { VirtualClock } from '../engine/engine.js';
import type { ExpectationResult, FaultRecovery, ReportData } from '../report/report-data.js';
import type { Expectation, Scenario } from '../scenario/scenario-model.js';
import { SimRecorder } from '../sim-recorder.js';
import { applyFault, faultLabel, latencySpecOf, poolIndexes } from './fault-actions.js';
import type { HeartbeatStop, NetworkRule } from './fault-actions.js';
import { clusterOptions } from './scenario-world.js';
import { SeriesCollector } from './series-collector.js';
import { expandArrivals } from './arrivals.js';
import { apiTraceObserver } from './api-trace.js';
import { ClusterView } from './cluster-view.js';
import { InvariantChecker } from './invariants.js';
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
  /** Called at the start of every 1 s tick (virtual ms); the caller draws progress, not the core. */
  onProgress?: (elapsedMs: number, durationMs: number) => void;
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
  /** For `at`: it was checked at its instant (and held every time). */
  checkedAtT?: boolean;
}

/** A workload or fault, run at its instant (ms since the virtual start). */
interface Due {
  atMs: number;
  run: () => Promise<void>;
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
  /** Engine time for the API trace, which may start recording before `world` is assigned. */
  const engineNow = { nowMs: () => spec.startTimeMs };
  const world = await createClusterWorld({
    seed,
    drain: options.drain,
    eventCountMax: options.eventCountMax ?? 50_000_000,
    drainRoundsMax: 1_000_000,
    ...clusterOptions(scenario),
    network: { defaultLatency: latencySpecOf(spec.network.latency) },
    ...(options.traceLevel === 'full'
      ? { apiTap: apiTraceObserver({ recorder, nowMs: () => engineNow.nowMs() }) }
      : {}),
    scheduler: {
      ...(spec.scheduler === undefined ? {} : { config: spec.scheduler }),
      recorder,
      traceLevel: options.traceLevel,
    },
  });
  engineNow.nowMs = () => world.engine.nowMs();
  const t0 = spec.startTimeMs;
  const { client, clock } = world.userClient('kubectl');
  const note = (type: string, fields: Record<string, string | number>) =>
    recorder.trace({ atMs: clock.nowMs(), component: 'scenario', type, level: 'summary', fields });
  const collector = new SeriesCollector({
    ...world.newClient('report'),
    startMs: t0,
    pendingQueueLength: () => world.scheduler.queue.size,
  });
  const invariants = new InvariantChecker({ world });
  invariants.start();
  collector.start();
  world.start();
  const expectations: ExpectationState[] = spec.expectations.map((expectation) => ({
    expectation,
    lastMessage: '',
  }));
  const recoveries: RecoveryState[] = [];
  const elapsedNow = () => world.engine.nowMs() - t0;
  const view = new ClusterView({
    store: world.store,
    expectations: spec.expectations,
    metricValue: (name) => liveMetric(name, world, collector, invariants),
    onChange: () => {
      const elapsedMs = elapsedNow();
      if (elapsedMs < 0 || elapsedMs > spec.durationMs) return;
      checkExpectations(expectations, view, elapsedMs, 'commit');
      trackRecovery(recoveries, view.healthy() && !podsOnDownNodes(world, view), elapsedMs, false);
    },
  });
  const script = async () => {
    await clock.sleep(Math.max(0, t0 - clock.nowMs()));
    view.start();
    let faultIndex = 0;
    const networkRules: NetworkRule[] = [];
    const heartbeatStops: HeartbeatStop[] = [];
    const pools = poolIndexes(scenario);
    // Workloads and faults in time order (stable: workloads first at equal instants).
    const due: Due[] = [
      ...expandArrivals(spec.workloads, rng.fork('arrivals')).map((w) => ({
        atMs: w.atMs,
        run: async () => {
          if (w.kind !== 'apply') return;
          for (const object of w.objects) await applyObject(client, object, note);
        },
      })),
      ...spec.faults.map((fault) => ({
        atMs: fault.atMs,
        run: async () => {
          const elapsedMs = elapsedNow();
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
        },
      })),
    ].sort((x, y) => x.atMs - y.atMs);
    let next = 0;
    /** Runs everything due up to `untilMs` (inclusive or not), each at its own instant. */
    const runDue = async (untilMs: number, inclusive: boolean) => {
      for (let item = due[next]; item !== undefined; item = due[next]) {
        if (item.atMs > untilMs || (!inclusive && item.atMs === untilMs)) return;
        next += 1;
        await sleepUntil(item.atMs);
        await item.run();
      }
    };
    const sleepUntil = async (elapsedMs: number) => {
      const waitMs = t0 + elapsedMs - clock.nowMs();
      if (waitMs > 0) await clock.sleep(waitMs);
    };
    for (let elapsedMs = 0; elapsedMs <= spec.durationMs; elapsedMs += tickMs) {
      options.onProgress?.(elapsedMs, spec.durationMs);
      await runDue(elapsedMs, true);
      checkExpectations(expectations, view, elapsedMs, 'tick');
      trackRecovery(recoveries, view.healthy() && !podsOnDownNodes(world, view), elapsedMs, true);
      if (elapsedMs + tickMs > spec.durationMs) break;
      await runDue(elapsedMs + tickMs, false);
      await sleepUntil(elapsedMs + tickMs);
    }
    checkExpectations(expectations, view, spec.durationMs, 'final');
    view.stop();
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
  invariants.stop();
  const results = [
    ...expectations.map((e) => e.result ?? finalResult(e)),
    ...invariantResults(invariants, t0),
  ];
  const traceLines = recorder.traces().map(traceLine);
  const report: ReportData = {
    scenario: { name: scenario.metadata.name, hash: options.scenarioHash },
    seed,
    minikuVersion,
    virtualStartMs: t0,
    virtualEndMs: t0 + endMs,
    metrics: {
      ...metricsOf(world, series.schedulingLatencyMs.length),
      ...collector.metrics(),
      'invariants.commitsChecked': invariants.stats().commits,
      'invariants.watchLinesChecked': invariants.stats().watchLinesChecked,
      'invariants.bindingsVerified': invariants.stats().bindingsVerified,
      'invariants.violations': invariants.violationCount(),
    },
    expectations: results,
    faults: recoveries.map((r) => r.recovery),
    streamSha256: sha256Hex(traceLines.join('\n')),
    series,
    placements: collector.placements(endMs),
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

/**
 * One check of every undecided expectation: `commit` after a store commit, `tick` at each
 * whole virtual second, `final` at the end. `at: T` fails on any check at instant T and holds
 * when none did, decided by the first tick after T; `by: T` holds at the first instant ≤ T it
 * does; `always` fails at its first violation inside its window; `eventually` is decided at
 * the end.
 */
function checkExpectations(
  states: ExpectationState[],
  view: ClusterView,
  elapsedMs: number,
  when: 'commit' | 'tick' | 'final',
): void {
  states.forEach((state, index) => {
    if (state.result !== undefined) return;
    const timing = state.expectation.timing;
    const base = { name: state.expectation.name, kind: timing.kind };
    const decided = (held: boolean, instantMs: number | null, message: string) => {
      state.result = { ...base, held, instantMs, message };
    };
    if (timing.kind === 'at') {
      if (elapsedMs > timing.atMs || when === 'final') {
        if (state.checkedAtT !== true) {
          const verdict = view.verdict(index);
          decided(verdict.held, elapsedMs, verdict.message);
        } else decided(true, timing.atMs, state.lastMessage);
        return;
      }
      if (elapsedMs < timing.atMs) return;
      const verdict = view.verdict(index);
      state.checkedAtT = true;
      state.lastMessage = verdict.message;
      if (!verdict.held) decided(false, elapsedMs, verdict.message);
      return;
    }
    if (timing.kind === 'eventually') {
      if (when !== 'final') return;
      const verdict = view.verdict(index);
      decided(verdict.held, verdict.held ? elapsedMs : null, verdict.message);
      return;
    }
    if (timing.kind === 'by') {
      if (elapsedMs > timing.byMs && when === 'commit') return;
      const verdict = view.verdict(index);
      state.lastMessage = verdict.message;
      if (verdict.held && elapsedMs <= timing.byMs) decided(true, elapsedMs, verdict.message);
      else if (elapsedMs >= timing.byMs && when !== 'commit') decided(false, null, verdict.message);
      return;
    }
    if (elapsedMs < timing.fromMs || elapsedMs > timing.untilMs) return;
    const verdict = view.verdict(index);
    state.lastMessage = verdict.message;
    if (!verdict.held) decided(false, elapsedMs, verdict.message);
  });
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

/** A counter a `metric` expectation checks, as it stands now. */
function liveMetric(
  name: string,
  world: ClusterWorld,
  collector: SeriesCollector,
  invariants: InvariantChecker,
): number {
  const stats = world.schedulerStats();
  switch (name) {
    case 'scheduler.attempts':
      return stats.attempts;
    case 'scheduler.scheduled':
      return stats.scheduled;
    case 'scheduler.unschedulable':
      return stats.unschedulable;
    case 'scheduler.bindFailures':
      return stats.bindFailures;
    case 'pods.evicted':
      return collector.metrics()['pods.evicted'] ?? 0;
    case 'invariants.violations':
      return invariants.violationCount();
    default:
      throw new Error(`no live metric ${name}`);
  }
}

/**
 * The built-in invariants as expectations: one failed `always` per violation (the checker keeps
 * the first 100; one more line counts the rest). Nothing when every invariant held.
 */
function invariantResults(checker: InvariantChecker, t0: number): ExpectationResult[] {
  const out: ExpectationResult[] = checker.violations().map((v) => ({
    name: `built-in: ${v.invariant}`,
    kind: 'always',
    held: false,
    instantMs: v.atMs - t0,
    message: v.message,
  }));
  const more = checker.violationCount() - out.length;
  if (more > 0) {
    out.push({
      name: 'built-in: more violations',
      kind: 'always',
      held: false,
      instantMs: null,
      message: `${more} more invariant violation(s) not listed`,
    });
  }
  return out;
}

/**
 * Whether live pods are bound to a node whose kubelet is not running (crashed or removed): the
 * API may not know yet, but those pods are not serving, so the cluster has not recovered.
 */
function podsOnDownNodes(world: ClusterWorld, view: ClusterView): boolean {
  for (const node of view.livePodsByNode().keys()) {
    if (world.nodes.get(node)?.kubelet === undefined) return true;
  }
  return false;
}

/**
 * Recovery of each fault: healthy (every workload at its ready replicas, no pod Pending, no live
 * pod on a node whose kubelet is down) from some instant on, held for 10 s; decided at ticks,
 * reset by any unhealthy commit or tick.
 */
function trackRecovery(
  recoveries: RecoveryState[],
  healthy: boolean,
  elapsedMs: number,
  tick: boolean,
): void {
  for (const r of recoveries) {
    if (r.recovery.recoveredAtMs !== null) continue;
    if (!healthy) {
      r.healthySinceMs = undefined;
      continue;
    }
    r.healthySinceMs ??= elapsedMs;
    if (tick && elapsedMs - r.healthySinceMs >= recoveryHoldMs) {
      r.recovery.recoveredAtMs = r.healthySinceMs;
    }
  }
}

function metricsOf(world: ClusterWorld, scheduledSeen: number): Record<string, number> {
  const stats = world.schedulerStats();
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
