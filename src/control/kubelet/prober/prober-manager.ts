// The kubelet's prober (upstream pkg/kubelet/prober): one worker per (container, probe kind),
// the current startup/readiness/liveness results, and a callback when one of them flips.
//
// Callers: the kubelet. It adds a container once it runs (and again after each restart, with the
// new container id), removes it when it stops, asks isReady/isStarted when it builds the pod
// status, and reacts to onChange: a liveness or startup failure means "kill and restart", a
// readiness or startup flip means "sync the status".
//
// Timing (upstream worker.go): a worker probes at once when added (or after a random share of
// its period when the manager started less than a period ago, as after a kubelet restart), then
// on every period tick; a tick before initialDelaySeconds (whole seconds since the container
// started) or, for readiness/liveness, before the startup probe succeeded does nothing, so the
// first probe happens on the first tick past the delay. When the startup probe succeeds the
// readiness probe runs at once (upstream triggers it from the status update); liveness waits for
// its next tick (a tick at the very instant of the success does not see it, whatever the order
// of same-instant events). A probe in flight when a tick comes is followed by one more right
// after it. Re-adding a container with a new id restarts its workers from their initial results
// without calling onChange. A pod with a deletionTimestamp gets no liveness or startup
// workers, and counts as started (upstream forces both results to success while terminating).

import { objectAt, stringAt } from '../../api/schema/json.js';
import type { Clock } from '../../ports/clock.js';
import type { ContainerRuntime } from '../../ports/container-runtime.js';
import type { Rng } from '../../ports/rng.js';
import type { JsonObject } from '../../store/types.js';
import { assert, assertNever } from '../../util/assert.js';
import {
  findContainerSpec,
  probeKinds,
  readProbeSpec,
  type ProbeKind,
  type ProbeSpec,
} from './probe-spec.js';
import { ProbeWorker } from './probe-worker.js';

export type ProbeChange = {
  podUid: string;
  containerName: string;
  kind: 'startup' | 'readiness' | 'liveness';
  result: 'success' | 'failure';
};

export interface ProberManagerOptions {
  runtime: ContainerRuntime;
  clock: Clock;
  /** Draws the start-up jitter of workers; pass a forked stream, e.g. `kubelet/<node>/prober`. */
  rng: Rng;
  /** A result flipped (see the file comment); called when a probe completes, not re-entrantly. */
  onChange: (change: ProbeChange) => void;
  /** Records a kubelet event on the pod (Unhealthy, ProbeWarning; always type Warning). */
  recordEvent: (
    pod: JsonObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ) => void;
}

/** The running container the kubelet hands to addContainer. */
export interface ProbedContainer {
  name: string;
  containerId: string;
  sandboxId: string;
  podIp: string;
  /** When the runtime started it, ms (initialDelaySeconds counts from here). */
  startedAtMs: number;
}

interface ContainerProbes {
  containerId: string;
  /** Readiness result; true from the start when there is no readiness probe. */
  ready: boolean;
  startup: 'unknown' | 'success' | 'failure';
  /** When startup turned success (-Infinity without a startup probe); undefined before. */
  startupPassedAtMs: number | undefined;
  liveness: 'success' | 'failure';
  workers: Map<ProbeKind, ProbeWorker>;
}

export class ProberManager {
  private readonly options: ProberManagerOptions;
  private readonly startedAtMs: number;
  /** podUid → container name → its probes. */
  private readonly pods = new Map<string, Map<string, ContainerProbes>>();
  private stopped = false;

  constructor(options: ProberManagerOptions) {
    this.options = options;
    this.startedAtMs = options.clock.nowMs();
  }

  /** Starts probing a running container; a new containerId replaces the previous one's state. */
  addContainer(pod: JsonObject, container: ProbedContainer): void {
    assert(!this.stopped, 'ProberManager.addContainer after stop()');
    const podUid = stringAt(objectAt(pod, 'metadata'), 'uid');
    assert(podUid !== undefined && podUid !== '', 'a probed pod needs metadata.uid');
    const spec = findContainerSpec(pod, container.name);
    assert(spec !== undefined, `container "${container.name}" is not in pod ${podUid}'s spec`);
    const existing = this.pods.get(podUid)?.get(container.name);
    if (existing?.containerId === container.containerId) return;
    if (existing !== undefined) stopWorkers(existing);
    const terminating = objectAt(pod, 'metadata')?.deletionTimestamp !== undefined;
    const specs = probeKinds
      .filter((kind) => !terminating || kind === 'readiness')
      .map((kind) => readProbeSpec(spec, kind))
      .filter((probe): probe is ProbeSpec => probe !== undefined);
    const has = (kind: ProbeKind) => specs.some((probe) => probe.kind === kind);
    const entry: ContainerProbes = {
      containerId: container.containerId,
      ready: !has('readiness'),
      startup: has('startup') ? 'unknown' : 'success',
      startupPassedAtMs: has('startup') ? undefined : Number.NEGATIVE_INFINITY,
      liveness: 'success',
      workers: new Map(),
    };
    const containers = this.pods.get(podUid) ?? new Map<string, ContainerProbes>();
    containers.set(container.name, entry);
    this.pods.set(podUid, containers);
    const target = { pod, container: spec, ...container };
    for (const probe of specs) {
      entry.workers.set(probe.kind, this.newWorker(probe, entry, { podUid, target }));
    }
    for (const worker of entry.workers.values()) worker.start();
  }

  /** Stops the container's workers and forgets its results. Idempotent. */
  removeContainer(podUid: string, containerName: string): void {
    const containers = this.pods.get(podUid);
    const entry = containers?.get(containerName);
    if (containers === undefined || entry === undefined) return;
    stopWorkers(entry);
    containers.delete(containerName);
    if (containers.size === 0) this.pods.delete(podUid);
  }

  /** Removes every container of the pod. Idempotent. */
  removePod(podUid: string): void {
    for (const name of [...(this.pods.get(podUid)?.keys() ?? [])]) {
      this.removeContainer(podUid, name);
    }
  }

  /** Started and passing readiness (true without a readiness probe); false when unknown. */
  isReady(podUid: string, containerName: string): boolean {
    const entry = this.pods.get(podUid)?.get(containerName);
    return entry !== undefined && entry.startup === 'success' && entry.ready;
  }

  /** Passed its startup probe (true without one); false when unknown. */
  isStarted(podUid: string, containerName: string): boolean {
    return this.pods.get(podUid)?.get(containerName)?.startup === 'success';
  }

  /** Stops every worker; results of probes in flight are dropped. */
  stop(): void {
    this.stopped = true;
    for (const podUid of [...this.pods.keys()]) this.removePod(podUid);
  }

  private newWorker(
    spec: ProbeSpec,
    entry: ContainerProbes,
    context: {
      podUid: string;
      target: ProbedContainer & { pod: JsonObject; container: JsonObject };
    },
  ): ProbeWorker {
    const { podUid, target } = context;
    return new ProbeWorker({
      spec,
      target,
      startedAtMs: target.startedAtMs,
      runtime: this.options.runtime,
      clock: this.options.clock,
      firstTickDelayMs: this.firstTickDelayMs(spec.periodMs),
      startupPassedAtMs: () => entry.startupPassedAtMs,
      onResult: (result) => this.onResult(entry, spec.kind, result, { podUid, name: target.name }),
      onEvent: (event) =>
        this.options.recordEvent(target.pod, event.type, event.reason, event.message),
    });
  }

  /** Upstream: a random share of the period when the kubelet started less than a period ago. */
  private firstTickDelayMs(periodMs: number): number {
    const sinceStartMs = this.options.clock.nowMs() - this.startedAtMs;
    if (periodMs <= sinceStartMs) return 0;
    return Math.trunc(this.options.rng.float() * periodMs);
  }

  private onResult(
    entry: ContainerProbes,
    kind: ProbeKind,
    result: 'success' | 'failure',
    where: { podUid: string; name: string },
  ): void {
    if (this.pods.get(where.podUid)?.get(where.name) !== entry) return;
    if (!flip(entry, kind, result)) return;
    if (kind === 'startup' && result === 'success') {
      entry.startupPassedAtMs = this.options.clock.nowMs();
    }
    this.options.onChange({ podUid: where.podUid, containerName: where.name, kind, result });
    if (kind === 'startup' && result === 'success') entry.workers.get('readiness')?.trigger();
  }
}

/** Records a result; true when it differs from the one held. */
function flip(entry: ContainerProbes, kind: ProbeKind, result: 'success' | 'failure'): boolean {
  switch (kind) {
    case 'readiness': {
      const ready = result === 'success';
      if (entry.ready === ready) return false;
      entry.ready = ready;
      return true;
    }
    case 'startup':
      if (entry.startup === result) return false;
      entry.startup = result;
      return true;
    case 'liveness':
      if (entry.liveness === result) return false;
      entry.liveness = result;
      return true;
    default:
      return assertNever(kind, 'unexpected probe kind');
  }
}

function stopWorkers(entry: ContainerProbes): void {
  for (const worker of entry.workers.values()) worker.stop();
}
